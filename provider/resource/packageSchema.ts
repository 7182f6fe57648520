/**
 * The Pulumi package schema of `cycle` (the document `pulumi package
 * get-schema` prints), built from the resource's one description
 * (`schema.ts`): the resource `cycle:index:Integration`, its credentials
 * type and the provider's config. A native provider plugin serves it from
 * GetSchema; SDKs are generated from it.
 */
import { z } from "zod";
import { CONFIG_KEYS } from "../config";
import { AUTH, AUTH_DOC, AUTH_NAMES_LIST, INPUT_NAMES, INPUTS, OUTPUT_NAMES, OUTPUTS, Property, RESOURCE_DOC } from "./schema";

export const PACKAGE_NAME = "cycle";
export const INTEGRATION_TOKEN = "cycle:index:Integration";
export const AUTH_TOKEN = "cycle:index:IntegrationAuth";

/** The kinds of value the resource's properties have. */
export type ValueKind = "string" | "boolean" | "integer" | "stringMap" | "auth";

/** What kind of value a property's type holds (read from its JSON Schema, so it cannot drift from the parser). */
export function kindOf(type: z.ZodType): ValueKind {
  const json = z.toJSONSchema(type, { io: "input", unrepresentable: "any" });
  if (json.type === "string" || json.type === "boolean" || json.type === "integer") return json.type;
  if (json.type === "object" && json.properties !== undefined) return "auth";
  if (json.type === "object" && typeof json.additionalProperties === "object" && json.additionalProperties.type === "string") return "stringMap";
  throw new Error(`no package-schema type for ${JSON.stringify(json)}`);
}

/** True when a property may be left out (an input) or absent (an output). */
export function isOptional(p: Property): boolean {
  return p.type.safeParse(undefined).success;
}

/** A Pulumi schema `PropertySpec`. */
export interface PropertySpec {
  type?: string;
  $ref?: string;
  additionalProperties?: { type: string };
  description: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
  default?: number;
  defaultInfo?: { environment: string[] };
}

export interface ObjectSpec {
  description: string;
  type: "object";
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface ResourceSpec extends ObjectSpec {
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}

export interface PackageSchema {
  name: string;
  displayName: string;
  version?: string;
  description: string;
  license: string;
  keywords: string[];
  repository?: string;
  meta: { moduleFormat: string };
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; type: "object"; inputProperties: Record<string, PropertySpec>; properties?: Record<string, PropertySpec> };
  resources: Record<string, ResourceSpec>;
  types: Record<string, ObjectSpec>;
  functions: Record<string, unknown>;
}

function propertySpec(p: Property): PropertySpec {
  const kind = kindOf(p.type);
  const typed: Pick<PropertySpec, "type" | "$ref" | "additionalProperties"> =
    kind === "auth" ? { $ref: `#/types/${AUTH_TOKEN}` } : kind === "stringMap" ? { type: "object", additionalProperties: { type: "string" } } : { type: kind };
  return {
    ...typed,
    description: p.doc,
    ...(p.secret ? { secret: true } : {}),
    // Informational: the provider's diff decides replacement. (`replaceOnChanges`
    // would make the engine replace on any change of the declared input, e.g. a
    // `hubId` declared equal to the configured hub.)
    ...(p.replaceOnChanges ? { willReplaceOnChanges: true } : {}),
    ...(p.default !== undefined ? { default: p.default } : {}),
  };
}

/** The provider's configuration, each with the environment variable that stands in for it. */
const CONFIG: Record<keyof typeof CONFIG_KEYS, { doc: string; secret?: true }> = {
  apiKey: { doc: "The Cycle API key (a hub API key from the portal).", secret: true },
  hubId: { doc: "The hub integrations live in when a resource names none (24 lowercase hex characters)." },
  apiUrl: { doc: "The Cycle API's URL (default `https://api.cycle.io`)." },
};

function configSpec(): Record<string, PropertySpec> {
  const out: Record<string, PropertySpec> = {};
  for (const [name, c] of Object.entries(CONFIG) as Array<[keyof typeof CONFIG_KEYS, (typeof CONFIG)[keyof typeof CONFIG_KEYS]]>) {
    out[name] = { type: "string", description: c.doc, ...(c.secret ? { secret: true } : {}), defaultInfo: { environment: [CONFIG_KEYS[name].env] } };
  }
  return out;
}

/** The package schema, for `version` (the package's own, without a leading `v`). */
export function packageSchema(version?: string): PackageSchema {
  const inputProperties: Record<string, PropertySpec> = {};
  for (const name of INPUT_NAMES) inputProperties[name] = propertySpec(INPUTS[name]);
  const properties: Record<string, PropertySpec> = { ...inputProperties };
  for (const name of OUTPUT_NAMES) properties[name] = propertySpec(OUTPUTS[name]);
  const described: Record<string, Property> = { ...INPUTS, ...OUTPUTS };

  const authProperties: Record<string, PropertySpec> = {};
  for (const name of AUTH_NAMES_LIST) authProperties[name] = { type: "string", description: AUTH[name].doc, secret: true };

  return {
    name: PACKAGE_NAME,
    displayName: "Cycle",
    ...(version !== undefined ? { version } : {}),
    description: "Cycle.io hub integrations: verified credentials, exactly-once creates.",
    license: "Apache-2.0",
    keywords: ["pulumi", "cycle", "cycle.io", "integrations", "kind/native"],
    meta: { moduleFormat: "(.*)" },
    config: { variables: configSpec() },
    provider: { description: "The Cycle provider: which API, key and hub to use.", type: "object", inputProperties: configSpec() },
    resources: {
      [INTEGRATION_TOKEN]: {
        description: RESOURCE_DOC,
        type: "object",
        properties,
        required: Object.keys(properties).filter((name) => !isOptional(described[name])),
        inputProperties,
        requiredInputs: INPUT_NAMES.filter((name) => !isOptional(INPUTS[name])),
      },
    },
    types: { [AUTH_TOKEN]: { description: AUTH_DOC, type: "object", properties: authProperties } },
    functions: {},
  };
}
