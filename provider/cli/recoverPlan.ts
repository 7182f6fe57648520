/**
 * The pure part of `pulumi-cycle recover`: its pending Integration creates
 * (the dynamic `Integration` and the native `cycle:index:Integration` alike),
 * when the interrupted update started, which integration each create made,
 * and what the state gets. No process, network or file access here: see
 * `recover.ts`; the exported stack itself is read and rewritten in
 * `exportedStack.ts`.
 */
import type { Integration } from "../api/types";
import type { Catalogue } from "../catalogue";
import { SIG_KEY } from "../engineSecrets";
import { CreateIntent, createCandidates, deriveIdentifier } from "../resource/identity";
import {
  ExportedStack,
  HistoryEntry,
  isIntegrationType,
  NATIVE_INTEGRATION_TYPE,
  NATIVE_PROVIDER_TYPE,
  PendingOperation,
  Props,
  providerUrn,
  Recovery,
  STACK_TYPE,
} from "./exportedStack";
// ---------------------------------------------------------------------------
// Pending creates
// ---------------------------------------------------------------------------

export interface PendingCreate {
  urn: string;
  /** Position among the stack's pending operations: the order in which the engine began them. */
  order: number;
  inputs: Props;
  /** The resource's own `hubId` input, if it declared one. */
  hubId?: string;
  /** What its create sent, or why that cannot be told from state. */
  intent: CreateIntent | { error: string };
}

/** A value Pulumi stored encrypted (exported without --show-secrets). */
function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && SIG_KEY in v;
}

/**
 * What a pending create sent, read back from the inputs the state recorded
 * for it: vendor, name, identifier (declared or derived), extra (as
 * declared). (The provider's own `intentOf` reads it from the body it is
 * about to send; this one has only the state.)
 */
export function recordedIntent(inputs: Props): CreateIntent | { error: string } {
  const { vendor, name, identifier, extra } = inputs;
  // A resource with its own connection reaches a hub the stack's key may not, with a key stored encrypted.
  if (inputs.apiKey !== undefined) return { error: "it has its own `apiKey`, stored encrypted, which this command cannot use to search its hub" };
  if (inputs.apiUrl !== undefined) return { error: "it has its own `apiUrl`, which this command does not search" };
  for (const [field, v] of Object.entries({ vendor, name, identifier })) {
    if (isSecretValue(v)) return { error: `its \`${field}\` is a secret, which this command cannot compare` };
  }
  if (typeof vendor !== "string" || typeof name !== "string") return { error: "its inputs have no plain `vendor` and `name`" };
  if (identifier !== undefined && typeof identifier !== "string") return { error: "its `identifier` is not a string" };
  const intent: CreateIntent = { vendor, name, identifier: identifier ?? deriveIdentifier(name) };
  if (extra !== undefined) {
    if (isSecretValue(extra)) return { error: "its `extra` is a secret, which this command cannot compare" };
    if (typeof extra !== "object" || extra === null) return { error: "its `extra` is not a map" };
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(extra as Props)) {
      if (isSecretValue(v)) return { error: `its \`extra.${k}\` is a secret, which this command cannot compare` };
      if (typeof v !== "string") return { error: `its \`extra.${k}\` is not a string` };
      map[k] = v;
    }
    intent.extra = map;
  }
  return intent;
}

/**
 * What a native Integration's provider resource says about the connection
 * its create used: an explicit provider's own `hubId`, or why its hub cannot
 * be searched with the command's connection (its own key, encrypted in
 * state; its own URL). A default provider is configured from the stack
 * config and the environment, as the command is: nothing to add.
 */
