/**
 * The rules of a vendor's definition, checked against a declaration that
 * already parsed (`parse.ts`): the rules the API applies on create, so that
 * a bad program fails at preview, before any change is made.
 */
import type { IntegrationDefinition, IntegrationField } from "../api/types";
import { AUTH_NAMES } from "./model";
import type { CheckFailure, DeclaredInputs } from "./parse";
import { isUnknown, UNKNOWN } from "./unknown";

export type { CheckFailure } from "./parse";

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
export function validateAgainstDefinition(inputs: Pick<DeclaredInputs, "auth" | "extra" | "verify">, ctx: DefinitionContext): CheckFailure[] {
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
  const ourName = (apiName: string) => (AUTH_NAMES as Record<string, string>)[apiName] ?? apiName;
  // Unknown during a preview: judged when it is known.
  if (inputs.auth !== UNKNOWN) {
    const auth: Record<string, string | undefined> = inputs.auth ?? {};
    for (const [apiName, field] of Object.entries(authFields)) {
      const ours = ourName(apiName);
      if (inputs.auth === undefined) {
        // An integration that exists has its credentials: a program (or an
        // import, which cannot read them back) that leaves `auth` out does
        // not manage them. A create must send them.
        if (field.required && !ctx.existing) fail(`auth.${ours}`, `vendor \`${def.vendor}\` requires auth.${ours} (${field.name})`);
      } else checkField(`auth.${ours}`, auth[ours], field, def.vendor, false, fail);
    }
    for (const ours of Object.keys(auth)) {
      const apiName = Object.entries(AUTH_NAMES).find(([, o]) => o === ours)?.[0];
      if (apiName && !(apiName in authFields) && auth[ours] !== undefined) {
        fail(`auth.${ours}`, `vendor \`${def.vendor}\` has no credential field \`${ours}\`${listOf("auth", authFields)}`);
      }
    }
  }

  const extraFields = def.fields.extra ?? {};
  if (inputs.extra !== UNKNOWN) {
    const extra = inputs.extra ?? {};
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
  if (isUnknown(value) || typeof value !== "string") return;
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
