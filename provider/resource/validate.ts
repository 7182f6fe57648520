import { ID_PATTERN, IntegrationDefinition, IntegrationField } from "../api/types";
import { AUTH_INPUT_NAMES, AUTH_NAMES, AuthInputs, IntegrationInputs } from "./model";
import { UNKNOWN } from "./unknown";
import { normalizeBaseUrl } from "../api/baseUrl";

/** One problem with one property, as Pulumi's check reports it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Limits on our own settings, so a typo cannot make a deploy hang for days. */
export const MAX_TIMEOUT_SECONDS = 6 * 60 * 60;

const KNOWN_INPUTS = new Set<string>([
  "vendor",
  "name",
  "identifier",
  "auth",
  "extra",
  "verify",
  "verifyTrigger",
  "hubId",
  "verifyTimeoutSeconds",
  "deleteTimeoutSeconds",
  "adoptId",
  "adoptByIdentifier",
  "apiKey",
  "apiUrl",
]);

/** Keys the engine adds itself. */
const ENGINE_KEYS = new Set(["__provider"]);

type Raw = Record<string, unknown>;

const known = (v: unknown) => v !== UNKNOWN;

/**
 * Checks the shape of the inputs without the API: types, lengths, ID
 * formats, option combinations. Returns failures, each naming its property.
 * Credential values are never quoted in a reason.
 */
export function validateShape(raw: Raw): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  for (const key of Object.keys(raw)) {
    if (!KNOWN_INPUTS.has(key) && !ENGINE_KEYS.has(key)) fail(key, `unknown property \`${key}\``);
  }

  if (raw.vendor === undefined || raw.vendor === null || raw.vendor === "") fail("vendor", "vendor is required");
  else if (known(raw.vendor) && typeof raw.vendor !== "string") fail("vendor", "vendor must be a string");

  if (raw.name === undefined || raw.name === null) fail("name", "name is required");
  else if (known(raw.name)) {
    if (typeof raw.name !== "string") fail("name", "name must be a string");
    else if (raw.name.trim().length < 5) fail("name", `name must be at least 5 characters (got ${raw.name.trim().length})`);
  }

  if (raw.identifier !== undefined && known(raw.identifier)) {
    if (typeof raw.identifier !== "string") fail("identifier", "identifier must be a string");
    else if (raw.identifier.length < 3) fail("identifier", `identifier must be at least 3 characters (got ${raw.identifier.length})`);
  }

  if (raw.auth !== undefined && known(raw.auth)) {
    if (!isPlainObject(raw.auth)) fail("auth", "auth must be an object of credential fields");
    else {
      for (const [k, v] of Object.entries(raw.auth)) {
        if (!(AUTH_INPUT_NAMES as string[]).includes(k)) {
          // The catalogue and the API spell fields in snake_case; the resource takes camelCase.
          const camel = (AUTH_NAMES as Record<string, string>)[k];
          const hint = camel ? `; did you mean \`${camel}\`? (the API's \`${k}\` is \`${camel}\` here)` : `; known fields are ${AUTH_INPUT_NAMES.join(", ")}`;
          fail(`auth.${k}`, `unknown credential field \`${k}\`${hint}`);
        } else if (v !== undefined && v !== null && known(v) && typeof v !== "string") {
          fail(`auth.${k}`, `auth.${k} must be a string`);
        }
      }
    }
  }

  if (raw.extra !== undefined && known(raw.extra)) {
    if (!isPlainObject(raw.extra)) fail("extra", "extra must be a map of strings");
    else {
      for (const [k, v] of Object.entries(raw.extra)) {
        if (known(v) && typeof v !== "string") fail(`extra.${k}`, `extra.${k} must be a string`);
      }
    }
  }

  if (raw.verify !== undefined && known(raw.verify) && typeof raw.verify !== "boolean") fail("verify", "verify must be true or false");
  if (raw.verifyTrigger !== undefined && known(raw.verifyTrigger) && typeof raw.verifyTrigger !== "string") {
    fail("verifyTrigger", "verifyTrigger must be a string (any value: a change runs a verify job again)");
  }
  if (raw.adoptByIdentifier !== undefined && known(raw.adoptByIdentifier) && typeof raw.adoptByIdentifier !== "boolean") {
    fail("adoptByIdentifier", "adoptByIdentifier must be true or false");
  }

  for (const key of ["hubId", "adoptId"] as const) {
    const v = raw[key];
    if (v !== undefined && known(v) && (typeof v !== "string" || !ID_PATTERN.test(v))) {
      fail(key, `${key} must be a Cycle ID of 24 lowercase hex characters`);
    }
  }

  if (raw.apiKey !== undefined && known(raw.apiKey) && (typeof raw.apiKey !== "string" || raw.apiKey.trim() === "")) fail("", "apiKey must be a non-empty string");
  if (raw.apiUrl !== undefined && known(raw.apiUrl)) {
    if (typeof raw.apiUrl !== "string") fail("apiUrl", "apiUrl must be a string");
    else {
      try {
        normalizeBaseUrl(raw.apiUrl);
      } catch (err) {
        fail("apiUrl", (err as Error).message);
      }
    }
  }

  for (const key of ["verifyTimeoutSeconds", "deleteTimeoutSeconds"] as const) {
    const v = raw[key];
    if (v !== undefined && known(v) && (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_TIMEOUT_SECONDS)) {
      fail(key, `${key} must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`);
    }
  }

  if (raw.adoptId !== undefined && raw.adoptByIdentifier === true) {
    fail("adoptId", "set either adoptId or adoptByIdentifier, not both");
  }
  if (raw.adoptByIdentifier === true && raw.identifier === undefined) {
    fail("adoptByIdentifier", "adoptByIdentifier needs `identifier` to find the integration to adopt");
  }
  return failures;
}

