/**
 * What the provider records in state, built from what the API returned, what
 * the program declared, and what was recorded before.
 */
import type { Redactor } from "../api/redact";
import type { Integration, IntegrationDefinition } from "../api/types";
import { inputsOf, IntegrationInputs, IntegrationOutputs, OptionalField } from "./model";

export interface OutputOptions {
  /** Hides credentials from the state error the API reports (a vendor's message may quote one). */
  redactor: Pick<Redactor, "redact">;
  /** Which optional inputs the program declared; by default, those present in `declared`. */
  fields?: OptionalField[];
}

/** State from what the API returned, what was declared, and what was recorded before. */
export function toOutputs(
  live: Integration,
  declared: Partial<IntegrationInputs>,
  definition: IntegrationDefinition | undefined,
  previous: Partial<IntegrationOutputs> | undefined,
  options: OutputOptions,
): IntegrationOutputs {
  const supportsVerification = definition?.supports_verification ?? previous?.supportsVerification ?? false;
  const stateError = live.state.error?.message;
  return {
    // Every input as declared: our own settings, the resource's own
    // connection (delete and refresh use it from state), and the credentials
    // (the API is not relied on to echo them).
    ...inputsOf(declared),
    // What the hub holds, as it holds it.
    vendor: live.vendor,
    name: live.name,
    identifier: live.identifier,
    extra: live.extra ?? undefined,
    hubId: live.hub_id,
    integrationId: live.id,
    state: live.state.current,
    stateError: stateError === undefined ? undefined : options.redactor.redact(stateError),
    verified: supportsVerification ? live.state.current === "live" : true,
    lastVerifyJobId: previous?.lastVerifyJobId,
    creatorType: live.creator?.type ?? "unknown",
    createdAt: live.events.created,
    updatedAt: live.events.updated,
    supportsVerification,
    editable: definition?.editable ?? previous?.editable ?? true,
    supportsMultiple: definition?.supports_multiple ?? previous?.supportsMultiple ?? true,
    declared: options.fields ?? declaredFields(declared),
  };
}

/** Which optional inputs a program declared. Only meaningful for inputs, not for recorded outputs. */
export function declaredFields(inputs: Partial<IntegrationInputs>): OptionalField[] {
  const fields: OptionalField[] = [];
  if (inputs.identifier !== undefined) fields.push("identifier");
  if (inputs.extra !== undefined) fields.push("extra");
  if (inputs.hubId !== undefined) fields.push("hubId");
  return fields;
}
