/**
 * Verify jobs: when one is wanted, running it within the deadline, and what
 * its verdict means for the recorded state.
 */
import type { CycleClient } from "../api/client";
import { CycleJobError, JobProgress, waitForJob } from "../api/jobs";
import type { IntegrationDefinition } from "../api/types";
import type { EngineContext } from "./context";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS, IntegrationInputs, IntegrationOutputs } from "./model";

/** Verification applies when the vendor supports it and the program did not turn it off. */
export function wantsVerification(inputs: IntegrationInputs, definition: IntegrationDefinition | undefined): boolean {
  const supported = definition?.supports_verification === true;
  return supported && (inputs.verify ?? true);
}

/** On create: verify unless not wanted, or already live (an adopted integration). */
export async function verifyIfWanted(
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
 * Submits a verify job and waits for it within `verifyTimeoutSeconds`. The
 * job's outcome is the verdict: completed means live; an error or expiry
 * records the message; a timeout records that the job was still running.
 * Never throws for a failed verification: callers decide from `verified`.
 */
export async function runVerification(ctx: EngineContext, client: CycleClient, outs: IntegrationOutputs, inputs: IntegrationInputs): Promise<IntegrationOutputs> {
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

export function verificationFailureText(outs: IntegrationOutputs): string {
  return `Verification of integration ${outs.integrationId} failed${outs.stateError ? `: ${outs.stateError}` : ` (state ${outs.state})`}; it is recorded in state, and the next \`pulumi up\` verifies it again`;
}
