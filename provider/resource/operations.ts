/**
 * What the Integration provider does for each engine call. This module runs
 * in the provider process only: the serialized provider loads it through
 * `pulumi-cycle/dynamic` when configured, so none of it (and no client or
 * credential) is written to state.
 */
import type { CycleClient } from "../api/client";
import { isInvalidState } from "../api/errors";
import type { Redactor } from "../api/redact";
import type { Integration, IntegrationDefinition } from "../api/types";
import { ID_PATTERN } from "../api/types";
import { configuredHubId, requireHub } from "../config";
import { cleaned, CycleConfigError, redacting } from "../errors";
import { adoptOrCreate } from "./adoption";
import { connect, EngineContext, redactorFor } from "./context";
import { CreatedButUnreadError, removeUnsettled } from "./creation";
import { isUnsettledId, unsettledId, UnsettledCreateError, unsettledOf } from "./unsettled";
import { remove as deleteIntegration } from "./deletion";
import { diffIntegration } from "./diff";
import { deriveIdentifier } from "./identity";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS, inputsOf, IntegrationInputs, IntegrationOutputs, OptionalField } from "./model";
import { checkDeclaration, parseInputs, parsePreviewInputs, parseRecord, parseRecorded } from "./parse";
import { declaredFields, toOutputs } from "./outputs";
import { partial } from "./partial";
import { patchBody } from "./patch";
import { canonicalJson, messageOf, Props, PROVIDER_KEY, stripUndefined } from "./props";
import { isDeleted } from "./states";
import { isUnknown } from "./unknown";
import { CheckFailure, validateAgainstDefinition } from "./validate";
import { awaitRunningVerification, IntegrationGoneError, verify, VerifyRequest, VerifyResult, wantsVerification } from "./verification";

export type { EngineContext } from "./context";

async function definitionOf(ctx: EngineContext, client: CycleClient, hubId: string, vendor: string): Promise<IntegrationDefinition | undefined> {
  const catalogue = await ctx.session.catalogues.get(client, hubId);
  return catalogue.get(vendor)?.definition;
}

// ---------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------

/**
 * `exists` is whether the resource is in state already, as the face knows
 * it (the dynamic face: old inputs carry the serialized provider; the native
 * face: old inputs are not empty).
 */
export async function check(ctx: EngineContext, olds: Props, news: Props, exists: boolean): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  return redacting(redactorFor(ctx, news as { apiKey?: string }), () => checkInputs(ctx, olds, news, exists));
}

async function checkInputs(ctx: EngineContext, olds: Props, news: Props, exists: boolean): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  // Adoption applies to the first create only: a resource already in state
  // is never adopted again, so a replacement creates a new integration.
  const { value: declared, failures } = checkDeclaration(news, { creating: !exists });
  const inputs = stripUndefined(news);
  if (exists && (inputs.adoptId !== undefined || inputs.adoptByIdentifier !== undefined)) inputs.adoptionDone = true;
  // The definition's rules need typed inputs and a well-formed vendor, hub,
  // connection, auth and extra (a failure about a secret names no property);
  // other failures (a short name, say) are reported together with them.
  const blocking = failures.some((f) => f.property === "" || /^(vendor|hubId|auth|extra|apiUrl)(\.|$)/.test(f.property));
  if (!declared || blocking) return { inputs, failures };

  // Unknown during a preview: the definition's rules are applied when they are known.
  if (isUnknown(declared.vendor) || isUnknown(declared.hubId) || isUnknown(declared.apiKey) || isUnknown(declared.apiUrl)) return { inputs, failures };
  // Inputs that did not change since they were last checked against the
  // vendor's definition (and recorded) pass again: no API call, so a preview
  // with nothing to do costs nothing.
  if (exists && sameDeclaration(olds, news)) return { inputs, failures };

  const { connection, client } = connect(ctx, declared);
  const hubId = requireHub(connection, declared.hubId);
  const catalogue = await ctx.session.catalogues.get(client, hubId);
  const entry = catalogue.get(declared.vendor);
  if (!entry) {
    const vendors = [...catalogue.keys()].sort().join(", ");
    return { inputs, failures: [...failures, { property: "vendor", reason: `unknown vendor \`${declared.vendor}\`; this hub offers: ${vendors}` }] };
  }
  const existing = olds?.vendor === declared.vendor && exists;
  return { inputs, failures: [...failures, ...validateAgainstDefinition(declared, { definition: entry.definition, existing })] };
}

