/**
 * What a create or an update will record, as far as it is known before any
 * API call: for an engine that asks the provider during a preview (the
 * native face's handshake implies it does). The inputs as declared; every
 * output only the API can tell is unknown.
 */
import { UNKNOWN } from "./unknown";
import { OUTPUT_NAMES } from "./schema";
import type { Props } from "./props";
import { stripUndefined } from "./props";

/** Outputs an update may change besides the inputs: the hub tells them after the call. */
const CHANGED_BY_UPDATE = ["state", "stateError", "verified", "lastVerifyJobId", "updatedAt"] as const;

/** A create's outputs during a preview: the inputs, and unknown for each output not declared. */
export function previewCreate(inputs: Props): Props {
  const outs: Props = { ...inputs };
  for (const name of OUTPUT_NAMES) if (outs[name] === undefined) outs[name] = UNKNOWN;
  return stripUndefined(outs);
}

/** An update's outputs during a preview: what is recorded, the new inputs over it, and unknown for what the hub will tell. */
export function previewUpdate(recorded: Props, inputs: Props): Props {
  const outs: Props = { ...recorded, ...inputs };
  // An input the program no longer declares is not recorded as declared any more.
  for (const name of Object.keys(recorded)) if (!(name in inputs) && !(OUTPUT_NAMES as string[]).includes(name) && name !== "declared") delete outs[name];
  for (const name of CHANGED_BY_UPDATE) outs[name] = UNKNOWN;
  return stripUndefined(outs);
}
