/**
 * The error shape the dynamic-provider server turns into the engine's
 * "resource initialization failed" detail: the engine then records the
 * resource with these properties instead of forgetting it. Thrown when an
 * integration exists but a later step (verification) failed, so that the
 * next `pulumi up` retries that step rather than creating a duplicate.
 */
export class PartialFailureError extends Error {
  override readonly name = "PartialFailureError";
  constructor(
    /** The integration's ID: the resource's ID in state. */
    readonly id: string,
    /** The outputs to record; they must include `__provider` (the server does not add it here). */
    readonly properties: Record<string, unknown>,
    /** Why the resource is not fully ready, one line each. */
    readonly reasons: string[],
  ) {
    super(reasons.join("; "));
  }
}
