/**
 * The package's version, read from its package.json (the one place it is
 * stated): `pulumi-cycle --version` and the header of generated programs.
 */
export function packageVersion(): string {
  try {
    // bin/provider/cli/version.js -> package.json
    return (require("../../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}
