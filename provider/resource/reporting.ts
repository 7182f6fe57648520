/**
 * How errors of the dynamic face reach the person running Pulumi. The
 * dynamic-provider server in @pulumi/pulumi prints every error that check,
 * diff, read or delete throws as `${e}: ${e.stack}` to its stderr (which the
 * CLI shows under the stack) and also returns the message to the engine
 * (which shows it under the resource). That is the message twice, with a
 * stack trace into files a user does not have.
 *
 * So the face marks the errors it throws ({@link reportedOnce}): the engine
 * still gets the message, and the server's print of it is recognised by the
 * marker and dropped ({@link installQuietConsole}, installed by the face's
 * configure), so the user sees one clean line. With `CYCLE_DEBUG=1` the face
 * marks nothing: the server prints the real (redacted) stack.
 */
const MARK = "\u2063cycle-provider-error";
const QUIET = Symbol.for("pulumi-cycle.quietConsole");

/** The error, marked so that the server's print of it is dropped; its message (what the engine shows) is unchanged. */
export function reportedOnce(err: unknown): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  // What the server prints is `${e}: ${e.stack}`: both become the marker.
  Object.defineProperty(error, "stack", { value: MARK, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(error, "toString", { value: () => MARK, enumerable: false, writable: true, configurable: true });
  return error;
}

/**
 * Drops the server's print of a marked error from stderr; every other line
 * passes. The filter marks itself on `console.error`, so installing it again
 * (another configure in the same process) changes nothing.
 */
export function installQuietConsole(target: Console = console): void {
  if ((target.error as { [QUIET]?: true })[QUIET]) return;
  const original = target.error.bind(target);
  const quiet = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith(MARK)) return;
    original(...args);
  };
  Object.defineProperty(quiet, QUIET, { value: true });
  target.error = quiet;
}

/** One call of a face: what it throws reaches the user once, or with its real stack when `debug` (CYCLE_DEBUG=1). */
export async function reported<T>(debug: boolean, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw debug ? err : reportedOnce(err);
  }
}
