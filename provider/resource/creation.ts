/**
 * Exactly-once create. Before the POST, the hub's exact look-alikes of what
 * is about to be sent are noted (`preExisting`): whatever happens next, none
 * of them is this create's, whatever any clock says. One POST; when its
 * outcome is unknown (no answer, a 5xx, a gateway page), the hub is searched
 * for an integration it may have made, by the rule in `identity.ts`: exactly
 * what was sent, not there before, not claimed by another resource of this
 * process, and (when the API's clocks agree) created before the failure
 * came back.
 *
 *  - None: nothing was made; the POST is sent once more.
 *  - One, and no answer came: it is ours.
 *  - One, but the API (or a gateway) answered with a failure: the API says
 *    it did not do it, so the match may as well be another program's (a
 *    second stack of the same program creating the same integration). It is
 *    not recorded without a person saying so.
 *  - Several, a search that cannot run within a bounded time, or clocks
 *    that disagree: we cannot tell.
 *
 * Whatever cannot be told is never forgotten: the create fails with an
 * `UnsettledCreateError` naming what it knows (the send time, the
 * candidates, the `adoptId` to use), which the engine records under a
 * placeholder ID (see `unsettled.ts`); the next `up` settles that attempt
 * before creating anything.
 *
 * Creates of look-alikes (the same intent in the same hub) are serialized
 * within the process, so that while one create is unresolved no twin is in
 * flight that reconciliation could confuse with it.
 */
import type { CycleClient } from "../api/client";
import { CycleApiError } from "../api/errors";
import type { CreateIntegrationBody, Integration, UpdateIntegrationBody } from "../api/types";
import { CLOCK_TOLERANCE_MS } from "../api/serverClock";
import { CycleError } from "../errors";
import { connect, EngineContext } from "./context";
import { CreateIntent, matchesIntent, sameStringMap } from "./identity";
import type { IntegrationRecord } from "./model";
import { UnsettledCreate, UnsettledCreateError } from "./unsettled";

/** Sends in all, the first included: after an unknown outcome and a search that found nothing, the create is sent once more. */
const MAX_CREATE_SENDS = 2;

/** How long a search after a lost answer keeps trying while the hub cannot be listed; `CYCLE_RECONCILE_TIMEOUT_SECONDS` overrides it. */
const DEFAULT_RECONCILE_TIMEOUT_MS = 30_000;
/** Pause between listings that failed, within that time. */
const RECONCILE_PAUSE_MS = 1_000;

/** The integration exists (the API said so, with this ID), but could not be read back. */
export class CreatedButUnreadError extends CycleError {
  override readonly name = "CreatedButUnreadError";
  constructor(
    readonly integrationId: string,
    message: string,
  ) {
    super(message);
  }
}

export function intentOf(body: CreateIntegrationBody & { identifier: string }): CreateIntent {
  return { vendor: body.vendor, name: body.name, identifier: body.identifier, extra: body.extra };
}

/**
 * Creates the integration exactly once; the body carries the identifier
 * (declared or derived) so the hub's copy can be matched. `earlier` is a
 * create of this resource an earlier run could not settle: it is settled
 * first, and only if it made nothing is a POST sent.
 */
export function createExactlyOnce(
  ctx: EngineContext,
  client: CycleClient,
  hubId: string,
  body: CreateIntegrationBody & { identifier: string },
  earlier?: UnsettledCreate,
): Promise<Integration> {
  const intent = intentOf(body);
  const key = JSON.stringify([client.baseUrl, hubId, intent.vendor, intent.name, intent.identifier]);
  return ctx.session.serialized(key, async () => {
    if (earlier) {
      const made = await settleEarlier(ctx, client, earlier);
      if (made) {
        try {
          return await bringTo(client, hubId, made, body);
        } catch (err) {
          // It exists and is ours: record it, and let the next `up` bring it to what is declared.
          throw new CreatedButUnreadError(
            made.id,
            `integration ${made.id}, made by an earlier attempt of this create, is recorded, but could not be brought to what is declared: ${(err as Error).message}`,
          );
        }
      }
      ctx.log?.(`create of "${body.name}": the earlier attempt (sent ${earlier.sentAt}) made nothing; creating it now`);
    }
    const sentAt = Date.now();
    const preExisting = await lookAlikes(client, hubId, intent, body.name);
    for (let send = 1; ; send++) {
      let failure: CycleApiError;
      try {
        const created = await client.createIntegration(body, { hubId });
        ctx.session.claim(created.id);
        return created;
      } catch (err) {
        if (!(err instanceof CycleApiError) || err.outcome === "refused") throw err;
        failure = err;
      }
      const failedAt = Date.now();
      if (failure.outcome === "applied" && failure.resourceId) {
        // Created, but the answer did not hold what we need: read it back.
        const id = failure.resourceId;
        ctx.session.claim(id);
        try {
          return await client.getIntegration(id, { hubId });
        } catch (err) {
          throw new CreatedButUnreadError(
            id,
            `integration ${id} was created, but neither its create answer nor a read of it could be used: ${(err as Error).message}`,
          );
        }
      }
      const attempt: UnsettledCreate = {
        hubId,
        intent,
        sentAt: new Date(sentAt).toISOString(),
        failedAt: new Date(failedAt).toISOString(),
        preExisting,
        // A gateway page or an API error: someone answered "failed". No answer at all: it may well have been done.
        answered: (failure.kind === "api" || failure.kind === "malformed") && failure.outcome !== "applied",
        candidates: [],
      };
      const found = await search(ctx, client, attempt, failure.message);
      if (found) {
        ctx.session.claim(found.id);
        ctx.log?.(`create of "${body.name}": the answer was lost; found the integration it made (${found.id})`);
        return found;
      }
      if (failure.outcome === "applied" || send >= MAX_CREATE_SENDS) {
        // Most likely nothing was made; but a create the API is still carrying out would show up later: say so, and keep the attempt.
        throw unsettled(attempt, `${failure.message}. No integration matching this create was found in hub ${hubId} yet`);
      }
      ctx.log?.(`create of "${body.name}": no answer (${failure.networkCode ?? failure.status ?? failure.kind}) and nothing was created; sending it again`);
    }
  });
}

