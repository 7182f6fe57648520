import { PartialFailureError } from "../errors";
import { Props, stripUndefined } from "./props";

/** The error that records an integration that exists but is not ready. A face adds what its server needs (see dynamicState.ts). */
export function partial(id: string, outs: object, reason: string): PartialFailureError {
  return new PartialFailureError(id, stripUndefined(outs as Props), [reason]);
}
