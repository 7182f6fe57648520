/**
 * Validation of request bodies against the contract and the vendor's
 * definition. Every check throws an `ApiError` whose `source` is a JSON
 * pointer to the offending input. The first failure wins, in this order:
 * shape (422.invalid-input) → vendor → name → identifier → auth → extra.
 */
import { AUTH_FIELDS, AuthField, IntegrationAuth, IntegrationDefinition, IntegrationField } from "../provider/api/contract";
import { findEntry } from "./catalogue";
import { ApiError, invalidArgument, invalidInput, missingArgument, pointer } from "./errors";

export const MIN_NAME_LENGTH = 5;
export const MIN_IDENTIFIER_LENGTH = 3;

type JsonObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * "My Container" → "my-container": lowercase, every run of characters other
 * than a-z and 0-9 becomes one dash, no dash at either end.
 */
export function tokenize(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function requireObject(body: unknown): JsonObject {
  if (!isPlainObject(body)) throw invalidInput("the request body must be a JSON object");
  return body;
}

function rejectUnknownKeys(body: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalidInput(`unknown property "${key}"`, pointer(key));
  }
}

function optionalString(body: JsonObject, key: string, nullable: boolean): string | null | undefined {
  if (!(key in body)) return undefined;
  const v = body[key];
  if (v === null && nullable) return null;
  if (typeof v !== "string") throw invalidInput(`"${key}" must be a string${nullable ? " or null" : ""}`, pointer(key));
  return v;
}

/** Shape of `auth`: an object of the eight IntegrationAuth fields, each string or null. */
function parseAuth(v: unknown): IntegrationAuth {
  if (!isPlainObject(v)) throw invalidInput(`"auth" must be an object`, "/auth");
  const out: IntegrationAuth = {};
  for (const [k, val] of Object.entries(v)) {
    if (!(AUTH_FIELDS as readonly string[]).includes(k)) throw invalidInput(`"${k}" is not an auth field`, pointer("auth", k));
    if (val !== null && typeof val !== "string") throw invalidInput(`auth.${k} must be a string or null`, pointer("auth", k));
    out[k as AuthField] = val;
  }
  return out;
}

/** Shape of `extra`: a map of string to string. */
function parseExtra(v: unknown): Record<string, string> {
  if (!isPlainObject(v)) throw invalidInput(`"extra" must be an object of strings`, "/extra");
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== "string") throw invalidInput(`extra.${k} must be a string`, pointer("extra", k));
    out[k] = val;
  }
  return out;
}

function checkName(name: string): void {
  if (name.trim().length < MIN_NAME_LENGTH) {
    throw invalidArgument(`name must be at least ${MIN_NAME_LENGTH} characters`, "/name");
  }
}

function checkIdentifier(identifier: string): void {
  if (identifier.trim().length < MIN_IDENTIFIER_LENGTH) {
    throw invalidArgument(`identifier must be at least ${MIN_IDENTIFIER_LENGTH} characters`, "/identifier");
  }
}

function checkValue(group: string, key: string, f: IntegrationField, value: string): void {
  const where = pointer(group, key);
  if (f.type === "select" && f.options && !f.options.includes(value)) {
    throw invalidArgument(`${group}.${key} must be one of ${f.options.join(", ")}`, where);
  }
  if (f.type === "int" && !/^-?[0-9]+$/.test(value)) throw invalidArgument(`${group}.${key} must be an integer`, where);
  if (f.regex && !new RegExp(f.regex).test(value)) {
    throw invalidArgument(`${group}.${key} does not match ${f.regex}`, where);
  }
}

/**
 * Checks a group of values (`auth` or `extra`) against the definition's
 * fields: no key the vendor does not define, every required field present and
 * non-empty, every given value passing its type, options and regex.
 */
function checkFields(group: "auth" | "extra", values: IntegrationAuth | Record<string, string> | null, fields: Record<string, IntegrationField> | null): void {
  const given = new Map<string, string | null | undefined>(Object.entries(values ?? {}));
  for (const [key, value] of given) {
    // A null is "not set", so echoing back a stored auth object (all eight
    // fields, nulls included) is accepted.
    if (value === null && group === "auth") continue;
    if (!fields || !(key in fields)) throw invalidArgument(`${group}.${key} is not a field of this vendor`, pointer(group, key));
  }
  for (const [key, f] of Object.entries(fields ?? {})) {
    const value = given.get(key);
    if (value === undefined || value === null || value === "") {
      if (f.required) throw missingArgument(`${group}.${key} (${f.name}) is required`, pointer(group, key));
      continue;
    }
    checkValue(group, key, f, value);
  }
}

/**
 * The stored form of auth: all eight fields, null where not given, the way a
 * typed API serialises its struct. A vendor without auth fields, given none,
 * stores null.
 */