/** The IDs of the hub's exact look-alikes of `intent` now: whatever happens next, none of them is this create's. */
async function lookAlikes(client: CycleClient, hubId: string, intent: CreateIntent, name: string): Promise<string[]> {
  let hub: Integration[];
  try {
    hub = await client.listIntegrations({}, { hubId });
  } catch (err) {
    throw new Error(`Creating integration "${name}": the hub could not be listed before sending it (${(err as Error).message}); nothing was sent`);
  }
  return hub.filter((i) => matchesIntent(intent, i)).map((i) => i.id);
}

/** The latest the API's clock can have read at local instant `localMs`, when its sources agree. */
function latestServerInstant(client: CycleClient, localMs: number): string | undefined {
  if (client.serverClock.reading().conflict) return undefined;
  const latest = client.serverClock.latestAt(localMs);
  return latest === undefined ? undefined : new Date(latest).toISOString();
}

function reconcileTimeoutMs(ctx: EngineContext): number {
  const raw = (ctx.env ?? process.env).CYCLE_RECONCILE_TIMEOUT_SECONDS;
  const seconds = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_RECONCILE_TIMEOUT_MS;
}

/** Lists the hub, trying again for a bounded time while it cannot be listed; undefined when it never could. */
async function listWithin(ctx: EngineContext, client: CycleClient, hubId: string): Promise<{ hub?: Integration[]; error?: string }> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = Date.now() + reconcileTimeoutMs(ctx);
  for (;;) {
    try {
      return { hub: await client.listIntegrations({}, { hubId }) };
    } catch (err) {
      const error = (err as Error).message;
      // Cancelled: the search stops, and the attempt is recorded unsettled for the next run.
      if (Date.now() + RECONCILE_PAUSE_MS >= until || ctx.session.signal.aborted) return { error };
      ctx.log?.(`the hub could not be searched (${error}); trying again`);
      await sleep(RECONCILE_PAUSE_MS);
    }
  }
}

/** Exact matches of what `attempt` sent that were not in the hub before it and that no other resource of this process holds. */
function newMatches(attempt: UnsettledCreate, hub: Integration[], claimed: ReadonlySet<string>): Integration[] {
  return hub
    .filter((i) => matchesIntent(attempt.intent, i) && !attempt.preExisting.includes(i.id) && !claimed.has(i.id))
    .sort((a, b) => Date.parse(a.events.created) - Date.parse(b.events.created) || a.id.localeCompare(b.id));
}

/**
 * Searches for what `attempt` made: the one integration, undefined when it
 * made none, or an UnsettledCreateError. The candidates are the new exact
 * matches created no later than the failure came back (`failedAt`, or
 * the attempt's recorded `notAfter`), in the API's clock. That bound is
 * taken after the listing, whose own timestamps may show the `Date` header
 * lying: then nothing is excluded by time, and nothing is guessed.
 */
async function search(ctx: EngineContext, client: CycleClient, attempt: UnsettledCreate, what: string): Promise<Integration | undefined> {
  const { hub, error } = await listWithin(ctx, client, attempt.hubId);
  if (!hub) {
    throw unsettled(
      attempt,
      `${what}. The integration may have been created, and the hub could not be searched for it within ${Math.round(reconcileTimeoutMs(ctx) / 1000)} s (${error})`,
    );
  }
  const matches = newMatches(attempt, hub, ctx.session.claimedIds());
  const conflict = client.serverClock.reading().conflict;
  if (conflict && matches.length > 0) {
    throw unsettled({ ...attempt, candidates: matches.map((c) => c.id) }, `${what}. ${conflict}, so whether the candidates were made by it cannot be told`);
  }
  // Recorded when an earlier search could take it; else from this process's clock, which has just seen the listing.
  const notAfter = attempt.notAfter ?? (attempt.failedAt === undefined ? undefined : latestServerInstant(client, Date.parse(attempt.failedAt)));
  const latest = notAfter === undefined ? Infinity : Date.parse(notAfter) + CLOCK_TOLERANCE_MS;
  const candidates = matches.filter((i) => Date.parse(i.events.created) <= latest);
  const known = { ...attempt, notAfter, candidates: candidates.map((c) => c.id) };
  if (candidates.length === 0) return undefined;
  if (candidates.length > 1)
    throw unsettled(
      known,
      `${what}. ${candidates.length} integrations not in the hub before it match it exactly; another program may be creating the same integration`,
    );
  if (attempt.answered) {
    throw unsettled(
      known,
      `${what}. The API answered that it failed, yet an integration matching it exactly appeared since: it may be another program's (another stack of this program creating the same integration), so it is not recorded without you`,
    );
  }
  return candidates[0];
}