/** True when two input bags declare the same thing (the engine's and our own bookkeeping keys aside). */
function sameDeclaration(olds: Props, news: Props): boolean {
  return canonicalJson(olds, NOT_DECLARED) === canonicalJson(news, NOT_DECLARED);
}

/** Keys that are the engine's or check's own bookkeeping, not a declaration. */
const NOT_DECLARED: ReadonlySet<string> = new Set([PROVIDER_KEY, "adoptionDone"]);

// ---------------------------------------------------------------------------
// diff
// ---------------------------------------------------------------------------

/** Makes no API call: everything it needs is in state and config. */
export function diff(ctx: EngineContext, id: string, olds: Props, news: Props) {
  // A create an earlier run could not settle: replaced, by a create that settles it first.
  const earlier = unsettledOf(olds);
  if (earlier || isUnsettledId(id)) {
    if (earlier) ctx.session.unsettledCreates.put(news, earlier);
    return { changes: true, replaces: ["unsettledCreate"], changed: ["unsettledCreate"], deleteBeforeReplace: false };
  }
  // Every resource diffed is one of the stack's: never a candidate for another's lost create.
  if (id) ctx.session.claim(id);
  let defaultHubId: string | undefined;
  let recorded: IntegrationOutputs;
  let declared: ReturnType<typeof parsePreviewInputs>;
  try {
    defaultHubId = configuredHubId(ctx.settings, ctx.env ?? process.env);
    recorded = parseRecorded(olds);
    declared = parsePreviewInputs(news);
  } catch (err) {
    throw cleaned(redactorFor(ctx), err);
  }
  const result = diffIntegration(recorded, declared, { defaultHubId });
  return {
    changes: result.changes,
    replaces: result.replaces,
    // Every property that changes, replaced or not: a face that shows a detailed diff names them.
    changed: result.changed,
    deleteBeforeReplace: result.deleteBeforeReplace,
  };
}

// ---------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------

export async function create(ctx: EngineContext, props: Props): Promise<{ id: string; outs: Props }> {
  const inputs = await redacting(redactorFor(ctx), async () => parseInputs(props));
  const redactor = redactorFor(ctx, inputs);
  ctx.session.listings.forget();
  const earlier = ctx.session.unsettledCreates.take(props);
  return redacting(redactor, async () => {
    const { connection, client } = connect(ctx, inputs);
    const hubId = requireHub(connection, inputs.hubId);
    const definition = await definitionOf(ctx, client, hubId, inputs.vendor);
    if (!definition) throw new Error(`Unknown vendor \`${inputs.vendor}\` in hub ${hubId}`);

    let integration: Integration;
    try {
      integration = await adoptOrCreate(ctx, client, hubId, inputs, earlier);
    } catch (err) {
      if (err instanceof UnsettledCreateError) {
        // Nothing to record but the attempt itself: under a placeholder ID, so the next run settles it.
        // No integration ID is known: the placeholder's record holds none.
        const { integrationId: _none, ...known } = unreadOutputs("", hubId, inputs, definition);
        throw partial(unsettledId(), { ...known, unsettledCreate: err.unsettled }, err.message);
      }
      if (!(err instanceof CreatedButUnreadError)) throw err;
      // It exists: record what we know, so the next `up` reads it and finishes the job.
      throw partial(err.integrationId, unreadOutputs(err.integrationId, hubId, inputs, definition), err.message);
    }
    // From here on the integration exists: every failure must record it.
    let outs = toOutputs(integration, inputs, definition, undefined, { redactor });
    const wanted = wantsVerification(inputs.verify, definition.supports_verification);
    try {
      // An adopted integration may be live already.
      if (wanted && integration.state.current !== "live") outs = await verifyInto(ctx, client, outs, inputs, redactor);
    } catch (err) {
      // Deleted outside Pulumi while it was verified: nothing is left to record.
      if (err instanceof IntegrationGoneError) throw err;
      throw partial(integration.id, outs, messageOf(err));
    }
    if (wanted && !outs.verified) throw partial(integration.id, outs, verificationFailureText(outs));
    return { id: integration.id, outs: stripUndefined(outs) };
  });
}

