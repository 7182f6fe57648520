/**
 * What the Integration provider does for each engine call. This module runs
 * in the provider process only: the serialized provider `require`s it at
 * call time, so none of it (and no client or credential) is written to state.
 */
import { CycleApiError } from "../api/errors";
import { CycleClient } from "../api/client";
import { CycleJobError, JobProgress, waitForJob } from "../api/jobs";
import type { Integration, IntegrationDefinition, UpdateIntegrationBody } from "../api/types";
import { Connection, ProviderSettings, requireHub, resolveConnection } from "../config";
import { getCatalogue } from "./definitions";
import { diffIntegration } from "./diff";
import {
  AuthInputs,
  DEFAULT_DELETE_TIMEOUT_SECONDS,
  DEFAULT_VERIFY_TIMEOUT_SECONDS,
  IntegrationInputs,
  IntegrationOutputs,
  OptionalField,
  toApiAuth,
} from "./model";
import { PartialFailureError } from "./partial";
import { isUnknown } from "./unknown";
import { CheckFailure, validateAgainstDefinition, validateShape } from "./validate";

type Env = Record<string, string | undefined>;

/** What every call gets: the stack config the engine sent, and where to log. */
export interface EngineContext {
  settings: ProviderSettings;
  env?: Env;
  /** Progress lines for a person; never given credentials. */
  log?: (line: string) => void;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
}

type Props = Record<string, unknown>;

const PROVIDER_KEY = "__provider";

// ---------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------

const clients = new Map<string, CycleClient>();

function connect(ctx: EngineContext): { connection: Connection; client: CycleClient } {
  const env = ctx.env ?? process.env;
  const connection = resolveConnection(ctx.settings, env);
  // One client per URL and key in this process; the key is part of the map
  // key only in memory.
  const key = `${connection.apiUrl}\u0000${connection.apiKey}`;
  let client = clients.get(key);
  if (!client) {
    // CYCLE_DEBUG=1 logs every request (method, path, status, time; never headers or bodies).
    const log = env.CYCLE_DEBUG ? ctx.log : undefined;
    client = new CycleClient({ apiKey: connection.apiKey, baseUrl: connection.apiUrl, sleep: ctx.sleep, log });
    clients.set(key, client);
  }
  return { connection, client };
}

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
  const env = ctx.env ?? process.env;
  const defaultHubId = ctx.settings.hubId ?? (env.CYCLE_HUB_ID?.trim() || undefined);
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

async function adoptOrCreate(ctx: EngineContext, client: CycleClient, hubId: string, inputs: IntegrationInputs): Promise<Integration> {
  const adopted = await findAdoptable(client, hubId, inputs);
  if (!adopted) {
    return client.createIntegration(
      { name: inputs.name, vendor: inputs.vendor, identifier: inputs.identifier, auth: toApiAuth(inputs.auth), extra: inputs.extra },
      { hubId },
    );
  }
  ctx.log?.(`adopting integration ${adopted.id} (${adopted.vendor} "${adopted.name}")`);
  const body = patchBody(
    { name: adopted.name, identifier: adopted.identifier, extra: adopted.extra ?? undefined },
    inputs,
    // Credentials cannot be read back reliably, so declared ones are always sent.
    inputs.auth !== undefined,
  );
  return Object.keys(body).length === 0 ? adopted : client.updateIntegration(adopted.id, body, { hubId });
}

