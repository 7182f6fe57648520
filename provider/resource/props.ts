/** Property bags as the dynamic-provider server passes them, and small helpers on them. */

/** Property bags as the dynamic-provider server passes them. */
export type Props = Record<string, unknown>;

/** The property that holds the serialized provider. */
export const PROVIDER_KEY = "__provider";

export function stripUndefined(obj: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