/** What state holds for an integration that exists but could not be read: enough for the next `up` to read it and go on. */
function unreadOutputs(id: string, hubId: string, inputs: IntegrationInputs, definition: IntegrationDefinition): IntegrationOutputs {
  return {
    ...inputs,
    integrationId: id,
    hubId,
    identifier: inputs.identifier ?? deriveIdentifier(inputs.name),
    state: "new",
    verified: !definition.supports_verification,
    creatorType: "unknown",
    createdAt: "",
    updatedAt: "",
    supportsVerification: definition.supports_verification,
    editable: definition.editable,
    supportsMultiple: definition.supports_multiple,
    declared: declaredFields(inputs),
  };
}

// ---------------------------------------------------------------------------
// delete
// ---------------------------------------------------------------------------

export async function remove(ctx: EngineContext, id: string, props: Props): Promise<void> {
  const olds = await redacting(redactorFor(ctx), async () => parseRecord(props));
  ctx.session.listings.forget();
  if (isUnsettledId(id)) return redacting(redactorFor(ctx, olds), () => removeUnsettled(ctx, unsettledOf(props), olds, deleteIntegration));
  return redacting(redactorFor(ctx, olds), () => deleteIntegration(ctx, id, olds));
}

// ---------------------------------------------------------------------------
// read
// ---------------------------------------------------------------------------

export async function read(ctx: EngineContext, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
  // A create that did not settle has nothing to read: the next `up` settles it.
  if (isUnsettledId(id)) return { id, props };
  const olds = await redacting(redactorFor(ctx), async () => parseRecord(props));
  const redactor = redactorFor(ctx, olds);
  return redacting(redactor, async () => {
    const { connection, client } = connect(ctx, olds);
    ctx.session.claim(id);
    const hubId = olds.hubId ?? requireHub(connection);
    const found = await ctx.session.listings.read(client, hubId, id);
    if (found === "missing") return { id: "" };
    const live = found;
    // `deleting` is not gone: its delete job may fail and roll it back.
    if (isDeleted(live)) return { id: "" };

    const declared = new Set<OptionalField>(olds.declared ?? []);
    const definition = live.meta?.definition;
    // The API is not trusted to echo credentials back, so the declared ones stay.
    // `olds` are recorded outputs, where identifier and hubId are always set:
    // what the program declared is kept from the record, not recomputed.
    const outs = toOutputs(live, olds, definition, olds, { redactor, fields: [...declared] });
    // The inputs as recorded, with what the hub holds as it holds it (the
    // optional ones only where the program declared them).
    const inputs: IntegrationInputs = {
      ...inputsOf(olds),
      vendor: live.vendor,
      name: live.name,
      identifier: declared.has("identifier") ? live.identifier : undefined,
      extra: declared.has("extra") ? (live.extra ?? {}) : undefined,
      hubId: declared.has("hubId") ? live.hub_id : undefined,
    };
    return { id: live.id, props: stripUndefined(outs), inputs: stripUndefined(inputs) };
  });
}

/**
 * Read for `pulumi import`: nothing is recorded, so the ID says where the
 * integration is (`<integrationId>`, in the configured hub, or
 * `<hubId>/<integrationId>`), and the inputs are what a program declares to
 * manage it as it is: never `auth` (an import sends no credentials, and the
 * API does not hand them back), so integrations of vendors that cannot be
 * edited come in too. The optional inputs it has are declared: its
 * identifier, its extra settings when it has any, and its hub when that is
 * not the configured one; `verify: false` when it is not verified (see below).
 */