export function providerConnection(state: ExportedStack, op: PendingOperation): { hubId?: string } | { error: string } {
  const ref = op.resource.provider;
  if (op.resource.type !== NATIVE_INTEGRATION_TYPE || ref === undefined) return {};
  const urn = providerUrn(ref);
  const provider = (state.deployment.resources ?? []).find((r) => r.urn === urn);
  if (!provider || provider.type !== NATIVE_PROVIDER_TYPE) return {};
  const name = urn.slice(urn.lastIndexOf("::") + 2);
  if (/^default(_|$)/.test(name)) return {};
  const inputs = provider.inputs ?? {};
  if (inputs.apiKey !== undefined)
    return { error: `its provider \`${name}\` has its own \`apiKey\`, stored encrypted, which this command cannot use to search its hub` };
  if (inputs.apiUrl !== undefined) return { error: `its provider \`${name}\` has its own \`apiUrl\`, which this command does not search` };
  if (inputs.hubId === undefined) return {};
  if (typeof inputs.hubId !== "string") return { error: `its provider \`${name}\` has a \`hubId\` that is not a plain string` };
  return { hubId: inputs.hubId };
}

/**
 * The stack's pending creates of Integrations, of either face, in the order
 * the engine began them. A native one's hub is its own `hubId`, else its
 * explicit provider's, else the configured one.
 */
export function pendingIntegrationCreates(state: ExportedStack): PendingCreate[] {
  const ops = state.deployment.pending_operations ?? [];
  const out: PendingCreate[] = [];
  ops.forEach((op, order) => {
    if (op.type !== "creating" || !isIntegrationType(op.resource?.type)) return;
    const inputs = op.resource.inputs ?? {};
    const viaProvider = providerConnection(state, op);
    const own = typeof inputs.hubId === "string" ? inputs.hubId : undefined;
    const hubId = own ?? ("hubId" in viaProvider ? viaProvider.hubId : undefined);
    const intent = recordedIntent(inputs);
    out.push({ urn: op.resource.urn, order, inputs, hubId, intent: "error" in viaProvider && !("error" in intent) ? viaProvider : intent });
  });
  return out;
}

/**
 * IDs of the integrations the stack's resources record: never a match.
 * (The provider's `claimedIds` are those its own process has taken; a
 * command has only the state.)
 */
export function idsInStack(state: ExportedStack): Set<string> {
  const ids = new Set<string>();
  for (const r of state.deployment.resources ?? []) {
    if (isIntegrationType(r.type) && typeof r.id === "string" && r.id !== "") ids.add(r.id);
  }
  return ids;
}

// ---------------------------------------------------------------------------
// When the interrupted update started
// ---------------------------------------------------------------------------

export interface StartBound {
  /** Local-clock instant no later than the interrupted update's first create. */
  localMs: number;
  /** Where it comes from, for the user. */
  source: string;
  /**
   * True when the bound may be well before the update started (the end of
   * the previous update): integrations made in between by someone else can
   * then look like ours.
   */
  loose: boolean;
}

