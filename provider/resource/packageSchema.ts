/**
 * The Pulumi package schema of `cycle` (the document `pulumi package
 * get-schema` prints), built from the resource's one description
 * (`schema.ts`) and the functions' (`functionSchema.ts`): the resource
 * `cycle:index:Integration`, its credentials type, the provider's config and
 * the lookup functions. A native provider plugin serves it from GetSchema;
 * `npm run schema` writes it to `schema.json`, which the SDKs in `sdk/` are
 * generated from (`npm run sdk`).
 */
import { z } from "zod";
import { CONFIG_KEYS } from "../config";
import { Fields, FUNCTION_TYPES, FUNCTIONS, NamedType } from "./functionSchema";
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

/** True when a property or field may be left out (an input) or absent (an output). */
export function isOptional(p: Pick<Property, "type">): boolean {
  return p.type.safeParse(undefined).success;
}

/** The npm package of the generated Node.js SDK (not `pulumi-cycle`, which is this package, the dynamic provider). */
export const NODEJS_PACKAGE = "@pulumi-cycle/cycle";
/** The Python package of the generated SDK. */
export const PYTHON_PACKAGE = "pulumi_cycle";
/** The Go import path of the generated SDK's package (its module is the directory above: `sdk/go`). */
export const GO_IMPORT_BASE_PATH = "github.com/cycle-pulumi/pulumi-cycle/sdk/go/cycle";

/** A Pulumi schema `TypeSpec`. */
export interface TypeSpec {
  type?: string;
  $ref?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
}

/** A Pulumi schema `PropertySpec`. */
export interface PropertySpec extends TypeSpec {
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

/** A Pulumi schema `FunctionSpec`: arguments and result as objects. */
export interface FunctionSpec {
  description: string;
  inputs: ObjectSpec;
  outputs: ObjectSpec;
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
  meta: { moduleFormat: string; supportPack: boolean };
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; type: "object"; inputProperties: Record<string, PropertySpec>; properties?: Record<string, PropertySpec> };
  resources: Record<string, ResourceSpec>;
  types: Record<string, ObjectSpec>;
  functions: Record<string, FunctionSpec>;
  language: Record<"nodejs" | "python" | "go", Record<string, unknown>>;
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

/** The type of a function's field: a named object type by reference, arrays and maps of types, or a plain value. */
function typeSpecOf(type: z.ZodType, named: ReadonlyMap<z.ZodType, string>): TypeSpec {
  let inner: z.ZodType = type;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  const token = named.get(inner);
  if (token !== undefined) return { $ref: `#/types/${token}` };
  if (inner instanceof z.ZodArray) return { type: "array", items: typeSpecOf(inner.element as z.ZodType, named) };
  if (inner instanceof z.ZodRecord) return { type: "object", additionalProperties: typeSpecOf(inner.valueType as z.ZodType, named) };
  const json = z.toJSONSchema(inner, { io: "output", unrepresentable: "any" });
  if (json.type === "string" || json.type === "boolean" || json.type === "integer" || json.type === "number") return { type: json.type };
  throw new Error(`no package-schema type for ${JSON.stringify(json)} (an object must be one of the named types)`);
}

/** An object of fields: each with its type and doc; those that cannot be absent required. */
function objectSpec(description: string, fields: Fields, named: ReadonlyMap<z.ZodType, string>): ObjectSpec {
  const properties: Record<string, PropertySpec> = {};
  for (const [name, f] of Object.entries(fields)) properties[name] = { ...typeSpecOf(f.type, named), description: f.doc };
  const required = Object.keys(fields).filter((name) => !isOptional(fields[name]));
  return { description, type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

function functionsSpec(named: ReadonlyMap<z.ZodType, string>): Record<string, FunctionSpec> {
  const out: Record<string, FunctionSpec> = {};
  for (const [token, fn] of Object.entries(FUNCTIONS)) {
    out[token] = {
      description: fn.doc,
      inputs: objectSpec(`The arguments of ${token}.`, fn.args, named),
      outputs: objectSpec(`The result of ${token}.`, fn.result, named),
    };
  }
  return out;
}

function functionTypesSpec(named: ReadonlyMap<z.ZodType, string>): Record<string, ObjectSpec> {
  return Object.fromEntries(FUNCTION_TYPES.map((t: NamedType) => [t.token, objectSpec(t.doc, t.fields, named)]));
}

/** The package schema, for `version` (the package's own, from package.json, without a leading `v`). */
export function packageSchema(version?: string): PackageSchema {
  const inputProperties: Record<string, PropertySpec> = {};
  for (const name of INPUT_NAMES) inputProperties[name] = propertySpec(INPUTS[name]);
  const properties: Record<string, PropertySpec> = { ...inputProperties };
  for (const name of OUTPUT_NAMES) properties[name] = propertySpec(OUTPUTS[name]);
  const described: Record<string, Property> = { ...INPUTS, ...OUTPUTS };

  const named: ReadonlyMap<z.ZodType, string> = new Map(FUNCTION_TYPES.map((t) => [t.schema as z.ZodType, t.token]));

  const authProperties: Record<string, PropertySpec> = {};
  for (const name of AUTH_NAMES_LIST) authProperties[name] = { type: "string", description: AUTH[name].doc, secret: true };

  return {
    name: PACKAGE_NAME,
    displayName: "Cycle",
    ...(version !== undefined ? { version } : {}),
    description: "Cycle.io hub integrations: verified credentials, exactly-once creates.",
    license: "Apache-2.0",
    keywords: ["pulumi", "cycle", "cycle.io", "integrations", "kind/native"],
    // supportPack: each SDK is a package of its own with the schema's version (Go a go.mod, Python a pyproject.toml).
    meta: { moduleFormat: "(.*)", supportPack: true },
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
    types: { [AUTH_TOKEN]: { description: AUTH_DOC, type: "object", properties: authProperties }, ...functionTypesSpec(named) },
    functions: functionsSpec(named),
    language: {
      nodejs: { packageName: NODEJS_PACKAGE, packageDescription: "The Cycle provider's Node.js SDK: Cycle.io hub integrations." },
      python: { packageName: PYTHON_PACKAGE, pyproject: { enabled: true } },
      go: { importBasePath: GO_IMPORT_BASE_PATH, generateResourceContainerTypes: true },
    },
  };
}