export async function readForImport(ctx: EngineContext, importId: string): Promise<{ id: string; props?: Props; inputs?: Props }> {
  const redactor = redactorFor(ctx);
  return redacting(redactor, async () => {
    const where = parseImportId(importId);
    const { connection, client } = connect(ctx);
    const hubId = requireHub(connection, where.hubId);
    const found = await ctx.session.listings.read(client, hubId, where.integrationId);
    if (found === "missing" || isDeleted(found)) return { id: "" };
    ctx.session.claim(found.id);
    const declared: OptionalField[] = ["identifier"];
    const hasExtra = found.extra !== null && found.extra !== undefined && Object.keys(found.extra).length > 0;
    if (hasExtra) declared.push("extra");
    if (found.hub_id !== connection.hubId) declared.push("hubId");
    const inputs: IntegrationInputs = {
      vendor: found.vendor,
      name: found.name,
      identifier: found.identifier,
      extra: hasExtra ? (found.extra ?? undefined) : undefined,
      hubId: declared.includes("hubId") ? found.hub_id : undefined,
      // Not verified in the hub: managed as it is, so that the program Pulumi writes previews with no
      // change instead of running a verify job nobody asked for. Removing the line asks for one.
      verify: wantsVerification(undefined, found.meta?.definition?.supports_verification) && found.state.current !== "live" ? false : undefined,
    };
    const outs = toOutputs(found, inputs, found.meta?.definition, undefined, { redactor, fields: declared });
    return { id: found.id, props: stripUndefined(outs), inputs: stripUndefined(inputs) };
  });
}

/** `<integrationId>` or `<hubId>/<integrationId>`, each a Cycle ID. */
function parseImportId(importId: string): { hubId?: string; integrationId: string } {
  const parts = importId.split("/");
  const ids = parts.length === 1 ? { integrationId: parts[0] } : parts.length === 2 ? { hubId: parts[0], integrationId: parts[1] } : undefined;
  if (!ids || !ID_PATTERN.test(ids.integrationId) || (ids.hubId !== undefined && !ID_PATTERN.test(ids.hubId))) {
    throw new CycleConfigError(
      `An import ID is \`<integrationId>\` (in the configured hub) or \`<hubId>/<integrationId>\`, each 24 lowercase hex characters; got ${JSON.stringify(importId.slice(0, 80))}`,
    );
  }
  return ids;
}

// ---------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------

