/**
 * The package's lookup functions, described once: each function's token,
 * arguments and result, every field with its type and a one-line doc. The
 * core's `invoke` parses arguments with these types, the package schema
 * (`packageSchema.ts`) is derived from them, and the results the lookups
 * return are built to them. Adding an argument is one entry here.
 *
 * Results are camelCase, like the Integration resource's outputs; they never
 * carry `auth` (the API need not echo credentials, and a lookup must not
 * hand them around).
 */
import { z } from "zod";
import type { IntegrationRef } from "../lookups";
import { ID_PATTERN, INTEGRATION_CATEGORIES, INTEGRATION_STATES } from "../api/types";
import { OUTPUTS } from "./schema";

export const GET_INTEGRATION = "cycle:index:getIntegration";
export const GET_INTEGRATIONS = "cycle:index:getIntegrations";
export const GET_AVAILABLE_INTEGRATIONS = "cycle:index:getAvailableIntegrations";

/** One argument or result field. */
export interface Field<T extends z.ZodType = z.ZodType> {
  /** Its type; optional fields are `.optional()`. */
  type: T;
  /** One line, for the package schema and editors. */
  doc: string;
  /** How a wrong argument is named in a failure: "<field> must be <expect>". Arguments only. */
  expect?: string;
}

/** A table of fields, in the order of the docs. */
export type Fields = Record<string, Field>;

/** An object type with a name in the package schema (`#/types/<token>`). */
export interface NamedType {
  token: string;
  doc: string;
  fields: Fields;
  /** The object built from `fields`: a field of this type is a reference to the token. */
  schema: z.ZodObject;
}

function named(token: string, doc: string, fields: Fields): NamedType {
  // Strict: an argument of this type with an unknown key is a failure naming it.
  return { token, doc, fields, schema: z.strictObject(typesOf(fields)) };
}

/** `{ name: type }` of a table. */
export function typesOf(fields: Fields): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.type]));
}

const cycleId = z.string().regex(ID_PATTERN);
const nonEmpty = z.string().min(1);
const stringMap = z.record(z.string(), z.string());

const hubIdArg = {
  type: cycleId.optional(),
  doc: "The hub to look in, instead of the provider's `hubId`.",
  expect: "a Cycle ID of 24 lowercase hex characters",
} satisfies Field;

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/** An integration as a lookup returns it: what the hub holds, without credentials. */
export const INTEGRATION_FIELDS = {
  id: { type: cycleId, doc: "The integration's Cycle ID." },
  vendor: { type: z.string(), doc: "Which integration definition it is, e.g. `aws`." },
  name: { type: z.string(), doc: "Display name." },
  identifier: { type: z.string(), doc: OUTPUTS.identifier.doc },
  hubId: { type: cycleId, doc: OUTPUTS.hubId.doc },
  extra: { type: stringMap.optional(), doc: "Vendor-specific settings (`fields.extra` of the definition), if it has any." },
  state: { type: z.enum(INTEGRATION_STATES), doc: OUTPUTS.state.doc },
  stateError: { type: z.string().optional(), doc: "Why the last verification failed, if it did (credentials in it hidden)." },
  creatorType: { type: z.string().optional(), doc: OUTPUTS.creatorType.doc },
  createdAt: { type: z.string(), doc: OUTPUTS.createdAt.doc },
  updatedAt: { type: z.string(), doc: OUTPUTS.updatedAt.doc },
} satisfies Fields;

export const INTEGRATION_TYPE = named(
  "cycle:index:IntegrationSummary",
  "An integration of the hub, as a lookup returns it (never its credentials).",
  INTEGRATION_FIELDS,
);

const DEFINITION_FIELD_TYPE = named("cycle:index:IntegrationDefinitionField", "One field of a vendor's definition: a credential or an `extra` setting.", {
  name: { type: z.string(), doc: "The field's display name." },
  required: { type: z.boolean(), doc: "Whether an integration of the vendor must set it." },
  description: { type: z.string().optional(), doc: "What the field holds, as the API describes it." },
  type: { type: z.string().optional(), doc: "`select`, `string`, `int` or `blob`, as the API says." },
  regex: { type: z.string().optional(), doc: "A pattern the value must match, if the API gives one." },
  options: { type: z.array(z.string()).optional(), doc: "The values a `select` field takes." },
});

