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

/**
 * The same JSON for the same values whatever the order of keys, with
 * undefined values and the `ignored` top-level keys left out: for comparing
 * two property bags, or keying a map by one.
 */
export function canonicalJson(props: Props, ignored: ReadonlySet<string> = new Set()): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === "object") {
      const bag = v as Props;
      return Object.fromEntries(
        Object.keys(bag)
          .sort()
          .filter((k) => bag[k] !== undefined)
          .map((k) => [k, sorted(bag[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(Object.fromEntries(Object.entries(props).filter(([k]) => !ignored.has(k)))));
}
