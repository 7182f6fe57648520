import { Props, PROVIDER_KEY, stripUndefined } from "./props";

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

/** The error that records an integration that exists but is not ready, with the serialized provider the server needs. */
export function partial(id: string, outs: object, props: Props, reason: string): PartialFailureError {
  return new PartialFailureError(id, { ...stripUndefined(outs as Props), [PROVIDER_KEY]: props[PROVIDER_KEY] }, [reason]);
}