async function findAdoptable(client: CycleClient, hubId: string, inputs: IntegrationInputs): Promise<Integration | undefined> {
  if (inputs.adoptId) {
    let found: Integration;
    try {
      found = await client.getIntegration(inputs.adoptId, { hubId });
    } catch (err) {
      if (err instanceof CycleApiError && err.isNotFound) {
        throw new Error(`adoptId: integration ${inputs.adoptId} does not exist in hub ${hubId}`);
      }
      throw err;
    }
    if (isGone(found)) throw new Error(`adoptId: integration ${inputs.adoptId} is ${found.state.current}`);
    if (found.vendor !== inputs.vendor) {
      throw new Error(`adoptId: integration ${inputs.adoptId} is of vendor \`${found.vendor}\`, not \`${inputs.vendor}\``);
    }
    return found;
  }
  if (inputs.adoptByIdentifier && inputs.identifier) {
    const candidates = (await client.listIntegrations({ filter: { search: inputs.identifier } }, { hubId })).filter(
      (i) => i.identifier === inputs.identifier && i.vendor === inputs.vendor && !isGone(i),
    );
    if (candidates.length > 1) {
      throw new Error(
        `adoptByIdentifier: ${candidates.length} integrations of vendor \`${inputs.vendor}\` have identifier \`${inputs.identifier}\` (${candidates
          .map((c) => c.id)
          .join(", ")}); use adoptId to choose one`,
      );
    }
    return candidates[0];
  }
  return undefined;
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

/** Only what differs from the current state goes into a PATCH. */
function patchBody(
  current: { name: string; identifier: string; extra?: Record<string, string> | null },
  news: IntegrationInputs,
  sendAuth: boolean,
): UpdateIntegrationBody {
  const body: UpdateIntegrationBody = {};
  if (news.name !== current.name) body.name = news.name;
  if (news.identifier !== undefined && news.identifier !== current.identifier) body.identifier = news.identifier;
  if (news.extra !== undefined && JSON.stringify(sortKeys(news.extra)) !== JSON.stringify(sortKeys(current.extra ?? {}))) {
    body.extra = news.extra;
  }
  if (sendAuth) body.auth = toApiAuth(news.auth) ?? null;
  return body;
}

// ---------------------------------------------------------------------------
// delete
// ---------------------------------------------------------------------------

export async function remove(ctx: EngineContext, id: string, props: Props): Promise<void> {
  const olds = props as unknown as IntegrationOutputs;
  const { connection, client } = connect(ctx);
  const hubId = olds.hubId ?? requireHub(connection);
  const timeoutMs = (olds.deleteTimeoutSeconds ?? DEFAULT_DELETE_TIMEOUT_SECONDS) * 1000;
  const deadline = Date.now() + timeoutMs;

  let descriptorJobId: string | undefined;
  try {
    const current = await client.getIntegration(id, { hubId });
    if (current.state.current === "deleted") return;
    if (current.state.current !== "deleting") {
      const descriptor = await client.deleteIntegration(id, { hubId });
      descriptorJobId = descriptor.job?.id;
    }
  } catch (err) {
    // Already gone, here or outside Pulumi: that is what delete wants.
    if (err instanceof CycleApiError && err.code === "404.hub.integration") return;
    throw err;
  }
  if (descriptorJobId) {
    ctx.log?.(`deleting integration ${id} (job ${descriptorJobId})`);
    await waitForJob(client, descriptorJobId, {
      hubId,
      timeoutMs: Math.max(1, deadline - Date.now()),
      sleep: ctx.sleep,
    }).catch((err: unknown) => {
      throw new Error(`Deleting integration ${id}: ${messageOf(err)}`);
    });
    return;
  }
  // Someone else's delete is under way: wait for it to finish.
  await waitUntilDeleted(ctx, client, id, hubId, deadline, timeoutMs);
}

async function waitUntilDeleted(ctx: EngineContext, client: CycleClient, id: string, hubId: string, deadline: number, timeoutMs: number): Promise<void> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let interval = 100;
  while (Date.now() < deadline) {
    try {
      const current = await client.getIntegration(id, { hubId });
      if (current.state.current === "deleted") return;
    } catch (err) {
      if (err instanceof CycleApiError && err.code === "404.hub.integration") return;
      throw err;
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
    interval = Math.min(2_000, interval * 1.5);
  }
  throw new Error(`Deleting integration ${id}: not deleted within ${Math.round(timeoutMs / 1000)} s (deleteTimeoutSeconds)`);
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

function wantsVerification(inputs: IntegrationInputs, definition: IntegrationDefinition | undefined): boolean {
  const supported = definition?.supports_verification === true;
  return supported && (inputs.verify ?? true);
}

async function verifyIfWanted(
  ctx: EngineContext,
  client: CycleClient,
  outs: IntegrationOutputs,
  definition: IntegrationDefinition,
  inputs: IntegrationInputs,
): Promise<IntegrationOutputs> {
  if (!wantsVerification(inputs, definition)) return outs;
  if (outs.state === "live") return outs; // An adopted integration may be verified already.
  return runVerification(ctx, client, outs, inputs);
}

/**
 * Submits a verify job, waits for it within `verifyTimeoutSeconds`, then
 * reads the integration back: its state is the verdict.
 */
async function runVerification(ctx: EngineContext, client: CycleClient, outs: IntegrationOutputs, inputs: IntegrationInputs): Promise<IntegrationOutputs> {
  const hubId = outs.hubId;
  const id = outs.integrationId;
  const timeoutMs = (inputs.verifyTimeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS) * 1000;
  const descriptor = await client.createVerifyJob(id, { hubId });
  const jobId = descriptor.job?.id;
  const next: IntegrationOutputs = { ...outs, lastVerifyJobId: jobId ?? outs.lastVerifyJobId, verified: false };
  if (!jobId) throw new Error(`Verifying integration ${id}: the API accepted the verify task but returned no job`);

  ctx.log?.(`verifying integration ${id} (job ${jobId})`);
  try {
    await waitForJob(client, jobId, {
      hubId,
      timeoutMs,
      sleep: ctx.sleep,
      onProgress: (p: JobProgress) => ctx.log?.(`verify ${id}: ${p.state}${p.task ? `, ${p.task}` : ""}${p.step ? `: ${p.step}` : ""}`),
    });
  } catch (err) {
    if (!(err instanceof CycleJobError)) throw err;
    if (err.reason === "timeout") {
      return { ...next, state: "verifying", stateError: `${err.message} (verifyTimeoutSeconds)`, verified: false };
    }
    // The job's verdict is the integration's: no need to read it back.
    return { ...next, state: "new", stateError: err.message, verified: false };
  }
  return { ...next, state: "live", stateError: undefined, verified: true };
}

function verificationFailureText(outs: IntegrationOutputs): string {
  return `Verification of integration ${outs.integrationId} failed${outs.stateError ? `: ${outs.stateError}` : ` (state ${outs.state})`}; it is recorded in state, and the next \`pulumi up\` verifies it again`;
}

// ---------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------

/** State from what the API returned, what was declared, and what was recorded before. */
function toOutputs(
  live: Integration,
  declared: IntegrationInputs,
  definition: IntegrationDefinition | undefined,
  previous: IntegrationOutputs | undefined,
  fields: OptionalField[] = declaredFields(declared),
): IntegrationOutputs {
  const supportsVerification = definition?.supports_verification ?? previous?.supportsVerification ?? false;
  const auth: AuthInputs | undefined = declared.auth;
  return {
    vendor: live.vendor,
    name: live.name,
    identifier: live.identifier,
    auth,
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

function partial(id: string, outs: IntegrationOutputs, props: Props, err: unknown): PartialFailureError {
  const properties = { ...stripUndefined(outs as unknown as Props), [PROVIDER_KEY]: props[PROVIDER_KEY] };
  return new PartialFailureError(id, properties, [messageOf(err)]);
}

function isGone(i: Integration): boolean {
  return i.state.current === "deleting" || i.state.current === "deleted";
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function stripUndefined(obj: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

function sortKeys(m: Record<string, string>): Array<[string, string]> {
  return Object.entries(m).sort(([a], [b]) => a.localeCompare(b));
}
