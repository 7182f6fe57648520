/**
 * What the Integration provider does for each engine call. This module runs
 * in the provider process only: the serialized provider `require`s it at
 * call time, so none of it (and no client or credential) is written to state.
 */
import { CycleApiError } from "../api/errors";
import type { CycleClient } from "../api/client";
import type { Integration, IntegrationDefinition } from "../api/types";
import { configuredHubId, requireHub } from "../config";
import { adoptOrCreate } from "./adoption";
import { connect, EngineContext, Props, PROVIDER_KEY } from "./context";
import { getCatalogue } from "./definitions";
import { diffIntegration } from "./diff";
import { IntegrationInputs, IntegrationOutputs, OptionalField } from "./model";
import { isGone, partial, stripUndefined, toOutputs } from "./outputs";
import { patchBody } from "./patch";
import { isUnknown } from "./unknown";
import { CheckFailure, validateAgainstDefinition, validateShape } from "./validate";
import { runVerification, verificationFailureText, verifyIfWanted, wantsVerification } from "./verification";

export type { EngineContext } from "./context";
export { remove } from "./deletion";

async function definitionOf(client: CycleClient, hubId: string, vendor: string): Promise<IntegrationDefinition | undefined> {
  const catalogue = await getCatalogue(client, hubId);
  return catalogue.get(vendor)?.definition;
}

// ---------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------

export async function check(ctx: EngineContext, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  const failures = validateShape(news);
  const inputs = stripUndefined(news);
  // The definition's rules need a well-formed vendor, hub, auth and extra;
  // other shape failures (a short name, say) are reported together with them.
  const blocking = failures.some((f) => /^(vendor|hubId|auth|extra)(\.|$)/.test(f.property));
  if (blocking) return { inputs, failures };

  const declared = news as unknown as IntegrationInputs;
  if (isUnknown(declared.vendor) || isUnknown(declared.hubId)) return { inputs, failures };

  const { connection, client } = connect(ctx);
  const hubId = requireHub(connection, declared.hubId);
  const catalogue = await getCatalogue(client, hubId);
  const entry = catalogue.get(declared.vendor);
  if (!entry) {
    const vendors = [...catalogue.keys()].sort().join(", ");
    return { inputs, failures: [...failures, { property: "vendor", reason: `unknown vendor \`${declared.vendor}\`; this hub offers: ${vendors}` }] };
  }
  const existing = olds?.vendor === declared.vendor && olds?.[PROVIDER_KEY] !== undefined;
  return { inputs, failures: [...failures, ...validateAgainstDefinition(declared, { definition: entry.definition, existing })] };
}

// ---------------------------------------------------------------------------
// diff
// ---------------------------------------------------------------------------

/** Makes no API call: everything it needs is in state and config. */
export function diff(ctx: EngineContext, olds: Props, news: Props) {
  const defaultHubId = configuredHubId(ctx.settings, ctx.env ?? process.env);
  const result = diffIntegration(olds as unknown as IntegrationOutputs, news as unknown as IntegrationInputs, { defaultHubId });
  return {
    changes: result.changes,
    replaces: result.replaces,
    deleteBeforeReplace: result.deleteBeforeReplace,
  };
}

// ---------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------

export async function create(ctx: EngineContext, props: Props): Promise<{ id: string; outs: Props }> {
  const inputs = props as unknown as IntegrationInputs;
  const { connection, client } = connect(ctx);
  const hubId = requireHub(connection, inputs.hubId);
  const definition = await definitionOf(client, hubId, inputs.vendor);
  if (!definition) throw new Error(`Unknown vendor \`${inputs.vendor}\` in hub ${hubId}`);

  const integration = await adoptOrCreate(ctx, client, hubId, inputs);
  // From here on the integration exists: every failure must record it.
  let outs = toOutputs(integration, inputs, definition, undefined);
  try {
    outs = await verifyIfWanted(ctx, client, outs, definition, inputs);
  } catch (err) {
    throw partial(integration.id, outs, props, err);
  }
  if (wantsVerification(inputs, definition) && !outs.verified) {
    throw partial(integration.id, outs, props, new Error(verificationFailureText(outs)));
  }
  return { id: integration.id, outs: stripUndefined(outs as unknown as Props) };
}

// ---------------------------------------------------------------------------
// read
// ---------------------------------------------------------------------------

export async function read(ctx: EngineContext, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
  const olds = props as unknown as IntegrationOutputs;
  const { connection, client } = connect(ctx);
  const hubId = olds.hubId ?? requireHub(connection);
  let live: Integration;
  try {
    live = await client.getIntegration(id, { hubId, includeDefinition: true });
  } catch (err) {
    if (err instanceof CycleApiError && err.code === "404.hub.integration") return { id: "" };
    throw err;
  }
  if (isGone(live)) return { id: "" };

  const declared = new Set<OptionalField>(olds.declared ?? []);
  const definition = live.meta?.definition;
  // The API is not trusted to echo credentials back, so the declared ones stay.
  // `olds` are recorded outputs, where identifier and hubId are always set:
  // what the program declared is kept from the record, not recomputed.
  const outs = toOutputs(live, olds, definition, olds, [...declared]);
  const inputs: IntegrationInputs = {
    vendor: live.vendor,
    name: live.name,
    identifier: declared.has("identifier") ? live.identifier : undefined,
    auth: olds.auth,
    extra: declared.has("extra") ? (live.extra ?? {}) : undefined,
    verify: olds.verify,
    hubId: declared.has("hubId") ? live.hub_id : undefined,
    verifyTimeoutSeconds: olds.verifyTimeoutSeconds,
    deleteTimeoutSeconds: olds.deleteTimeoutSeconds,
    adoptId: olds.adoptId,
    adoptByIdentifier: olds.adoptByIdentifier,
  };
  return { id: live.id, props: stripUndefined(outs as unknown as Props), inputs: stripUndefined(inputs as unknown as Props) };
}

// ---------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------

export async function update(ctx: EngineContext, id: string, oldProps: Props, newProps: Props): Promise<{ outs: Props }> {
  const olds = oldProps as unknown as IntegrationOutputs;
  const news = newProps as unknown as IntegrationInputs;
  const { client } = connect(ctx);
  const hubId = olds.hubId;
  const plan = diffIntegration(olds, news, { defaultHubId: hubId });

  const body = patchBody(olds, news, plan.changed.includes("auth"));
  let live: Integration;
  if (Object.keys(body).length > 0) {
    live = await client.updateIntegration(id, body, { hubId, includeDefinition: true });
  } else {
    live = await client.getIntegration(id, { hubId, includeDefinition: true });
  }
  const definition = live.meta?.definition;
  let outs = toOutputs(live, news, definition, olds);
  if (plan.needsVerification) {
    try {
      outs = await runVerification(ctx, client, outs, news);
    } catch (err) {
      throw partial(id, outs, newProps, err);
    }
    if (!outs.verified) throw partial(id, outs, newProps, new Error(verificationFailureText(outs)));
  }
  return { outs: stripUndefined(outs as unknown as Props) };
}
