/**
 * A secret as `pulumi stack export` writes it without `--show-secrets`: the
 * engine's secret signature and the ciphertext. Written out here, not taken
 * from the provider, so the tests check the provider against the engine's
 * format rather than against itself.
 */
export function encryptedSecret(ciphertext: string): Record<string, string> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext };
}
