/**
 * During a preview, inputs that depend on other resources' outputs arrive as
 * this sentinel string (the engine's "unknown" value). Validation skips them
 * and diff treats them as changed.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The sentinel's type: during a preview, any input may be it instead of its declared type. */
export type Unknown = typeof UNKNOWN;

/** True when the value is unknown, or holds an unknown value anywhere inside. */
export function isUnknown(value: unknown): value is Unknown {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}