function normaliseAuth(auth: IntegrationAuth | undefined, def: IntegrationDefinition): IntegrationAuth | null {
  if (auth === undefined && !def.fields.auth) return null;
  const out: IntegrationAuth = {};
  for (const k of AUTH_FIELDS) out[k] = auth?.[k] ?? null;
  return out;
}

function definitionFor(vendor: string): IntegrationDefinition {
  const entry = findEntry(vendor);
  if (!entry) throw invalidArgument(`unknown vendor "${vendor}"`, "/vendor");
  const def = entry.definition;
  if (def.deprecated) throw invalidArgument(`vendor "${vendor}" is deprecated; new integrations cannot be created`, "/vendor");
  if (!def.usable) throw new ApiError("403.not-allowed", `vendor "${vendor}" cannot be used at this time`, { source: "/vendor" });
  return def;
}

export interface ValidCreate {
  name: string;
  vendor: string;
  identifier: string;
  auth: IntegrationAuth | null;
  extra: Record<string, string> | null;
}

const CREATE_KEYS = ["name", "vendor", "identifier", "auth", "extra"] as const;

export function validateCreate(raw: unknown): ValidCreate {
  const body = requireObject(raw);
  rejectUnknownKeys(body, CREATE_KEYS);
  const name = optionalString(body, "name", false);
  const vendor = optionalString(body, "vendor", false);
  const identifier = optionalString(body, "identifier", false);
  const auth = "auth" in body ? parseAuth(body.auth) : undefined;
  const extra = "extra" in body ? parseExtra(body.extra) : undefined;

  if (vendor === undefined || vendor === null || vendor === "") throw missingArgument("vendor is required", "/vendor");
  const def = definitionFor(vendor);

  if (name === undefined || name === null) throw missingArgument("name is required", "/name");
  checkName(name);

  let finalIdentifier: string;
  if (identifier !== undefined && identifier !== null) {
    checkIdentifier(identifier);
    finalIdentifier = identifier;
  } else {
    finalIdentifier = tokenize(name);
    if (finalIdentifier.length < MIN_IDENTIFIER_LENGTH) {
      throw invalidArgument(`no identifier of at least ${MIN_IDENTIFIER_LENGTH} characters can be derived from the name; give one`, "/name");
    }
  }

  checkFields("auth", auth ?? null, def.fields.auth);
  checkFields("extra", extra ?? null, def.fields.extra);

  return { name, vendor, identifier: finalIdentifier, auth: normaliseAuth(auth, def), extra: extra ?? null };
}

/** A validated PATCH: only the fields that are to change are present. */
export interface ValidUpdate {
  name?: string;
  identifier?: string;
  auth?: IntegrationAuth | null;
  extra?: Record<string, string>;
}

const UPDATE_KEYS = ["name", "identifier", "auth", "extra"] as const;

/**
 * `null` for name, auth or extra means "leave unchanged"; a given `auth` or
 * `extra` replaces the stored one as a whole (no merge), and is checked as a
 * whole against the definition.
 */
export function validateUpdate(raw: unknown, def: IntegrationDefinition): ValidUpdate {
  const body = requireObject(raw);
  if ("vendor" in body) throw invalidArgument("the vendor of an integration cannot change", "/vendor");
  rejectUnknownKeys(body, UPDATE_KEYS);
  const out: ValidUpdate = {};

  const name = optionalString(body, "name", true);
  if (typeof name === "string") {
    checkName(name);
    out.name = name;
  }
  const identifier = optionalString(body, "identifier", false);
  if (typeof identifier === "string") {
    checkIdentifier(identifier);
    out.identifier = identifier;
  }
  if ("auth" in body && body.auth !== null) {
    const auth = parseAuth(body.auth);
    checkFields("auth", auth, def.fields.auth);
    out.auth = normaliseAuth(auth, def);
  }
  if ("extra" in body && body.extra !== null) {
    const extra = parseExtra(body.extra);
    checkFields("extra", extra, def.fields.extra);
    out.extra = extra;
  }
  return out;
}

const TASK_ACTIONS = ["verify"] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Body of `POST .../tasks`: exactly `{"action": "verify"}`. */
export function validateTask(raw: unknown): TaskAction {
  const body = requireObject(raw);
  rejectUnknownKeys(body, ["action"]);
  const action = optionalString(body, "action", false);
  if (action === undefined || action === null || action === "") throw missingArgument("action is required", "/action");
  if (!(TASK_ACTIONS as readonly string[]).includes(action)) {
    throw invalidArgument(`unknown action "${action}"; supported: ${TASK_ACTIONS.join(", ")}`, "/action");
  }
  return action as TaskAction;
}
