/**
 * What the provider records in state, built from what the API returned, what
 * the program declared, and what was recorded before.
 */
import type { Integration, IntegrationDefinition } from "../api/types";
import { IntegrationInputs, IntegrationOutputs, OptionalField } from "./model";
import { PartialFailureError } from "./partial";
import { Props, PROVIDER_KEY } from "./context";

/** State from what the API returned, what was declared, and what was recorded before. */
export function toOutputs(
  live: Integration,
  declared: IntegrationInputs,
  definition: IntegrationDefinition | undefined,
  previous: IntegrationOutputs | undefined,
  fields: OptionalField[] = declaredFields(declared),
): IntegrationOutputs {
  const supportsVerification = definition?.supports_verification ?? previous?.supportsVerification ?? false;
  return {
    vendor: live.vendor,
    name: live.name,
    identifier: live.identifier,
    // The API is not relied on to echo credentials: the declared ones are kept.
    auth: declared.auth,
    extra: live.extra ?? undefined,
    verify: declared.verify,
    hubId: live.hub_id,
    verifyTimeoutSeconds: declared.verifyTimeoutSeconds,
    deleteTimeoutSeconds: declared.deleteTimeoutSeconds,
    adoptId: declared.adoptId,
    adoptByIdentifier: declared.adoptByIdentifier,
    integrationId: live.id,
    state: live.state.current,
    stateError: live.state.error?.message,
    verified: supportsVerification ? live.state.current === "live" : true,
    lastVerifyJobId: previous?.lastVerifyJobId,
    creatorType: live.creator?.type,
    createdAt: live.events.created,
    updatedAt: live.events.updated,
    supportsVerification,
    editable: definition?.editable ?? previous?.editable ?? true,
    supportsMultiple: definition?.supports_multiple ?? previous?.supportsMultiple ?? true,
    declared: fields,
  };
}

/** Which optional inputs a program declared. Only meaningful for inputs, not for recorded outputs. */
function declaredFields(inputs: IntegrationInputs): OptionalField[] {
  const fields: OptionalField[] = [];
  if (inputs.identifier !== undefined) fields.push("identifier");
  if (inputs.extra !== undefined) fields.push("extra");
  if (inputs.hubId !== undefined) fields.push("hubId");
  return fields;
}

export /** The error that records an integration that exists but is not ready (see PartialFailureError). */
function partial(id: string, outs: IntegrationOutputs, props: Props, err: unknown): PartialFailureError {
  const properties = { ...stripUndefined(outs as unknown as Props), [PROVIDER_KEY]: props[PROVIDER_KEY] };
  return new PartialFailureError(id, properties, [messageOf(err)]);
}

export function isGone(i: Integration): boolean {
  return i.state.current === "deleting" || i.state.current === "deleted";
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function stripUndefined(obj: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}
