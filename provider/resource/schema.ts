/**
 * The Integration resource, described once: every input and output, its
 * type, which are secret, which replace the integration when they change,
 * defaults, limits and a one-line doc. Everything else is derived from here:
 * the parsed types the provider works with (`model.ts`), the checks of
 * `pulumi preview` (`parse.ts`), the public argument types with their docs
 * (`generated/integrationTypes.ts`, written by `npm run generate`), the
 * resource class's property list and the Pulumi package schema
 * (`packageSchema.ts`).
 *
 * Adding an input is one entry in `INPUTS` (plus its tests); `npm run
 * generate` then rewrites the public types.
 */
import { z } from "zod";
import { normalizeBaseUrl } from "../api/baseUrl";
import { AuthField, ID_PATTERN } from "../api/types";

/** The resource, in one paragraph. */
export const RESOURCE_DOC =
  "A Cycle hub integration: cloud provider credentials, object storage for backups, TLS certificate generation, an image builder, or billing.";

/** The credentials object, in one line. */
export const AUTH_DOC = "Credentials of an integration. Which fields a vendor needs is in its definition (`getAvailableIntegrations()`).";

/** Limits on our own settings, so a typo cannot make a deploy hang for days. */
const MAX_TIMEOUT_SECONDS = 6 * 60 * 60;
export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 300;
export const DEFAULT_DELETE_TIMEOUT_SECONDS = 300;
const MIN_NAME_LENGTH = 5;
/** The API's rule (contract/README.md): an identifier, declared or derived from the name, has at least 3 characters. */
export const MIN_IDENTIFIER_LENGTH = 3;

/** One property of the resource. */
export interface Property<T extends z.ZodType = z.ZodType> {
  /** What the value is, in the program's inputs and in state. Optional properties are `.optional()`. */
  type: T;
  /** One line, for editors and the package schema. Plain text with `code` spans. */
  doc: string;
  /** How a wrong value is named in a check failure: "<property> must be <expect>". */
  expect: string;
  /** Kept secret in state and never quoted in a message. */
  secret?: true;
  /** A change replaces the integration. */
  replaceOnChanges?: true;
  /** The value used when the program leaves it out (documented; the code applies it). */
  default?: number;
  /**
   * A rule on a declared value beyond its type, applied at check only:
   * values the hub gives back (a name renamed outside Pulumi) may break it
   * and must still parse from state. Returns why the value is refused.
   */
  limit?: (value: Exclude<z.output<T>, undefined>) => string | undefined;
}

/** Infers `T` from the type, so that `limit` gets the value's type. */
function property<T extends z.ZodType>(p: Property<T>): Property<T> {
  return p;
}

const cycleId = z.string().regex(ID_PATTERN);
const timeout = z.number().int().min(1).max(MAX_TIMEOUT_SECONDS);
const stringMap = z.record(z.string(), z.string());

/** A credential field: our camelCase name → the API's name and a doc. */
interface AuthProperty {
  api: AuthField;
  doc: string;
}

/** Credentials, camelCase as users write them. Which ones a vendor needs is in its definition (`getAvailableIntegrations()`). */
export const AUTH = {
  region: { api: "region", doc: "A region the credentials belong to, for vendors that ask for one (the API's `auth.region`)." },
  namespace: { api: "namespace", doc: "A namespace or tenant, for vendors that ask for one, e.g. an Azure tenant ID (the API's `auth.namespace`)." },
  apiKey: { api: "api_key", doc: "An API key or token, e.g. Depot's or Stripe's (the API's `auth.api_key`)." },
  keyId: { api: "key_id", doc: "The public half of a key pair, e.g. an AWS access key ID or a Backblaze B2 key ID (the API's `auth.key_id`)." },
  secret: { api: "secret", doc: "The secret half of a key pair, e.g. an AWS secret access key or a Backblaze B2 application key (the API's `auth.secret`)." },
  subscriptionId: { api: "subscription_id", doc: "A subscription ID, e.g. Azure's (the API's `auth.subscription_id`)." },
  clientId: { api: "client_id", doc: "A client or application ID, e.g. an Azure service principal's (the API's `auth.client_id`)." },
  base64Config: { api: "base64_config", doc: "A whole credentials file, base64-encoded, e.g. a GCP service account key (the API's `auth.base64_config`)." },
} as const satisfies Record<string, AuthProperty>;

export type AuthName = keyof typeof AUTH;
export const AUTH_NAMES_LIST = Object.keys(AUTH) as AuthName[];

const authType = z.strictObject(mapShape(AUTH, () => z.string().optional()));

