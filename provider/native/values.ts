/**
 * Property values between the engine's `Struct`s and the plain objects the
 * core takes. With `acceptSecrets`, a secret arrives as an object carrying
 * the engine's secret signature; the core never sees one: secrets are
 * unwrapped on the way in (noting which top-level properties held one) and
 * wrapped again on the way out, for every schema-secret property (`auth`,
 * `apiKey`) and every property that arrived secret. A value the engine
 * unmarshals plain is stored plain, so nothing secret may leave unwrapped.
 *
 * Unknown values (during a preview) are a sentinel string, which the core
 * knows (`resource/unknown.ts`): they pass through as they are.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { SECRET_SIG, SIG_KEY } from "../engineSecrets";

export { SECRET_SIG, SIG_KEY } from "../engineSecrets";

export type Plain = Record<string, unknown>;

/** Top-level properties of the Integration and of the provider's config that are always secret. */
export const SCHEMA_SECRETS: ReadonlySet<string> = new Set(["auth", "apiKey"]);

interface SecretValue {
  [SIG_KEY]: typeof SECRET_SIG;
  value: unknown;
}

export function isSecret(v: unknown): v is SecretValue {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Plain)[SIG_KEY] === SECRET_SIG;
}

export function secret(value: unknown): SecretValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** A deep copy without `undefined` anywhere (`Struct.fromJavaScript` throws on it). */
export function withoutUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(withoutUndefined);
  if (typeof v === "object" && v !== null) {
    const out: Plain = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = withoutUndefined(x);
    return out;
  }
  return v;
}

/** A deep copy with every secret replaced by its value. */
function unwrapped(v: unknown): unknown {
  if (isSecret(v)) return unwrapped(v.value);
  if (Array.isArray(v)) return v.map(unwrapped);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapped(x)]));
  return v;
}

function holdsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(holdsSecret);
  if (typeof v === "object" && v !== null) return Object.values(v).some(holdsSecret);
  return false;
}

/** The plain values of a property bag, and which of its top-level properties held a secret (at any depth). */
export function unwrapSecrets(props: Plain): { plain: Plain; secretKeys: Set<string> } {
  const plain: Plain = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(props)) {
    if (holdsSecret(v)) secretKeys.add(k);
    plain[k] = unwrapped(v);
  }
  return { plain, secretKeys };
}

/** The bag with each schema-secret property and each of `alsoSecret` wrapped as a secret (once). */
export function wrapSecrets(props: Plain, alsoSecret: Iterable<string> = []): Plain {
  const keys = new Set([...SCHEMA_SECRETS, ...alsoSecret]);
  const out: Plain = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    out[k] = keys.has(k) && !isSecret(v) ? secret(v) : v;
  }
  return out;
}

/** A `Struct` from the engine as a plain bag (absent: empty), secrets still wrapped. */
export function fromStruct(struct: Struct | undefined): Plain {
  return struct?.toJavaScript() ?? {};
}

/** A plain bag as a `Struct`, `undefined` left out at every depth. */
export function toStruct(props: Plain): Struct {
  return Struct.fromJavaScript(withoutUndefined(props) as Record<string, never>);
}
