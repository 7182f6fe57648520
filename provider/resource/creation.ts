/**
 * Exactly-once create. One POST; when its outcome is unknown (no answer, a
 * 5xx, a gateway page), the hub is searched for the integration it may have
 * made, by the rule in `identity.ts`: exactly what was sent, created after
 * the request left (in the server's clock), not claimed by another resource
 * of this process. None: the POST is sent once more. One: it is ours.
 * Several: we cannot tell, and say so with the candidates, instead of
 * guessing.
 *
 * Creates of look-alikes (the same intent in the same hub) are serialized
 * within the process, so that while one create is unresolved no twin is in
 * flight that reconciliation could confuse with it.
 */
import type { CycleClient } from "../api/client";
import { CycleApiError } from "../api/errors";
import { CycleAmbiguityError, CycleError } from "../errors";
import type { CreateIntegrationBody, Integration } from "../api/types";
import type { EngineContext } from "./context";
import { createCandidates, CreateIntent } from "./identity";

/** Sends in all, the first included: after an unknown outcome and a search that found nothing, the create is sent once more. */
const MAX_CREATE_SENDS = 2;

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

/** Several integrations match a create whose answer was lost: the user decides. */
export class AmbiguousCreateError extends CycleAmbiguityError {
  override readonly name = "AmbiguousCreateError";
}

export function intentOf(body: CreateIntegrationBody & { identifier: string }): CreateIntent {
  return { vendor: body.vendor, name: body.name, identifier: body.identifier, extra: body.extra };
}

/** Creates the integration exactly once; the body carries the identifier (declared or derived) so the hub's copy can be matched. */
export function createExactlyOnce(
  ctx: EngineContext,
  client: CycleClient,
  hubId: string,
  body: CreateIntegrationBody & { identifier: string },
): Promise<Integration> {
  const intent = intentOf(body);
  const key = JSON.stringify([client.baseUrl, hubId, intent.vendor, intent.name, intent.identifier]);
  return ctx.session.serialized(key, async () => {
    for (let send = 1; ; send++) {
      const sentAt = Date.now();
      let failure: CycleApiError;
      try {
        const created = await client.createIntegration(body, { hubId });
        ctx.session.claim(created.id);
        return created;
      } catch (err) {
        if (!(err instanceof CycleApiError) || err.outcome === "refused") throw err;
        failure = err;
      }
      if (failure.outcome === "applied" && failure.resourceId) {
        // Created, but the answer did not hold what we need: read it back.
        const id = failure.resourceId;
        ctx.session.claim(id);
        try {
          return await client.getIntegration(id, { hubId });
        } catch (err) {
          throw new CreatedButUnreadError(id, `integration ${id} was created, but neither its create answer nor a read of it could be used: ${(err as Error).message}`);
        }
      }
      const found = await reconcile(client, hubId, intent, sentAt, failure, ctx.session.claimedIds());
      if (found) {
        ctx.session.claim(found.id);
        ctx.log?.(`create of "${body.name}": the answer was lost; found the integration it made (${found.id})`);
        return found;
      }
      if (failure.outcome === "applied" || send >= MAX_CREATE_SENDS) {
        throw new Error(
          `${failure.message}. No integration matching this create was found in hub ${hubId}, so none was recorded; run \`pulumi up\` again (it searches again before creating)`,
        );
      }
      ctx.log?.(`create of "${body.name}": no answer (${failure.networkCode ?? failure.status ?? failure.kind}) and nothing was created; sending it again`);
    }
  });
}

/** The integration a create with an unknown outcome made, if exactly one can be it. */
async function reconcile(
  client: CycleClient,
  hubId: string,
  intent: CreateIntent,
  sentAtLocal: number,
  failure: CycleApiError,
  claimed: ReadonlySet<string>,
): Promise<Integration | undefined> {
  let hub: Integration[];
  try {
    hub = await client.listIntegrations({}, { hubId });
  } catch (err) {
    throw new Error(
      `${failure.message}. The integration may have been created, and the hub could not be searched for it (${(err as Error).message}); nothing was recorded. Run \`pulumi up\` again when the API answers: it searches before creating`,
    );
  }
  // The list's own answer gave the clock at least one observation.
  const notBefore = client.serverClock.earliestAt(sentAtLocal);
  if (notBefore === undefined) {
    throw new Error(`${failure.message}. The API's clock is unknown (no Date header), so the integration this create may have made cannot be told from look-alikes; nothing was recorded`);
  }
  const candidates = createCandidates(intent, hub, notBefore, claimed);
  if (candidates.length <= 1) return candidates[0];
  throw new AmbiguousCreateError(
    `The answer to creating ${intent.vendor} integration "${intent.name}" was lost, and ${candidates.length} integrations created since then match it exactly (${candidates
      .map((c) => c.id)
      .join(", ")}); another program may be creating the same integration. Nothing was recorded. Delete the extra ones in the Cycle portal, or set \`adoptId\` to the one this resource should manage, then run \`pulumi up\` again`,
  );
}
