/** Integrations, their credentials and the definitions (what a vendor needs). */
import { z } from "zod";
import { CreatorScope, DateTime, ID, StringMap } from "./common";
import { named } from "./registry";

// ---------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------

export const FIELD_TYPES = ["select", "string", "int", "blob"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const IntegrationField = named(
  z.object({
    name: z.string(),
    required: z.boolean(),
    description: z.string().optional(),
    regex: z.string().nullable().optional(),
    type: z.enum(FIELD_TYPES).optional(),
    options: z.array(z.string()).nullable().optional(),
  }),
  { id: "IntegrationDefinitionField", title: "IntegrationDefinitionField", from: "components/schemas/hubs/integrations/IntegrationDefinitionField.yml" },
);
export type IntegrationField = z.infer<typeof IntegrationField>;

const option = <T extends "bool" | "int" | "string", D extends z.ZodType>(type: T, value: D) =>
  z.object({ title: z.string(), key: z.string(), type: z.literal(type), default: value.nullable().optional() });

export const ExtendedConfigurationOption = z.discriminatedUnion("type", [
  option("bool", z.boolean()),
  option("int", z.number().int()),
  option("string", z.string()),
]);
export type ExtendedConfigurationOption = z.infer<typeof ExtendedConfigurationOption>;

const fieldMap = z.record(z.string(), IntegrationField).nullable();

export const IntegrationDefinition = named(
  z.object({
    vendor: z.string(),
    name: z.string(),
    supports_verification: z.boolean(),
    supports_multiple: z.boolean(),
    features: z.array(z.string()).nullable().optional(),
    extends: z.array(z.string()).nullable().optional(),
    extended_configuration: z
      .object({ options: z.array(ExtendedConfigurationOption).nullable().optional() })
      .nullable()
      .optional(),
    fields: z.object({ auth: fieldMap, extra: fieldMap }),
    url: z.url(),
    public: z.boolean(),
    usable: z.boolean(),
    deprecated: z.boolean(),
    editable: z.boolean(),
  }),
  {
    id: "IntegrationDefinition",
    title: "IntegrationDefinition",
    from: "components/schemas/hubs/integrations/IntegrationDefinition.yml, components/schemas/hubs/integrations/advanced/IntegrationAdvancedOption{Boolean,Int,String}.yml",
    departs:
      "`required` names `fields`, not the spec's stale `required_fields` (the property was renamed). `deprecated` and both `fields.auth` and `fields.extra` are required: the project's input checks read them (null where a vendor has none).",
  },
);
export type IntegrationDefinition = z.infer<typeof IntegrationDefinition>;

const definitions = IntegrationDefinition.array().nullable().optional();

/** `GET /v1/hubs/current/integrations/available`: definitions by category. */
export const AvailableIntegrations = z.object({
  "image-builders": definitions,
  "object-storage": definitions,
  "tls-certificate-generation": definitions,
  "infrastructure-provider": definitions,
  billing: definitions,
});
export type AvailableIntegrations = z.infer<typeof AvailableIntegrations>;

export const INTEGRATION_CATEGORIES = AvailableIntegrations.keyof().options;
export type IntegrationCategory = (typeof INTEGRATION_CATEGORIES)[number];

// ---------------------------------------------------------------------------
// Integrations
// ---------------------------------------------------------------------------

const credential = z.string().nullable().optional();

/** Credential fields; every one is a string or null, and there are no others. */
export const IntegrationAuth = named(
  z.strictObject({
    region: credential,
    namespace: credential,
    api_key: credential,
    key_id: credential,
    secret: credential,
    subscription_id: credential,
    client_id: credential,
    base64_config: credential,
  }),
  {
    id: "IntegrationAuth",
    title: "IntegrationAuth",
    from: "components/schemas/hubs/integrations/IntegrationAuth.yml, platform/paths/hubs/integrations/integrations.yml (create body auth)",
    departs: "Closed (additionalProperties false): only the eight credential fields exist; the emulator refuses any other key with 422.invalid-input.",
  },
);
export type IntegrationAuth = z.infer<typeof IntegrationAuth>;

/** The eight credential field names, as the API spells them. */
export const AUTH_FIELDS = IntegrationAuth.keyof().options;
export type AuthField = (typeof AUTH_FIELDS)[number];

export const INTEGRATION_STATES = ["new", "verifying", "live", "deleting", "deleted"] as const;
export type IntegrationStateName = (typeof INTEGRATION_STATES)[number];

export const IntegrationState = named(
  z.object({
    current: z.enum(INTEGRATION_STATES),
    changed: DateTime,
    error: z.object({ message: z.string().optional(), time: DateTime.optional() }).optional(),
  }),
  {
    id: "IntegrationState",
    title: "IntegrationState",
    description: "The spec's allOf of the state enum and the generic State, written as one object.",
    from: "components/schemas/hubs/integrations/IntegrationState.yml, components/schemas/State.yml",
  },
);
export type IntegrationState = z.infer<typeof IntegrationState>;

export const IntegrationEvents = z.object({ created: DateTime, updated: DateTime, deleted: DateTime });
export type IntegrationEvents = z.infer<typeof IntegrationEvents>;

export const IntegrationMeta = named(z.object({ definition: IntegrationDefinition.optional() }), {
  id: "IntegrationMeta",
  title: "IntegrationMeta",
  from: "components/schemas/hubs/integrations/IntegrationMeta.yml",
});
export type IntegrationMeta = z.infer<typeof IntegrationMeta>;

export const Integration = named(
  z.object({
    id: ID,
    name: z.string(),
    vendor: z.string(),
    identifier: z.string(),
    auth: IntegrationAuth.nullable().optional(),
    extra: StringMap.nullable().optional(),
    creator: CreatorScope,
    hub_id: ID,
    state: IntegrationState,
    events: IntegrationEvents,
    meta: IntegrationMeta.nullable().optional(),
  }),
  {
    id: "Integration",
    title: "Integration",
    from: "components/schemas/hubs/integrations/Integration.yml, components/schemas/Identifier.yml",
  },
);
export type Integration = z.infer<typeof Integration>;