/** What a program declares. The order is the order of the docs and the package schema. */
export const INPUTS = {
  vendor: property({
    type: z.string(),
    doc: "Which integration definition this is, e.g. `aws` or `backblaze-b2`. Changing it replaces the integration.",
    expect: "a string",
    replaceOnChanges: true,
    limit: (v) => (v === "" ? "vendor is required" : undefined),
  }),
  name: property({
    type: z.string(),
    doc: `Display name; at least ${MIN_NAME_LENGTH} characters.`,
    expect: "a string",
    limit: (v) => (v.trim().length < MIN_NAME_LENGTH ? `name must be at least ${MIN_NAME_LENGTH} characters (got ${v.trim().length})` : undefined),
  }),
  identifier: property({
    type: z.string().optional(),
    doc: `Human-readable identifier, at least ${MIN_IDENTIFIER_LENGTH} characters. Left out, the API derives one from the name and Pulumi leaves it alone.`,
    expect: "a string",
    limit: (v) => (v.length < MIN_IDENTIFIER_LENGTH ? `identifier must be at least ${MIN_IDENTIFIER_LENGTH} characters (got ${v.length})` : undefined),
  }),
  auth: property({
    type: authType.optional(),
    doc: "Credentials. Always stored as a secret, wrapped or not.",
    expect: "an object of credential fields",
    secret: true,
  }),
  extra: property({
    type: stringMap.optional(),
    doc: "Vendor-specific settings (`fields.extra` of the definition). Left out, the hub's values are not managed.",
    expect: "a map of strings",
  }),
  verify: property({
    type: z.boolean().optional(),
    doc: "Run a verify job after create and after a change of credentials. Default: true when the vendor supports verification.",
    expect: "true or false",
  }),
  verifyTrigger: property({
    type: z.string().optional(),
    doc: "Any value. When it changes, the next `pulumi up` runs a verify job for the integration even though its credentials did not change: a scheduled workflow sets it (say, to the date) to find credentials that stopped working at the vendor. The result shows in `verified` and `stateError`, and a failure fails the update naming the integration.",
    expect: "a string (any value: a change runs a verify job again)",
  }),
  hubId: property({
    type: cycleId.optional(),
    doc: "The hub this integration lives in, instead of `cycle:hubId`. Changing it replaces the integration.",
    expect: "a Cycle ID of 24 lowercase hex characters",
    replaceOnChanges: true,
  }),
  verifyTimeoutSeconds: property({
    type: timeout.optional(),
    doc: `How long to wait for a verify job, in seconds: an integer from 1 to ${MAX_TIMEOUT_SECONDS}. Default ${DEFAULT_VERIFY_TIMEOUT_SECONDS}. A job still running then is followed by the next \`pulumi up\`.`,
    expect: `a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`,
    default: DEFAULT_VERIFY_TIMEOUT_SECONDS,
  }),
  deleteTimeoutSeconds: property({
    type: timeout.optional(),
    doc: `How long to wait for a delete job, in seconds: an integer from 1 to ${MAX_TIMEOUT_SECONDS}. Default ${DEFAULT_DELETE_TIMEOUT_SECONDS}.`,
    expect: `a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`,
    default: DEFAULT_DELETE_TIMEOUT_SECONDS,
  }),
  adoptId: property({
    type: cycleId.optional(),
    doc: "Take over this existing integration on create instead of making a new one.",
    expect: "a Cycle ID of 24 lowercase hex characters",
  }),
  adoptByIdentifier: property({
    type: z.boolean().optional(),
    doc: "On create, take over the one existing integration of this vendor with this `identifier`, if there is one.",
    expect: "true or false",
  }),
  apiKey: property({
    type: z.string().optional(),
    doc: "This integration's own API key, instead of `cycle:apiKey`: one program can manage hubs that no single key reaches. Stored in state as a secret, wrapped or not.",
    expect: "a string",
    secret: true,
    limit: (v) => (v.trim() === "" ? "apiKey must not be empty" : undefined),
  }),
  apiUrl: property({
    type: z.string().optional(),
    doc: "This integration's own API URL, instead of `cycle:apiUrl` (default `https://api.cycle.io`).",
    expect: "a string",
    limit: (v) => {
      try {
        normalizeBaseUrl(v);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  }),
};

/** What the provider adds in state. Inputs are outputs too; `identifier` and `hubId` are always resolved there. */
export const OUTPUTS = {
  identifier: property({ type: z.string(), doc: "The identifier the hub has, declared or derived by the API.", expect: "a string" }),
  hubId: property({ type: cycleId, doc: "The hub the integration lives in.", expect: "a Cycle ID of 24 lowercase hex characters", replaceOnChanges: true }),
  integrationId: property({ type: cycleId, doc: "The integration's Cycle ID (the same as `id`).", expect: "a Cycle ID of 24 lowercase hex characters" }),
  state: property({ type: z.string(), doc: "`new`, `verifying`, `live`, `deleting` or `deleted`.", expect: "a string" }),
  stateError: property({ type: z.string().optional(), doc: "Why the last verification failed, if it did.", expect: "a string" }),
  verified: property({
    type: z.boolean(),
    doc: "True once a verify job succeeded for the current credentials, or when the vendor needs no verification.",
    expect: "true or false",
  }),
  lastVerifyJobId: property({ type: z.string().optional(), doc: "The last verify job this provider ran.", expect: "a string" }),
  // Optional: the API need not say who created an integration.
  creatorType: property({ type: z.string().optional(), doc: "Who created the integration: `api-key`, `account`, ...", expect: "a string" }),
  createdAt: property({ type: z.string(), doc: "When it was created (RFC 3339).", expect: "a string" }),
  updatedAt: property({ type: z.string(), doc: "When it last changed (RFC 3339).", expect: "a string" }),
  supportsVerification: property({ type: z.boolean(), doc: "Whether the vendor's definition supports verification.", expect: "true or false" }),
  editable: property({ type: z.boolean(), doc: "Whether the integration can be changed in place; if not, every change replaces it.", expect: "true or false" }),
  supportsMultiple: property({ type: z.boolean(), doc: "Whether the hub may hold more than one integration of this vendor.", expect: "true or false" }),
};

/** Optional inputs whose absence means "whatever the hub has". */
const OPTIONAL_FIELDS = ["identifier", "extra", "hubId"] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/** The provider's own bookkeeping, never declared by a program and not part of the package schema. */
export const BOOKKEEPING = {
  /**
   * Set by check when the resource already exists: adoption applies to the
   * first create only, so a replacement creates a new integration instead
   * of taking over the old one again. An engine input.
   */
  adoptionDone: z.boolean().optional(),
  /**
   * Which optional inputs the program declared. `identifier` and `hubId`
   * hold resolved values in the outputs, and `read` must hand back inputs
   * as the program declared them, so this remembers which were. In state;
   * optional, as read has always taken a missing one for "none declared".
   */
  declared: z.array(z.enum(OPTIONAL_FIELDS)).optional(),
  /**
   * Only on a placeholder (see unsettled.ts): what is known of a create whose
   * outcome could not be settled, for the next run to settle it. No
   * credentials.
   */
  unsettledCreate: z
    .object({
      hubId: z.string(),
      intent: z.object({ vendor: z.string(), name: z.string(), identifier: z.string(), extra: z.record(z.string(), z.string()).optional() }),
      sentAt: z.string(),
      failedAt: z.string().optional(),
      notAfter: z.string().optional(),
      preExisting: z.array(z.string()),
      answered: z.boolean(),
      candidates: z.array(z.string()),
    })
    .optional(),
};

/** Inputs kept secret in state whether or not the program made them secret. */
export const SECRET_INPUTS = (Object.keys(INPUTS) as Array<keyof typeof INPUTS>).filter((k) => (INPUTS[k] as Property).secret);

/** Keys the engine adds itself. */
export const ENGINE_KEYS: ReadonlySet<string> = new Set(["__provider"]);

export type InputName = keyof typeof INPUTS;
export type OutputName = keyof typeof OUTPUTS;
export const INPUT_NAMES = Object.keys(INPUTS) as InputName[];
export const OUTPUT_NAMES = Object.keys(OUTPUTS) as OutputName[];

/** Every property of an Integration (inputs first, then outputs), each once. */
export const PROPERTY_NAMES: ReadonlyArray<InputName | OutputName> = [...new Set<InputName | OutputName>([...INPUT_NAMES, ...OUTPUT_NAMES])];

/** The zod shape of a table of properties: each property's type. */
export type ShapeOf<T extends Record<string, { type: z.ZodType }>> = { [K in keyof T]: T[K]["type"] };

export function shapeOf<T extends Record<string, { type: z.ZodType }>>(table: T): ShapeOf<T> {
  const out = {} as ShapeOf<T>;
  for (const key of Object.keys(table) as Array<keyof T>) out[key] = table[key].type;
  return out;
}

/** `{ k: f(table[k]) }` for every key of a table, one type for all. */
function mapShape<T extends object, R>(table: T, f: (value: T[keyof T]) => R): Record<keyof T, R> {
  const out = {} as Record<keyof T, R>;
  for (const key of Object.keys(table) as Array<keyof T>) out[key] = f(table[key]);
  return out;
}
