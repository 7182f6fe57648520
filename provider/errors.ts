/**
 * The errors a person running Pulumi (or a script using the client) meets,
 * as one family: every one is a {@link CycleError}, and its class says what
 * kind of trouble it is.
 *
 * - {@link CycleConfigError}: a setting is missing or wrong (stack config,
 *   environment, the resource's own connection).
 * - `CycleApiError` (`api/errors.ts`): the Cycle API refused a call, or did
 *   not answer. `CycleJobError` (`api/jobs.ts`): a job failed, expired or
 *   did not end in time.
 * - {@link CycleVerificationError}: an integration could not be verified.
 * - {@link CycleAmbiguityError}: several integrations could be the one meant;
 *   the user decides, nothing is guessed.
 * - {@link CycleNotFoundError}: a lookup matched no integration.
 * - {@link CycleTimeoutError}: a deadline the program set passed.
 * - {@link CycleCancelledError}: the engine cancelled the operation while it waited.
 * - {@link PartialFailureError}: the integration exists, a later step failed;
 *   it is recorded so that the next `up` finishes the job.
 *
 * Every error that leaves the provider goes through {@link redacting}: its
 * message and stack with every credential the call knows hidden.
 */
import type { Redactor } from "./api/redact";
import { messageOf } from "./resource/props";

/** The base of every error this package throws on purpose. */
export class CycleError extends Error {
  override name = "CycleError";
}

/** A configuration mistake, named with every way to set it right. */
export class CycleConfigError extends CycleError {
  override name = "CycleConfigError";
}

/** An integration could not be verified (its verification failed, or it went away while it ran). */
export class CycleVerificationError extends CycleError {
  override name = "CycleVerificationError";
}

/** Several integrations could be the one meant: the user chooses. */
export class CycleAmbiguityError extends CycleError {
  override name = "CycleAmbiguityError";
  constructor(
    message: string,
    /** The IDs of the integrations that could be the one. */
    readonly candidates: readonly string[] = [],
  ) {
    super(message);
  }
}

/** A lookup matched no integration. */
export class CycleNotFoundError extends CycleError {
  override name = "CycleNotFoundError";
}

/** A deadline passed (`verifyTimeoutSeconds`, `deleteTimeoutSeconds`) with the work not done. */
export class CycleTimeoutError extends CycleError {
  override name = "CycleTimeoutError";
}

/**
 * The engine cancelled the operation (Ctrl-C, or the end of a command) while
 * it waited: the wait stopped. Whatever exists is recorded by the operation
 * that waited, so the next run goes on from there.
 */
export class CycleCancelledError extends CycleError {
  override name = "CycleCancelledError";
}

/**
 * The error shape the dynamic-provider server turns into the engine's
 * "resource initialization failed" detail: the engine then records the
 * resource with these properties instead of forgetting it. Thrown when an
 * integration exists but a later step (verification) failed, so that the
 * next `pulumi up` retries that step rather than creating a duplicate.
 */
export class PartialFailureError extends CycleError {
  override name = "PartialFailureError";
  constructor(
    /** The integration's ID: the resource's ID in state. */
    readonly id: string,
    /** The outputs to record. The dynamic face adds `__provider`, which its server needs here (see resource/dynamicState.ts). */
    readonly properties: Record<string, unknown>,
    /** Why the resource is not fully ready, one line each. */
    readonly reasons: string[],
  ) {
    super(reasons.join("; "));
  }
}

/**
 * An error on its way out of the provider: the original's name, message and
 * stack, with every credential the call knew redacted. Only text leaves the
 * provider, so only text is kept.
 */
export class RedactedError extends CycleError {
  constructor(message: string, name: string, stack: string | undefined) {
    super(message);
    this.name = name;
    this.stack = stack;
  }
}

/** Runs an operation so that nothing it throws can carry a credential. */
export async function redacting<T>(redactor: Redactor, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw cleaned(redactor, err);
  }
}

/** The error with every text redacted: a partial failure stays one (the engine records it), anything else becomes a {@link RedactedError}. */
export function cleaned(redactor: Redactor, err: unknown): Error {
  const stack = err instanceof Error && err.stack !== undefined ? redactor.redact(err.stack) : undefined;
  if (err instanceof PartialFailureError) {
    const copy = new PartialFailureError(
      err.id,
      err.properties,
      err.reasons.map((r) => redactor.redact(r)),
    );
    copy.stack = stack;
    return copy;
  }
  return new RedactedError(redactor.redact(messageOf(err)), err instanceof Error ? err.name : "Error", stack);
}
