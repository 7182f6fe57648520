/**
 * How errors reach the person running Pulumi. The dynamic-provider server in
 * @pulumi/pulumi prints every error a provider throws as `${e}: ${e.stack}`
 * to its stderr (which the CLI shows under the stack) and also returns the
 * message to the engine (which shows it under the resource). That is the
 * message twice, with a stack trace into files a user does not have.
 *
 * Errors leave the provider as {@link ProviderError}: the engine still gets
 * the message, and the server's own print of it is recognised by a marker
 * and dropped, so the user sees one clean line.
 */
const MARK = "\u2063cycle-provider-error";

export class ProviderError extends Error {
  constructor(message: string, name = "Error") {
    super(message);
    this.name = name;
    // What the server prints: only the marker, which the console filter drops.
    Object.defineProperty(this, "stack", { value: MARK, enumerable: false, writable: true, configurable: true });
  }

  override toString(): string {
    return MARK;
  }
}

let installed = false;

/** Drops the server's print of our own errors from stderr; every other line passes. Installed once per process. */
export function installQuietConsole(): void {
  if (installed) return;
  installed = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith(MARK)) return;
    original(...args);
  };
}
