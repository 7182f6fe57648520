/**
 * Credentials that pass the emulator catalogue's regexes. Values containing
 * the emulator's verification-failure marker ("invalid") make a verify job
 * fail; see emulator/README.md.
 */
export const AWS_GOOD = { keyId: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
export const AWS_BAD = { keyId: "AKIAINVALID000000000", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
export const B2_GOOD = { keyId: "0012ab34cd56ef7890", secret: "K0123456789abcdefghijABCDEFGHIJ" };
export const STRIPE_GOOD = { apiKey: "sk_test_51ExampleKeyForEmulatorOnly00" };
export const LETS_ENCRYPT_EXTRA = { email: "ops@example.com" };

/** Every credential value above, for "never appears in ..." assertions. */
export const ALL_SECRETS = [...Object.values(AWS_GOOD), ...Object.values(AWS_BAD), ...Object.values(B2_GOOD), ...Object.values(STRIPE_GOOD)];
