/**
 * What the dynamic face knows of the dynamic-provider server's bookkeeping,
 * and the core does not: the server writes the serialized provider
 * (`__provider`) into every resource's inputs and outputs, and takes it
 * back from a partial failure's properties. The native face has no such key.
 */
import { PartialFailureError } from "../errors";
import { Props, PROVIDER_KEY } from "./props";

/** True when the resource is in state already: only then do its old inputs carry the serialized provider. */
export function existsInDynamicState(olds: Props | undefined): boolean {
  return olds?.[PROVIDER_KEY] !== undefined;
}

/**
 * Runs a create or update; a partial failure gets the serialized provider
 * of `inputs` back into its properties, as the server records them as the
 * resource's outputs (and a later read or delete loads the provider from there).
 */
export async function withProviderKey<T>(inputs: Props, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof PartialFailureError) || inputs[PROVIDER_KEY] === undefined) throw err;
    const copy = new PartialFailureError(err.id, { ...err.properties, [PROVIDER_KEY]: inputs[PROVIDER_KEY] }, err.reasons);
    copy.stack = err.stack;
    throw copy;
  }
}
