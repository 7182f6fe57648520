/**
 * The project's JSON schemas (contract/schemas/*.json), loaded into one
 * draft 2020-12 validator. Each schema's `$id` is under one base, so the
 * `$ref`s between files resolve by file name.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020, { ErrorObject } from "ajv/dist/2020";
import addFormats from "ajv-formats";

export const SCHEMA_DIR = path.resolve(__dirname, "../../contract/schemas");
const BASE = "https://pulumi-cycle.invalid/contract/schemas/";

export type SchemaName =
  | "AvailableIntegrationsDocument"
  | "CreateIntegrationJobRequest"
  | "CreateIntegrationRequest"
  | "ErrorDocument"
  | "IntegrationDocument"
  | "IntegrationListDocument"
  | "JobDescriptorDocument"
  | "JobDocument"
  | "ListIntegrationsQuery"
  | "MetaQuery"
  | "NoQuery"
  | "RequestHeaders"
  | "UpdateIntegrationRequest";

interface SchemaFile {
  $id: string;
  $comment: string;
  [key: string]: unknown;
}

export function loadSchemaFiles(): Map<string, SchemaFile> {
  const out = new Map<string, SchemaFile>();
  for (const file of readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    out.set(file.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), "utf8")) as SchemaFile);
  }
  return out;
}

function buildValidator(): Ajv2020 {
  // allowUnionTypes: the spec's nullable values are `type: [X, "null"]`.
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const schema of loadSchemaFiles().values()) ajv.addSchema(schema);
  return ajv;
}

const ajv = buildValidator();

const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`).join("; ");

/** Validation errors of `value` against a schema, or "" when it is valid. */
export function violations(name: SchemaName, value: unknown): string {
  const validate = ajv.getSchema(`${BASE}${name}.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? "" : describeErrors(validate.errors);
}

let adhocCount = 0;

/** A checker for an ad-hoc schema that may `$ref` the project's (by file name); compile once, use many times. */
export function checkerOf(schema: object): (value: unknown) => string {
  const validate = ajv.compile({ $id: `${BASE}adhoc-${++adhocCount}.json`, ...schema });
  return (value) => (validate(value) ? "" : describeErrors(validate.errors));
}
