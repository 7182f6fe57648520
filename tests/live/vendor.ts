/**
 * Which vendor the live check creates an integration of: one that needs no
 * outside credentials (no required `auth` field), can be used now, and can be
 * added to this hub (a vendor allowing one per hub that already has one
 * cannot). TLS certificate generators (Let's Encrypt) come first: nothing
 * happens at the vendor until a certificate is asked for. Required `extra`
 * settings are filled with placeholder values that pass the field's rules.
 */
import type { AvailableIntegrations, Integration, IntegrationDefinition, IntegrationField } from "../../provider/api/types";

export interface VendorChoice {
  vendor: string;
  category: string;
  definition: IntegrationDefinition;
  /** The `extra` to declare: placeholders for the required fields, and any given ones. */
  extra?: Record<string, string>;
}

export interface Rejection {
  vendor: string;
  reason: string;
}

export interface VendorPick {
  chosen?: VendorChoice;
  /** Every vendor considered and not chosen, with why. */
  rejected: Rejection[];
}

export interface VendorPreferences {
  /** Only this vendor (it must still qualify). */
  vendor?: string;
  /** Values for `extra` fields, over the placeholders. */
  extra?: Record<string, string>;
}

/** Categories in the order they are tried: the first has vendors that do nothing until used. */
const CATEGORY_ORDER = ["tls-certificate-generation", "object-storage", "image-builders", "infrastructure-provider", "billing"];

export const PLACEHOLDER_EMAIL = "pulumi-cycle-live@example.com";

/** Picks the vendor, or says why none qualifies. */
export function chooseVendor(available: AvailableIntegrations, existing: readonly Integration[], prefs: VendorPreferences = {}): VendorPick {
  const candidates: Array<{ category: string; definition: IntegrationDefinition }> = [];
  for (const [category, definitions] of Object.entries(available)) {
    for (const definition of definitions ?? []) candidates.push({ category, definition });
  }
  const rank = (c: string) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : CATEGORY_ORDER.length);
  candidates.sort((a, b) => rank(a.category) - rank(b.category) || requiredExtra(a.definition).length - requiredExtra(b.definition).length);

  const rejected: Rejection[] = [];
  const qualified: VendorChoice[] = [];
  for (const { category, definition } of candidates) {
    if (prefs.vendor !== undefined && definition.vendor !== prefs.vendor) continue;
    const reason = whyNot(definition, existing);
    if (reason) {
      rejected.push({ vendor: definition.vendor, reason });
      continue;
    }
    const extra = fillExtra(definition, prefs.extra ?? {});
    if (typeof extra === "string") {
      rejected.push({ vendor: definition.vendor, reason: extra });
      continue;
    }
    qualified.push({ vendor: definition.vendor, category, definition, extra });
  }
  if (prefs.vendor !== undefined && qualified.length === 0 && rejected.length === 0) {
    rejected.push({ vendor: prefs.vendor, reason: "not in the hub's catalogue" });
  }
  // The first editable one, so that the rename is an update in place; otherwise the first at all.
  const chosen = qualified.find((q) => q.definition.editable) ?? qualified[0];
  for (const q of qualified) if (q !== chosen) rejected.push({ vendor: q.vendor, reason: `qualifies, but ${chosen.vendor} comes first` });
  return { chosen, rejected };
}

function requiredOf(fields: Record<string, IntegrationField> | null | undefined): string[] {
  return Object.entries(fields ?? {})
    .filter(([, f]) => f.required)
    .map(([key]) => key);
}

function requiredExtra(d: IntegrationDefinition): string[] {
  return requiredOf(d.fields?.extra);
}

function whyNot(d: IntegrationDefinition, existing: readonly Integration[]): string | undefined {
  if (!d.usable) return "not usable now";
  if (d.deprecated) return "deprecated";
  const auth = requiredOf(d.fields?.auth);
  if (auth.length > 0) return `needs credentials (auth ${auth.join(", ")})`;
  if (!d.supports_multiple) {
    const other = existing.find((i) => i.vendor === d.vendor && i.state.current !== "deleted");
    if (other) return `one per hub, and the hub has one already (${other.id})`;
  }
  return undefined;
}

/** The required extra fields filled (given values first), or why one cannot be. */
function fillExtra(d: IntegrationDefinition, given: Record<string, string>): Record<string, string> | undefined | string {
  const extra: Record<string, string> = {};
  for (const key of requiredExtra(d)) {
    const value = given[key] ?? placeholderFor(key, d.fields.extra![key]);
    if (value === undefined) return `no placeholder passes its required extra field ${key}; give one in CYCLE_LIVE_EXTRA`;
    extra[key] = value;
  }
  for (const [key, value] of Object.entries(given)) extra[key] = value;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/** A value for a required field that passes its type, options and regex; undefined when none of the candidates does. */
export function placeholderFor(key: string, field: IntegrationField): string | undefined {
  let pattern: RegExp | undefined;
  try {
    pattern = field.regex ? new RegExp(field.regex) : undefined;
  } catch {
    return undefined;
  }
  let candidates: string[];
  switch (field.type) {
    case "select":
      candidates = field.options ?? [];
      break;
    case "int":
      candidates = ["1", "30", "90"];
      break;
    case "blob":
      // A blob is a file's content, such as a key: nothing to make up.
      candidates = [];
      break;
    default:
      candidates = [
        ...(/mail/i.test(`${key} ${field.name}`) ? [PLACEHOLDER_EMAIL] : []),
        "pulumi-cycle-live",
        "pulumicyclelive",
        "example.com",
        "https://example.com",
        "1",
      ];
  }
  return candidates.find((c) => pattern === undefined || pattern.test(c));
}
