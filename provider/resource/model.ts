/**
 * The Integration resource's inputs and outputs as the provider works with
 * them: resolved plain values, camelCase as users write them. The types are
 * inferred from the one description in `schema.ts`; values from the engine
 * and from state become these types only by parsing (`parse.ts`).
 */
import { z } from "zod";
import type { AuthField, IntegrationAuth } from "../api/types";
import { AUTH, AUTH_NAMES_LIST, AuthName, BOOKKEEPING, INPUT_NAMES, InputName, INPUTS, OUTPUTS, shapeOf } from "./schema";

export { DEFAULT_DELETE_TIMEOUT_SECONDS, DEFAULT_VERIFY_TIMEOUT_SECONDS } from "./schema";
export type { OptionalField } from "./schema";

/** What the engine passes to create and update: the checked inputs, and check's own bookkeeping. */
export const inputsSchema = z.object({ ...shapeOf(INPUTS), adoptionDone: BOOKKEEPING.adoptionDone });

/** What the provider records in state: the inputs, what the hub says, and which optional inputs were declared. */
export const outputsSchema = z.object({ ...shapeOf(INPUTS), ...shapeOf(OUTPUTS), ...BOOKKEEPING });

/**
 * What refresh and delete need of a record: everything is optional, as they
 * take what the hub holds from the hub (a record only carries the resource's
 * own connection, what was declared, and the credentials the API does not echo).
 */
export const recordSchema = outputsSchema.partial();

/** What a user declares (after the engine resolves every Input). */
export type IntegrationInputs = z.output<typeof inputsSchema>;

/** What the provider records in state. */
export type IntegrationOutputs = z.output<typeof outputsSchema>;

/** A record as refresh and delete read it: any part of it may be missing. */
export type IntegrationRecord = z.output<typeof recordSchema>;

/** Every input of a bag of inputs or recorded outputs, as declared (bookkeeping and outputs left out). */
export function inputsOf(values: Partial<IntegrationInputs>): Pick<IntegrationInputs, InputName> {
  // A copy, not a parse: the recover command hands over recorded inputs whose secrets are still encrypted.
  const out = {} as Pick<IntegrationInputs, InputName>;
  for (const key of INPUT_NAMES) copy(values, out, key);
  return out;
}

function copy<T, K extends keyof T>(from: T, to: Pick<T, K>, key: K): void {
  if (from[key] !== undefined) to[key] = from[key];
}

/** Credentials, camelCase. Every value is stored in state as a secret. */
export type AuthInputs = NonNullable<IntegrationInputs["auth"]>;

/** Our camelCase name for each API auth field. */
export const AUTH_NAMES = Object.freeze(Object.fromEntries(AUTH_NAMES_LIST.map((ours) => [AUTH[ours].api, ours])) as Record<AuthField, AuthName>);

/** camelCase auth → the API's snake_case; leaves out unset fields. */
export function toApiAuth(auth: AuthInputs | undefined): IntegrationAuth | undefined {
  if (!auth) return undefined;
  const out: IntegrationAuth = {};
  for (const ours of AUTH_NAMES_LIST) {
    const v = auth[ours];
    if (v !== undefined && v !== null) out[AUTH[ours].api] = v;
  }
  return out;
}