/** Settles a create an earlier run could not: the integration it made, or undefined if it made none. */
async function settleEarlier(ctx: EngineContext, client: CycleClient, earlier: UnsettledCreate): Promise<Integration | undefined> {
  const what = `The create of ${earlier.intent.vendor} integration "${earlier.intent.name}" sent ${earlier.sentAt} did not settle`;
  const found = await search(ctx, client, earlier, what);
  if (found) {
    ctx.session.claim(found.id);
    ctx.log?.(`create of "${earlier.intent.name}": the earlier attempt made integration ${found.id}; it is recorded now`);
  }
  return found;
}

/** The integration an earlier attempt made, brought to what is declared now (the program may have changed since). */
async function bringTo(client: CycleClient, hubId: string, made: Integration, body: CreateIntegrationBody & { identifier: string }): Promise<Integration> {
  const patch: UpdateIntegrationBody = {};
  if (made.name !== body.name) patch.name = body.name;
  if (made.identifier !== body.identifier) patch.identifier = body.identifier;
  if (!sameStringMap(made.extra, body.extra)) patch.extra = body.extra;
  if (Object.keys(patch).length === 0) return made;
  // Credentials cannot be read back, so the declared ones go with any change.
  if (body.auth !== undefined) patch.auth = body.auth;
  return client.updateIntegration(made.id, patch, { hubId });
}

/** The error for an attempt that cannot be settled: what is known, the candidates, and what to do. */
function unsettled(attempt: UnsettledCreate, why: string): UnsettledCreateError {
  const { intent, hubId } = attempt;
  const c = attempt.candidates;
  const choose =
    c.length === 0
      ? ""
      : c.length === 1
        ? ` Candidate: ${c[0]}. If it is this resource's, set \`adoptId: "${c[0]}"\` and run \`pulumi up\`${
            attempt.answered
              ? `; if another stack holds it, \`pulumi destroy --target\` this resource (it deletes nothing it cannot tell is its own), then \`pulumi up\` makes this stack's own`
              : ""
          }.`
        : ` Candidates: ${c.join(", ")}. Set \`adoptId\` to the one this resource should manage (e.g. \`adoptId: "${c[0]}"\`) and run \`pulumi up\`; delete the others in the Cycle portal if no stack holds them.`;
  return new UnsettledCreateError(
    attempt,
    `${why}. Sent ${attempt.sentAt} (local clock) to hub ${hubId}: ${intent.vendor} "${intent.name}" (identifier \`${intent.identifier}\`).${choose} ` +
      `The attempt is recorded in state: the next \`pulumi up\` searches for it again before creating anything, and creates only if it made nothing`,
  );
}

/**
 * Delete of a resource whose create never settled (a destroy, or the
 * placeholder a replacement left behind): the integration that create made,
 * if one can be told, is deleted (by `deleteById`); if it made none, there
 * is nothing to do. If it cannot be told: when the API had answered that
 * the create failed, the candidates are more likely another program's, so
 * nothing is deleted and the placeholder goes (with a line naming them);
 * otherwise the delete fails naming them, and the record stays in state.
 */
export async function removeUnsettled(
  ctx: EngineContext,
  earlier: UnsettledCreate | undefined,
  olds: IntegrationRecord,
  deleteById: (ctx: EngineContext, id: string, olds: IntegrationRecord) => Promise<void>,
): Promise<void> {
  if (!earlier) return;
  const { client } = connect(ctx, olds);
  const what = `The create of ${earlier.intent.vendor} integration "${earlier.intent.name}" sent ${earlier.sentAt} did not settle`;
  let made: Integration | undefined;
  try {
    made = await search(ctx, client, earlier, what);
  } catch (err) {
    if (!(err instanceof UnsettledCreateError)) throw err;
    const seen = err.unsettled.candidates;
    if (earlier.answered) {
      ctx.log?.(
        `${what}, and the API had answered that it failed: nothing is deleted${seen.length ? ` (left in the hub, maybe another program's: ${seen.join(", ")})` : ""}`,
      );
      return;
    }
    throw new Error(
      `${err.message.replace(/ The attempt is recorded in state:.*$/, "")} It stays in state: delete the integration in the Cycle portal if it is this stack's, then run \`pulumi destroy\` again`,
    );
  }
  if (!made) return;
  ctx.session.claim(made.id);
  ctx.log?.(`destroy of "${earlier.intent.name}": the create that did not settle made integration ${made.id}; deleting it`);
  await deleteById(ctx, made.id, { ...olds, integrationId: made.id, hubId: earlier.hubId });
}