function ms(s: string | undefined): number | undefined {
  if (typeof s !== "string") return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * A lower bound on when the interrupted update started, in the local clock.
 *
 * 1. A history entry that covers the last checkpoint write (it started
 *    before it and has not ended, or ended after it) is the interrupted
 *    update: its start. (Pulumi Cloud records an update when it starts.)
 * 2. Otherwise the update left no history entry: a self-managed (file/bucket)
 *    backend writes one only when an update ends, and a killed update never
 *    ends. Then, from the checkpoint: the later of the end of the last
 *    recorded update and the creation of the stack's root resource (which
 *    an update registers before any other, so when the interrupted update
 *    was the stack's first it is a tight bound).
 */
export function updateStartBound(history: HistoryEntry[], state: ExportedStack): StartBound | undefined {
  const manifestMs = ms(state.deployment.manifest?.time);
  const entries = history.filter((h) => ms(h.startTime) !== undefined);

  const covering = entries
    .filter((h) => {
      const start = ms(h.startTime)!;
      const end = ms(h.endTime);
      if (h.result === "in-progress") return true;
      if (manifestMs === undefined) return false;
      return start <= manifestMs && (end === undefined || end >= manifestMs);
    })
    .sort((a, b) => ms(b.startTime)! - ms(a.startTime)!);
  if (covering.length > 0) {
    const h = covering[0];
    return {
      localMs: ms(h.startTime)!,
      source: `stack history: update${h.version !== undefined ? ` #${h.version}` : ""} started ${h.startTime}`,
      loose: false,
    };
  }

  let lastEnd: number | undefined;
  for (const h of entries) {
    const end = ms(h.endTime) ?? ms(h.startTime)!;
    if (manifestMs !== undefined && end > manifestMs) continue;
    if (lastEnd === undefined || end > lastEnd) lastEnd = end;
  }
  const root = (state.deployment.resources ?? []).find((r) => r.type === STACK_TYPE);
  let rootCreated = ms(root?.created);
  if (rootCreated !== undefined && manifestMs !== undefined && rootCreated > manifestMs) rootCreated = undefined;

  if (rootCreated !== undefined && (lastEnd === undefined || rootCreated >= lastEnd)) {
    return {
      localMs: rootCreated,
      source: `checkpoint: the stack's root resource was created at ${root!.created} (no history entry for the interrupted update)`,
      loose: false,
    };
  }
  if (lastEnd !== undefined) {
    return {
      localMs: lastEnd,
      source: `stack history: the previous update ended ${new Date(lastEnd).toISOString()} (no history entry for the interrupted update)`,
      loose: true,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

export interface Match {
  urn: string;
  integration: Integration;
  /** True when it was paired among identical intents (indistinguishable pending creates). */
  paired: boolean;
}

export interface Unmatched {
  urn: string;
  reason: string;
  /** Integrations that may be the one it created; empty when none was found. */
  candidates: string[];
}

export interface MatchResult {
  matches: Match[];
  unmatched: Unmatched[];
}

function intentKey(hubId: string, intent: CreateIntent): string {
  const extra = intent.extra === undefined ? null : Object.entries(intent.extra).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([hubId, intent.vendor, intent.name, intent.identifier, extra]);
}

/**
 * Matches pending creates to the integrations they made, by the rule of
 * `createCandidates`: exactly what the create sent, created no earlier than
 * `notBeforeServerMs` (server clock), not claimed by the stack.
 *
 * Pending creates with identical intents cannot be told apart: with no more
 * candidates than pending creates they are paired in creation order (the
 * engine's order, the candidates' `created`); the rest created nothing that
 * can be found. More candidates than pending creates, or a candidate of two
 * different intents, is ambiguous: nothing of that intent is matched.
 *
 * `hubOf` gives a pending create's hub (its own `hubId`, else the configured
 * one); `hubIntegrations` every integration of a hub.
 */
export function matchPendingCreates(
  pending: PendingCreate[],
  hubOf: (p: PendingCreate) => string | undefined,
  hubIntegrations: (hubId: string) => Integration[],
  notBeforeServerMs: number,
  claimed: ReadonlySet<string>,
): MatchResult {
  const unmatched: Unmatched[] = [];
  const groups = new Map<string, { hubId: string; intent: CreateIntent; members: PendingCreate[]; candidates: Integration[] }>();
  for (const p of pending) {
    if ("error" in p.intent) {
      unmatched.push({ urn: p.urn, reason: `cannot tell what its create sent: ${p.intent.error}`, candidates: [] });
      continue;
    }
    const hubId = hubOf(p);
    if (!hubId) {
      unmatched.push({ urn: p.urn, reason: "no hub: it sets no `hubId` and neither `cycle:hubId` nor CYCLE_HUB_ID is set", candidates: [] });
      continue;
    }
    const key = intentKey(hubId, p.intent);
    let g = groups.get(key);
    if (!g) {
      g = { hubId, intent: p.intent, members: [], candidates: createCandidates(p.intent, hubIntegrations(hubId), notBeforeServerMs, claimed) };
      groups.set(key, g);
    }
    g.members.push(p);
  }

  // An integration that is a candidate of two different intents belongs to neither for sure.
  const groupsOf = new Map<string, number>();
  for (const g of groups.values()) for (const c of g.candidates) groupsOf.set(c.id, (groupsOf.get(c.id) ?? 0) + 1);

  const matches: Match[] = [];
  for (const g of groups.values()) {
    const members = [...g.members].sort((a, b) => a.order - b.order);
    const ids = g.candidates.map((c) => c.id);
    const shared = g.candidates.some((c) => (groupsOf.get(c.id) ?? 0) > 1);
    if (shared || g.candidates.length > members.length) {
      const why = shared
        ? "an integration that may be this one also matches another pending create with a different intent"
        : `${g.candidates.length} integrations created since the update started match ${members.length === 1 ? "it" : `these ${members.length} pending creates`} exactly (vendor, name, identifier, extra), more than it could have made`;
      for (const m of members) unmatched.push({ urn: m.urn, reason: why, candidates: ids });
      continue;
    }
    members.forEach((m, i) => {
      const c = g.candidates[i];
      if (c) matches.push({ urn: m.urn, integration: c, paired: members.length > 1 });
      else
        unmatched.push({ urn: m.urn, reason: "no integration created since the update started matches it: its create did not reach the hub", candidates: [] });
    });
  }
  matches.sort((a, b) => orderOf(pending, a.urn) - orderOf(pending, b.urn));
  unmatched.sort((a, b) => orderOf(pending, a.urn) - orderOf(pending, b.urn));
  return { matches, unmatched };
}

function orderOf(pending: PendingCreate[], urn: string): number {
  return pending.find((p) => p.urn === urn)?.order ?? Number.MAX_SAFE_INTEGER;
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

/** What a hub holds now, as the command read it. */
export interface HubReading {
  integrations: Integration[];
  catalogue: Catalogue;
}

export interface RecoveryInput {
  state: ExportedStack;
  /** The stack's pending creates of Integrations (`pendingIntegrationCreates`). */
  pending: PendingCreate[];
  bound: StartBound;
  /** The bound in the API's clock, when its answers carried a `Date` header. */
  serverBoundMs?: number;
  /** The configured hub, for pending creates that name none. */
  defaultHubId?: string;
  /** Each hub of `hubsToRead`. */
  hubs: ReadonlyMap<string, HubReading>;
}

export interface RecoveryPlan {
  pending: PendingCreate[];
  bound: StartBound;
  /** False when the API's clock is unknown and this machine's was assumed. */
  serverClockKnown: boolean;
  matches: Match[];
  unmatched: Unmatched[];
  /** What the state gets: each match with its vendor's definition. */
  recoveries: Recovery[];
  /** Every pending create this command removes (matched or not). */
  handled: Set<string>;
  /** Pending operations left to Pulumi (not creates of Integrations). */
  otherPending: number;
}

/** The hub of a pending create: its own `hubId`, else the configured one. */
export function hubOf(p: PendingCreate, defaultHubId: string | undefined): string | undefined {
  return p.hubId ?? defaultHubId;
}

/**
 * The hubs to read: those a pending create can be matched in. One that
 * cannot (its own connection, secret inputs) needs nothing read.
 */
export function hubsToRead(pending: PendingCreate[], defaultHubId: string | undefined): string[] {
  const hubs = pending.filter((p) => !("error" in p.intent)).map((p) => hubOf(p, defaultHubId));
  return [...new Set(hubs.filter((h): h is string => h !== undefined))];
}

/** Pending operations of the state that are not creates of Integrations. */
export function otherPendingOperations(state: ExportedStack): number {
  return (state.deployment.pending_operations ?? []).filter((o) => !(o.type === "creating" && isIntegrationType(o.resource?.type))).length;
}

/** The whole decision, from what was read: which pending create made which integration, and what the state gets. */
export function planRecovery(input: RecoveryInput): RecoveryPlan {
  const notBefore = input.serverBoundMs ?? input.bound.localMs;
  const { matches, unmatched } = matchPendingCreates(
    input.pending,
    (p) => hubOf(p, input.defaultHubId),
    (h) => input.hubs.get(h)?.integrations ?? [],
    notBefore,
    idsInStack(input.state),
  );
  const recoveries = matches.map((m) => ({
    urn: m.urn,
    integration: m.integration,
    definition: input.hubs.get(m.integration.hub_id)?.catalogue.get(m.integration.vendor)?.definition,
  }));
  return {
    pending: input.pending,
    bound: input.bound,
    serverClockKnown: input.serverBoundMs !== undefined,
    matches,
    unmatched,
    recoveries,
    handled: new Set(input.pending.map((p) => p.urn)),
    otherPending: otherPendingOperations(input.state),
  };
}