export const DEFINITION_TYPE = named("cycle:index:IntegrationDefinition", "A vendor the hub offers: what an integration of it needs and supports.", {
  vendor: { type: z.string(), doc: "The vendor, as the resource's `vendor` takes it." },
  name: { type: z.string(), doc: "The vendor's display name." },
  category: {
    type: z.enum(INTEGRATION_CATEGORIES),
    doc: "`image-builders`, `object-storage`, `tls-certificate-generation`, `infrastructure-provider` or `billing`.",
  },
  supportsVerification: { type: z.boolean(), doc: "Whether its credentials can be verified (a verify job)." },
  supportsMultiple: { type: z.boolean(), doc: "Whether a hub may hold more than one integration of it." },
  editable: { type: z.boolean(), doc: "Whether its integrations can be changed in place; if not, every change replaces them." },
  usable: { type: z.boolean(), doc: "Whether it can be used." },
  deprecated: { type: z.boolean(), doc: "Whether it is deprecated." },
  features: { type: z.array(z.string()).optional(), doc: "What it provides, as the API lists it." },
  authFields: {
    type: z.record(z.string(), DEFINITION_FIELD_TYPE.schema).optional(),
    doc: "Its credential fields, by the name the resource's `auth` gives them (e.g. `keyId`).",
  },
  extraFields: {
    type: z.record(z.string(), DEFINITION_FIELD_TYPE.schema).optional(),
    doc: "Its vendor-specific settings, by the key the resource's `extra` gives them.",
  },
});

const FILTER_TYPE = named("cycle:index:IntegrationFilter", "Which integrations `getIntegrations` returns.", {
  state: { type: z.enum(INTEGRATION_STATES).optional(), doc: "Only those in this state.", expect: "one of " + INTEGRATION_STATES.join(", ") },
  search: { type: z.string().optional(), doc: "Only those the API's search matches.", expect: "a string" },
  category: {
    type: z.enum(INTEGRATION_CATEGORIES).optional(),
    doc: "Only those of vendors of this category.",
    expect: "one of " + INTEGRATION_CATEGORIES.join(", "),
  },
});

/** Every named object type the functions use, for the package schema's `types`. */
export const FUNCTION_TYPES: readonly NamedType[] = [INTEGRATION_TYPE, DEFINITION_TYPE, DEFINITION_FIELD_TYPE, FILTER_TYPE];

// ---------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------

/** A function of the package: its doc, arguments and result. */
export interface FunctionDescription {
  doc: string;
  args: Fields;
  result: Fields;
}

export const GET_INTEGRATION_ARGS = {
  id: {
    type: cycleId.optional(),
    doc: "The integration's Cycle ID. Give this, or `vendor` and `identifier`.",
    expect: "a Cycle ID of 24 lowercase hex characters",
  },
  vendor: { type: nonEmpty.optional(), doc: "The integration's vendor, e.g. `aws`; with `identifier`.", expect: "a non-empty string" },
  identifier: {
    type: nonEmpty.optional(),
    doc: "The integration's identifier, matched exactly (never its display name); with `vendor`.",
    expect: "a non-empty string",
  },
  hubId: hubIdArg,
} satisfies Fields;

export const GET_INTEGRATIONS_ARGS = {
  pageSize: {
    type: z.number().int().min(1).optional(),
    doc: "How many integrations to ask for per page (every page is read).",
    expect: "a whole number of at least 1",
  },
  sort: { type: z.string().optional(), doc: "The API's sort order, e.g. `name` or `-events.created`.", expect: "a string" },
  filter: { type: FILTER_TYPE.schema.optional(), doc: FILTER_TYPE.doc, expect: "an object of `state`, `search` and `category`" },
  hubId: hubIdArg,
} satisfies Fields;

export const GET_AVAILABLE_INTEGRATIONS_ARGS = { hubId: hubIdArg } satisfies Fields;

