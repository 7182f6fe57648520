/**
 * Delete: start the delete job and wait for it within `deleteTimeoutSeconds`;
 * an integration already gone (here or outside Pulumi) is success.
 */
import { CycleApiError } from "../api/errors";
import { CycleClient, defaultSleep } from "../api/client";
import { DEFAULT_JOB_WAIT, waitForJob } from "../api/jobs";
import { requireHub } from "../config";
import { connect, EngineContext, Props } from "./context";
import { DEFAULT_DELETE_TIMEOUT_SECONDS, IntegrationOutputs } from "./model";
import { messageOf } from "./outputs";

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
  // Polled like a job: the same start, growth and cap.
  const sleep = ctx.sleep ?? defaultSleep;
  let interval: number = DEFAULT_JOB_WAIT.initialIntervalMs;
  while (Date.now() < deadline) {
    try {
      const current = await client.getIntegration(id, { hubId });
      if (current.state.current === "deleted") return;
    } catch (err) {
      if (err instanceof CycleApiError && err.code === "404.hub.integration") return;
      throw err;
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
    interval = Math.min(DEFAULT_JOB_WAIT.maxIntervalMs, interval * DEFAULT_JOB_WAIT.backoffFactor);
  }
  throw new Error(`Deleting integration ${id}: not deleted within ${Math.round(timeoutMs / 1000)} s (deleteTimeoutSeconds)`);
}
