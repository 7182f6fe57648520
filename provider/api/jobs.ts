import { isJobNotFound } from "./errors";
import type { CallOptions, CycleClient } from "./client";
import { DEFAULT_POLL_TIMING, PollOptions, pollUntil } from "./poll";
import { FINISHED_JOB_STATES, Job, JobStateName } from "./types";

/** One observation of a job, for progress reporting. */
export interface JobProgress {
  jobId: string;
  state: JobStateName;
  /** The running (or last) task's caption, and its current step's. */
  task?: string;
  step?: string;
}

export interface WaitForJobOptions extends CallOptions, PollOptions {
  /**
   * Right after a job is created the API can briefly answer `404.job`; we keep
   * asking for this long before believing it.
   */
  notFoundGraceMs?: number;
  /** Called whenever the state, task or step changes. */
  onProgress?: (progress: JobProgress) => void;
}

export const DEFAULT_JOB_WAIT = Object.freeze({ ...DEFAULT_POLL_TIMING, notFoundGraceMs: 5_000 });

export type JobFailureReason = "error" | "expired" | "timeout";

/** A job that ended in failure, or that did not end within the deadline. */
export class CycleJobError extends Error {
  override readonly name = "CycleJobError";
  constructor(
    readonly jobId: string,
    readonly reason: JobFailureReason,
    message: string,
    /** The last state seen, when any was. */
    readonly job?: Job,
  ) {
    super(message);
  }
}

/**
 * Polls a job until it is `completed`, `error` or `expired`. Resolves with
 * the job on `completed`; rejects with a {@link CycleJobError} naming the
 * job's and the failed tasks' errors otherwise, and on the deadline.
 */
export async function waitForJob(client: CycleClient, jobId: string, options: WaitForJobOptions = {}): Promise<Job> {
  const grace = options.notFoundGraceMs ?? DEFAULT_JOB_WAIT.notFoundGraceMs;
  let lastKey = "";
  let last: Job | undefined;
  const result = await pollUntil<Job>(async (elapsedMs) => {
    try {
      last = await client.getJob(jobId, { hubId: options.hubId });
    } catch (err) {
      if (isJobNotFound(err) && elapsedMs < grace) return { done: false };
      throw err;
    }
    const progress = progressOf(last);
    const key = `${progress.state}|${progress.task ?? ""}|${progress.step ?? ""}`;
    if (key !== lastKey) {
      lastKey = key;
      options.onProgress?.(progress);
    }
    return FINISHED_JOB_STATES.includes(last.state.current) ? { done: true, value: last } : { done: false };
  }, options);
  if (!result.done) {
    const seen = last ? ` (last state: ${last.state.current})` : "";
    const timeoutMs = options.timeoutMs ?? DEFAULT_JOB_WAIT.timeoutMs;
    throw new CycleJobError(jobId, "timeout", `Job ${jobId} did not finish within ${Math.round(timeoutMs / 1000)} s${seen}`, last);
  }
  const job = result.value;
  if (job.state.current === "completed") return job;
  throw new CycleJobError(jobId, job.state.current === "expired" ? "expired" : "error", failureMessage(job), job);
}

function progressOf(job: Job): JobProgress {
  const tasks = job.tasks ?? [];
  const task = tasks.find((t) => t.state.current === "running") ?? tasks.find((t) => t.state.current === "error") ?? tasks[tasks.length - 1];
  const steps = task?.steps ?? [];
  const zero = (t: string) => !t || t.startsWith("0001-01-01");
  const step = steps.find((s) => !zero(s.started) && zero(s.completed)) ?? [...steps].reverse().find((s) => !zero(s.started));
  return { jobId: job.id, state: job.state.current, task: task?.caption, step: step?.caption };
}

/** The job's own error and each failed task's, in one sentence. */
export function failureMessage(job: Job): string {
  const parts: string[] = [];
  if (job.state.error?.message) parts.push(job.state.error.message);
  for (const task of job.tasks ?? []) {
    if (task.error?.message) parts.push(`${task.caption}: ${task.error.message}`);
  }
  const what = job.state.current === "expired" ? "expired before it ran" : "failed";
  return `Job ${job.id} (${job.caption}) ${what}${parts.length ? `: ${parts.join("; ")}` : ""}`;
}