export async function update(ctx: EngineContext, id: string, oldProps: Props, newProps: Props): Promise<{ outs: Props }> {
  const { olds, news } = await redacting(redactorFor(ctx), async () => ({ olds: parseRecorded(oldProps), news: parseInputs(newProps) }));
  const redactor = redactorFor(ctx, olds, news);
  ctx.session.listings.forget();
  return redacting(redactor, async () => {
    const { client } = connect(ctx, news);
    ctx.session.claim(id);
    const hubId = olds.hubId;
    const plan = diffIntegration(olds, news, { defaultHubId: hubId });
    const wanted = wantsVerification(news.verify, olds.supportsVerification);

    // A verify job this provider started earlier (and stopped waiting for)
    // may still run: follow it before anything else. The API refuses a PATCH
    // while verifying, and two verifies must never run at once.
    let followed: VerifyResult | undefined;
    if (olds.state === "verifying") {
      try {
        followed = await verify(ctx, client, { ...verifyRequest(olds, news, olds.lastVerifyJobId), followRunning: true }, redactor);
      } catch (err) {
        if (err instanceof IntegrationGoneError) throw err;
        throw partial(id, olds, messageOf(err));
      }
      if (followed.timedOut) {
        const still = { ...olds, state: "verifying", stateError: followed.failure, lastVerifyJobId: followed.jobId ?? olds.lastVerifyJobId };
        throw partial(id, still, verificationFailureText(still));
      }
    }

    const body = patchBody(olds, news, plan.changed.includes("auth"));
    let live: Integration;
    if (Object.keys(body).length > 0) live = await patchAfterRunningVerify(ctx, client, id, hubId, body, verifyRequest(olds, news), redactor);
    else live = followed?.live ?? (await client.getIntegration(id, { hubId, includeDefinition: true }));

    let outs = toOutputs(live, news, live.meta?.definition, olds, { redactor });
    if (followed?.jobId) outs.lastVerifyJobId = followed.jobId;
    // New credentials are always verified. Otherwise a verify followed above
    // is this update's verdict; without one, an unverified integration is
    // verified again, as is.
    const run = wanted && plan.needsVerification && (body.auth !== undefined || plan.reverify || (!followed && !outs.verified));
    if (run) {
      try {
        outs = await verifyInto(ctx, client, outs, news, redactor);
      } catch (err) {
        if (err instanceof IntegrationGoneError) throw err;
        throw partial(id, outs, messageOf(err));
      }
    } else if (followed?.failure && !outs.verified) {
      outs.stateError = followed.failure;
    }
    if (wanted && plan.needsVerification && !outs.verified) throw partial(id, outs, verificationFailureText(outs));
    return { outs: stripUndefined(outs) };
  });
}

/** PATCH; if a verification started elsewhere is running, wait for it to end and send the PATCH again. */
async function patchAfterRunningVerify(
  ctx: EngineContext,
  client: CycleClient,
  id: string,
  hubId: string,
  body: ReturnType<typeof patchBody>,
  req: VerifyRequest,
  redactor: Redactor,
): Promise<Integration> {
  try {
    return await client.updateIntegration(id, body, { hubId, includeDefinition: true });
  } catch (err) {
    if (!isInvalidState(err)) throw err;
    const current = await client.getIntegration(id, { hubId });
    if (current.state.current !== "verifying") throw err;
    await awaitRunningVerification(ctx, client, req, req.timeoutMs, redactor);
    return client.updateIntegration(id, body, { hubId, includeDefinition: true });
  }
}

/** A verification of the recorded integration, with the deadline and name the program declares. */
function verifyRequest(outs: IntegrationOutputs, inputs: IntegrationInputs, followJobId?: string): VerifyRequest {
  return {
    integrationId: outs.integrationId,
    hubId: outs.hubId,
    label: inputs.name ?? outs.name,
    timeoutMs: (inputs.verifyTimeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS) * 1000,
    followJobId,
  };
}

/** Runs (or follows) verification and folds its verdict into the outputs. */
async function verifyInto(
  ctx: EngineContext,
  client: CycleClient,
  outs: IntegrationOutputs,
  inputs: IntegrationInputs,
  redactor: Redactor,
): Promise<IntegrationOutputs> {
  const result = await verify(ctx, client, verifyRequest(outs, inputs), redactor);
  const lastVerifyJobId = result.jobId ?? outs.lastVerifyJobId;
  if (result.timedOut) return { ...outs, state: "verifying", stateError: result.failure, verified: false, lastVerifyJobId };
  const live = result.live!;
  const next = toOutputs(live, inputs, live.meta?.definition, outs, { redactor, fields: outs.declared });
  return { ...next, lastVerifyJobId, stateError: result.failure ?? next.stateError };
}

export function verificationFailureText(outs: IntegrationOutputs): string {
  const which = `integration "${outs.name}" (${outs.integrationId})`;
  if (outs.state === "verifying") {
    return `Verification of ${which} did not finish: ${outs.stateError ?? "still running"}; it is recorded in state, and the next \`pulumi up\` waits for it`;
  }
  return `Verification of ${which} failed${outs.stateError ? `: ${outs.stateError}` : ` (state ${outs.state})`}; it is recorded in state, and the next \`pulumi up\` verifies it again`;
}
