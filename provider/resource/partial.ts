import { PartialFailureError } from "../errors";
import { Props, PROVIDER_KEY, stripUndefined } from "./props";

/** The error that records an integration that exists but is not ready, with the serialized provider the server needs. */
export function partial(id: string, outs: object, props: Props, reason: string): PartialFailureError {
  return new PartialFailureError(id, { ...stripUndefined(outs as Props), [PROVIDER_KEY]: props[PROVIDER_KEY] }, [reason]);
}