export interface DefinitionContext {
  definition: IntegrationDefinition;
  /** True when the resource already exists with this vendor (not a new instance). */
  existing: boolean;
}

/**
 * Checks the inputs against the vendor's definition: the rules the API
 * applies on create, so that a bad program fails at preview, before any
 * change is made.
 */
export function validateAgainstDefinition(inputs: IntegrationInputs, ctx: DefinitionContext): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const def = ctx.definition;

  if (!ctx.existing) {
    if (def.deprecated) fail("vendor", `vendor \`${def.vendor}\` is deprecated: new integrations of it cannot be created`);
    if (!def.usable) fail("vendor", `vendor \`${def.vendor}\` cannot be used at this time`);
  }
  if (inputs.verify === true && !def.supports_verification) {
    fail("verify", `vendor \`${def.vendor}\` does not support verification; remove \`verify\` or set it to false`);
  }

  const authFields = def.fields.auth ?? {};
  const auth: AuthInputs = inputs.auth ?? {};
  if (inputs.auth !== undefined && known(inputs.auth)) {
    for (const [apiName, field] of Object.entries(authFields)) {
      const ours = (AUTH_NAMES as Record<string, string>)[apiName] ?? apiName;
      checkField(`auth.${ours}`, (auth as Record<string, unknown>)[ours], field, def.vendor, false, fail);
    }
    for (const ours of Object.keys(auth)) {
      const apiName = Object.entries(AUTH_NAMES).find(([, o]) => o === ours)?.[0];
      if (apiName && !(apiName in authFields) && (auth as Record<string, unknown>)[ours] !== undefined) {
        fail(`auth.${ours}`, `vendor \`${def.vendor}\` has no credential field \`${ours}\`${listOf("auth", authFields)}`);
      }
    }
  } else if (inputs.auth === undefined) {
    for (const [apiName, field] of Object.entries(authFields)) {
      if (field.required) fail(`auth.${(AUTH_NAMES as Record<string, string>)[apiName] ?? apiName}`, `vendor \`${def.vendor}\` requires auth.${(AUTH_NAMES as Record<string, string>)[apiName] ?? apiName} (${field.name})`);
    }
  }

  const extraFields = def.fields.extra ?? {};
  const extra = inputs.extra ?? {};
  if (known(inputs.extra)) {
    for (const [key, field] of Object.entries(extraFields)) {
      checkField(`extra.${key}`, extra[key], field, def.vendor, true, fail);
    }
    for (const key of Object.keys(extra)) {
      if (!(key in extraFields)) fail(`extra.${key}`, `vendor \`${def.vendor}\` has no setting \`${key}\`${listOf("extra", extraFields)}`);
    }
  }
  return failures;
}

function checkField(
  path: string,
  value: unknown,
  field: IntegrationField,
  vendor: string,
  showValue: boolean,
  fail: (property: string, reason: string) => void,
): void {
  if (value === undefined || value === null || value === "") {
    if (field.required) fail(path, `vendor \`${vendor}\` requires ${path} (${field.name})`);
    return;
  }
  if (!known(value) || typeof value !== "string") return;
  const shown = showValue ? ` (got ${JSON.stringify(value)})` : "";
  if (field.regex) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(field.regex);
    } catch {
      re = undefined; // A pattern JavaScript cannot read is left to the API to enforce.
    }
    if (re && !re.test(value)) fail(path, `${path} does not match the pattern ${field.regex} required by vendor \`${vendor}\`${shown}`);
  }
  if (field.type === "select" && field.options && !field.options.includes(value)) {
    fail(path, `${path} must be one of ${field.options.join(", ")}${shown}`);
  }
  if (field.type === "int" && !/^-?\d+$/.test(value)) fail(path, `${path} must be a whole number${shown}`);
}

function listOf(kind: "auth" | "extra", fields: Record<string, IntegrationField>): string {
  const names = Object.keys(fields).map((k) => (kind === "auth" ? ((AUTH_NAMES as Record<string, string>)[k] ?? k) : k));
  return names.length ? `; it takes ${names.join(", ")}` : `; it takes none`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