export const FUNCTIONS: Readonly<Record<string, FunctionDescription>> = {
  [GET_INTEGRATION]: {
    doc: "One integration of the hub, by `id` or by `vendor` and `identifier`: an error when none matches, and an error naming every candidate when several do. Never its credentials.",
    args: GET_INTEGRATION_ARGS,
    result: INTEGRATION_FIELDS,
  },
  [GET_INTEGRATIONS]: {
    doc: "Every integration of the hub (every page), never their credentials.",
    args: GET_INTEGRATIONS_ARGS,
    result: { integrations: { type: z.array(INTEGRATION_TYPE.schema), doc: "The integrations, in the API's order." } },
  },
  [GET_AVAILABLE_INTEGRATIONS]: {
    doc: "Every vendor the hub offers (the catalogue), each with its category and fields.",
    args: GET_AVAILABLE_INTEGRATIONS_ARGS,
    result: { definitions: { type: z.array(DEFINITION_TYPE.schema), doc: "The definitions, in the API's order." } },
  },
};

export type IntegrationResult = z.output<z.ZodObject<{ [K in keyof typeof INTEGRATION_FIELDS]: (typeof INTEGRATION_FIELDS)[K]["type"] }>>;
export type DefinitionResult = z.output<typeof DEFINITION_TYPE.schema>;

// ---------------------------------------------------------------------------
// Parsing arguments
// ---------------------------------------------------------------------------

/** A bad argument, named: the engine shows it as a check failure of the call. */
export interface ArgFailure {
  property: string;
  reason: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; failures: ArgFailure[] };

/** The function's arguments, parsed strictly: every problem as a failure naming its field, never an exception. Values are never quoted. */
export function parseArgs<F extends Fields>(fn: string, fields: F, args: Record<string, unknown>): Parsed<{ [K in keyof F]: z.output<F[K]["type"]> }> {
  const result = z.strictObject(typesOf(fields)).safeParse(args);
  if (result.success) return { ok: true, value: result.data as { [K in keyof F]: z.output<F[K]["type"]> } };
  const failures: ArgFailure[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const property = [...issue.path.map(String), key].join(".");
        failures.push({
          property,
          reason: `${fn} takes no argument \`${property}\`; it takes ${Object.keys(fields)
            .map((k) => `\`${k}\``)
            .join(", ")}`,
        });
      }
      continue;
    }
    const property = issue.path.map(String).join(".");
    failures.push({ property, reason: `${property} must be ${expectOf(fields, issue.path)}` });
  }
  return { ok: false, failures };
}

/**
 * `getIntegration`'s arguments: `id`, or `vendor` and `identifier` (not both
 * forms), and the hub. Shared by every face, so each says the same.
 */
export function parseIntegrationArgs(args: Record<string, unknown>): Parsed<{ hubId?: string; ref: IntegrationRef }> {
  const parsed = parseArgs(GET_INTEGRATION, GET_INTEGRATION_ARGS, args);
  if (!parsed.ok) return parsed;
  const { id, vendor, identifier, hubId } = parsed.value;
  if (id !== undefined) {
    if (vendor !== undefined || identifier !== undefined) {
      return { ok: false, failures: [{ property: "id", reason: "give either `id` or `vendor` and `identifier`, not both" }] };
    }
    return { ok: true, value: { hubId, ref: { id } } };
  }
  const failures: ArgFailure[] = [];
  if (vendor === undefined) failures.push({ property: "vendor", reason: "vendor is required (with `identifier`) when `id` is not given" });
  if (identifier === undefined) failures.push({ property: "identifier", reason: "identifier is required (with `vendor`) when `id` is not given" });
  if (vendor === undefined || identifier === undefined) return { ok: false, failures };
  return { ok: true, value: { hubId, ref: { vendor, identifier } } };
}

/** The `expect` of the field at a path (a nested one: of the named type's field). */
function expectOf(fields: Fields, path: PropertyKey[]): string {
  const top = fields[String(path[0])];
  if (path.length > 1 && top !== undefined) {
    const inner = top.type instanceof z.ZodOptional ? top.type.unwrap() : top.type;
    const type = FUNCTION_TYPES.find((t) => t.schema === inner);
    if (type !== undefined) return expectOf(type.fields, path.slice(1));
  }
  return top?.expect ?? "valid";
}
