/**
 * Verify jobs: whether one is wanted, running one (or following the one
 * already running: never two at once), and reading the integration back
 * for the verdict instead of trusting the job alone.
 */
import type { CycleClient } from "../api/client";
import { isIntegrationNotFound, isInvalidState, isJobNotFound } from "../api/errors";
import { CycleJobError, JobProgress, waitForJob } from "../api/jobs";
import { pollUntil } from "../api/poll";
import type { Redactor } from "../api/redact";
import type { Integration } from "../api/types";
import { CycleCancelledError, CycleVerificationError } from "../errors";
import { EngineContext, sleeperOf } from "./context";
import { isDeletingOrDeleted } from "./states";

/** The one rule: verification applies when the vendor supports it and the program did not turn it off. */
export function wantsVerification(verify: boolean | undefined, supportsVerification: boolean | undefined): boolean {
  return supportsVerification === true && verify !== false;
}

export interface VerifyRequest {
  integrationId: string;
  hubId: string;
  /** The resource's name, for progress lines. */
  label: string;
  timeoutMs: number;
  /** A verify job this provider started earlier that may still be running: followed before any new one. */
  followJobId?: string;
  /** The recorded state says a verification was under way: its outcome is the verdict, no new job is started for it. */
  followRunning?: boolean;
}

export interface VerifyResult {
  /** The integration as read after the verification ended; absent on a timeout. */
  live?: Integration;
  /** The verify job followed or started. */
  jobId?: string;
  /** Why verification did not succeed (redacted), when it did not. */
  failure?: string;
  /** True when the deadline passed with the job still running: the next `up` follows it. */
  timedOut?: boolean;
}

/** The integration was deleted (or is being deleted) while it was being verified. */
export class IntegrationGoneError extends CycleVerificationError {
  override readonly name = "IntegrationGoneError";
}

/**
 * Brings the integration to a verification verdict within the deadline:
 * follows a job already running (ours from an earlier `up`, or one a lost
 * answer started), or starts one; then reads the integration back.
 */
export async function verify(ctx: EngineContext, client: CycleClient, req: VerifyRequest, redactor: Redactor): Promise<VerifyResult> {
  const deadline = Date.now() + req.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const progress = (p: JobProgress) => ctx.log?.(`${req.label}: verify ${p.state}${p.task ? `, ${p.task}` : ""}${p.step ? `: ${p.step}` : ""}`);

  if (req.followJobId) {
    const followed = await followJob(ctx, client, req, req.followJobId, remaining(), redactor, progress);
    if (followed) return followed;
  }
  if (req.followRunning) {
    // The job is unknown (or was not recorded): the integration's state tells.
    const live = await readOrGone(client, req);
    if (live.state.current === "verifying") return awaitRunningVerification(ctx, client, req, remaining(), redactor);
    return verdictOf(live, undefined, redactor);
  }

  let jobId: string | undefined;
  try {
    const descriptor = await client.createVerifyJob(req.integrationId, { hubId: req.hubId });
    jobId = descriptor.job?.id;
    if (!jobId) throw new Error(`Verifying integration ${req.integrationId}: the API accepted the verify task but returned no job`);
  } catch (err) {
    if (isIntegrationNotFound(err)) throw gone(req.integrationId, "deleted");
    if (!isInvalidState(err)) throw err;
    // A verify (perhaps our own, whose answer was lost) or a delete is under way.
    return awaitRunningVerification(ctx, client, req, remaining(), redactor);
  }
  ctx.log?.(`${req.label}: verifying integration ${req.integrationId} (job ${jobId})`);
  const started = jobId;
  return followJob(ctx, client, req, started, remaining(), redactor, progress).then(
    async (r) => r ?? verdictOf(await readOrGone(client, req), started, redactor),
  );
}

/**
 * Waits for a verify job, then reads the verdict. Undefined when the job is
 * unknown to the API (long gone): the caller decides afresh.
 */
async function followJob(
  ctx: EngineContext,
  client: CycleClient,
  req: VerifyRequest,
  jobId: string,
  timeoutMs: number,
  redactor: Redactor,
  onProgress: (p: JobProgress) => void,
): Promise<VerifyResult | undefined> {
  try {
    await waitForJob(client, jobId, { hubId: req.hubId, timeoutMs, sleep: sleeperOf(ctx), onProgress, kind: "verify", history: ctx.session.jobs });
  } catch (err) {
    // Cancelled: as after the deadline, the job is recorded as running, and the next `up` follows it.
    if (err instanceof CycleCancelledError) return { jobId, timedOut: true, failure: `the wait for verify job ${jobId} was cancelled` };
    if (isJobNotFound(err)) return undefined;
    if (!(err instanceof CycleJobError)) throw err;
    if (err.reason === "timeout")
      return {
        jobId,
        timedOut: true,
        failure: redactor.redact(`verify job ${jobId} was still running after ${Math.round(req.timeoutMs / 1000)} s (verifyTimeoutSeconds)`),
      };
  }
  const live = await readOrGone(client, req);
  // Another verification started after this job (a lost answer's repeat, or someone else's): its outcome decides.
  if (live.state.current === "verifying") return awaitRunningVerification(ctx, client, req, timeoutMs, redactor);
  return verdictOf(live, jobId, redactor);
}

/** Someone else's verify (or our own, whose answer was lost): follow the integration's state until it leaves `verifying`. */
export async function awaitRunningVerification(
  ctx: EngineContext,
  client: CycleClient,
  req: VerifyRequest,
  timeoutMs: number,
  redactor: Redactor,
): Promise<VerifyResult> {
  ctx.log?.(`${req.label}: a verification is already under way; waiting for it`);
  let result: Awaited<ReturnType<typeof pollUntil<Integration>>>;
  try {
    result = await pollUntil<Integration>(
      async () => {
        const live = await readOrGone(client, req);
        return live.state.current === "verifying" ? { done: false } : { done: true, value: live };
      },
      { timeoutMs, sleep: sleeperOf(ctx) },
    );
  } catch (err) {
    if (err instanceof CycleCancelledError) return { timedOut: true, failure: "the wait for the verification under way was cancelled" };
    throw err;
  }
  if (!result.done)
    return { timedOut: true, failure: `the verification under way was still running after ${Math.round(req.timeoutMs / 1000)} s (verifyTimeoutSeconds)` };
  return verdictOf(result.value, undefined, redactor);
}

function verdictOf(live: Integration, jobId: string | undefined, redactor: Redactor): VerifyResult {
  if (live.state.current === "live") return { live, jobId };
  const why = live.state.error?.message ?? `the integration is ${live.state.current} after its verification`;
  return { live, jobId, failure: redactor.redact(why) };
}

/** Reads the integration; one that is gone or going is an error: it must not be recorded as verified. */
async function readOrGone(client: CycleClient, req: VerifyRequest): Promise<Integration> {
  let live: Integration;
  try {
    live = await client.getIntegration(req.integrationId, { hubId: req.hubId, includeDefinition: true });
  } catch (err) {
    if (isIntegrationNotFound(err)) throw gone(req.integrationId, "deleted");
    throw err;
  }
  if (isDeletingOrDeleted(live)) throw gone(req.integrationId, live.state.current);
  return live;
}

function gone(id: string, state: string): IntegrationGoneError {
  return new IntegrationGoneError(
    `Integration ${id} was ${state === "deleting" ? "being deleted" : "deleted"} outside Pulumi while it was being verified; it is not recorded as verified. Run \`pulumi refresh\`, then \`pulumi up\` to create it again`,
  );
}
