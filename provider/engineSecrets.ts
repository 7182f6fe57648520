/**
 * How the Pulumi engine marks a secret value, wherever one appears: wrapped
 * in a plugin's gRPC messages (`{ <SIG_KEY>: SECRET_SIG, value }`) and
 * encrypted in an exported stack (`{ <SIG_KEY>: SECRET_SIG, ciphertext }`).
 * The engine's `sig.Key` and `sig.Secret`; the native plugin and the CLI's
 * reading of exported stacks both go by these.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
