/**
 * Delete: send the DELETE and wait for its job within `deleteTimeoutSeconds`.
 * An integration already gone (here or outside Pulumi) is success; a delete
 * already under way (ours, whose answer was lost, or someone else's) is
 * followed, not failed; a delete job that fails rolls the integration back
 * and the delete fails, keeping it in state.
 */
import type { CycleClient } from "../api/client";
import { isIntegrationNotFound, isInvalidState } from "../api/errors";
import { CycleJobError, waitForJobEnd } from "../api/jobs";
import type { JobDescriptor } from "../api/types";
import { pollUntil } from "../api/poll";
import { requireHub } from "../config";
import { CycleCancelledError, CycleTimeoutError } from "../errors";
import { connect, EngineContext, sleeperOf } from "./context";
import { DEFAULT_DELETE_TIMEOUT_SECONDS, IntegrationRecord } from "./model";
import { readOne } from "./reads";
import { isDeleted } from "./states";

/** What delete needs of the recorded state: where the integration is, how long to wait, and the resource's own connection. */
type Recorded = Pick<IntegrationRecord, "integrationId" | "hubId" | "deleteTimeoutSeconds" | "apiKey" | "apiUrl">;

export async function remove(ctx: EngineContext, id: string, olds: Recorded): Promise<void> {
  const { connection, client } = connect(ctx, olds);
  ctx.session.claim(id);
  const hubId = olds.hubId ?? requireHub(connection);
  const timeoutMs = (olds.deleteTimeoutSeconds ?? DEFAULT_DELETE_TIMEOUT_SECONDS) * 1000;

  let job: JobDescriptor["job"];
  try {
    job = (await client.deleteIntegration(id, { hubId })).job;
  } catch (err) {
    if (isIntegrationNotFound(err)) return; // Already gone: what delete wants.
    if (!isInvalidState(err)) throw err;
    // Deleting or deleted already: follow it below.
  }
  const jobId = job?.id;
  if (jobId) {
    ctx.log?.(`deleting integration ${id} (job ${jobId})`);
    try {
      // When the job should be over, one read of the integration (`deleted`, or gone) tells, without the
      // job's first read (which may answer 404 right after creation); the job is read when it has more to tell.
      await waitForJobEnd(client, jobId, {
        hubId,
        timeoutMs,
        sleep: sleeperOf(ctx),
        kind: "delete",
        history: ctx.session.jobs,
        descriptor: job,
        probe: () => deletedOrGone(client, id, hubId),
      });
      return;
    } catch (err) {
      if (err instanceof CycleCancelledError)
        throw new CycleCancelledError(
          `Deleting integration ${id}: cancelled while its delete job ${jobId} ran; it stays in state, and the next \`pulumi destroy\` follows it`,
        );
      if (!(err instanceof CycleJobError)) throw err;
      if (err.reason === "timeout")
        throw new CycleTimeoutError(
          `Deleting integration ${id}: ${err.message} (deleteTimeoutSeconds); it stays in state, and the next \`pulumi destroy\` follows it`,
        );
      throw new Error(`Deleting integration ${id} failed, and the hub kept it: ${err.message}`);
    }
  }
  await waitUntilDeleted(ctx, client, id, hubId, timeoutMs);
}

/** True when the integration reads `deleted` or is gone: only a delete that completed does that. */
async function deletedOrGone(client: CycleClient, id: string, hubId: string): Promise<boolean> {
  const current = await readOne(client, hubId, id);
  return current === "missing" || isDeleted(current);
}

/** A delete under way that we did not start here: followed through the integration's state. */
async function waitUntilDeleted(ctx: EngineContext, client: CycleClient, id: string, hubId: string, timeoutMs: number): Promise<void> {
  const result = await pollUntil<string>(
    async () => {
      const current = await readOne(client, hubId, id);
      if (current === "missing" || isDeleted(current)) return { done: true, value: "deleted" };
      if (current.state.current === "deleting") return { done: false };
      // The delete job failed and rolled it back.
      return { done: true, value: current.state.error?.message ?? `it is ${current.state.current} again` };
    },
    { timeoutMs, sleep: sleeperOf(ctx) },
  );
  if (!result.done) throw new CycleTimeoutError(`Deleting integration ${id}: not deleted within ${Math.round(timeoutMs / 1000)} s (deleteTimeoutSeconds)`);
  // Credentials the state error may quote are redacted where every error leaves the provider (operations.remove).
  if (result.value !== "deleted") throw new Error(`Deleting integration ${id} failed, and the hub kept it: ${result.value}`);
}
