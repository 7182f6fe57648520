/**
 * Removes known secret values from text before it leaves the client in an
 * error message or a log line. The API may echo an offending value back in an
 * error's `detail` (e.g. a key that fails a regex), so we cannot rely on the
 * server never returning it.
 */
export const REDACTED = "[REDACTED]";

/** Values shorter than this are not redacted: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | null | undefined>) {
    const unique = new Set<string>();
    for (const s of secrets) {
      if (typeof s === "string" && s.length >= MIN_SECRET_LENGTH) unique.add(s);
    }
    // Longest first, so a secret containing another is replaced whole.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  /** A redactor that also hides `more`. */
  with(more: Iterable<string | null | undefined>): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    // Bearer tokens we were not told about (defence in depth).
    return out.replace(/(Bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`);
  }
}

/** Every string value of an object (one level), e.g. an auth block. */
export function secretValuesOf(obj: object | null | undefined): string[] {
  if (!obj) return [];
  return Object.values(obj).filter((v): v is string => typeof v === "string");
}
