import { CycleApiError } from "./errors";
import type { CallOptions, CycleClient } from "./client";
import { defaultSleep } from "./client";
import { FINISHED_JOB_STATES, Job, JobStateName } from "./types";

/** One observation of a job, for progress reporting. */
export interface JobProgress {
  jobId: string;
  state: JobStateName;
  /** The running (or last) task's caption, and its current step's. */
  task?: string;
  step?: string;
}

export interface WaitForJobOptions extends CallOptions {
  /** Give up after this long in all. Default 10 minutes. */
  timeoutMs?: number;
  /** First poll interval; grows by `backoffFactor` up to `maxIntervalMs`. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  backoffFactor?: number;
  /**
   * Right after a job is created the API can briefly answer `404.job`; we keep
   * asking for this long before believing it.
   */
  notFoundGraceMs?: number;
  /** Called whenever the state, task or step changes. */
  onProgress?: (progress: JobProgress) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const DEFAULT_JOB_WAIT = Object.freeze({
  timeoutMs: 10 * 60_000,
  initialIntervalMs: 100,
  maxIntervalMs: 2_000,
  backoffFactor: 1.5,
  notFoundGraceMs: 5_000,
});

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
 * Polls a job until it is `completed`, `error` or `expired`, starting fast
 * (most verify jobs take a second or two) and backing off to a cap. Resolves
 * with the job on `completed`; rejects with a {@link CycleJobError} naming the
 * job's and the failed tasks' errors otherwise, and on the deadline.
 */
export async function waitForJob(client: CycleClient, jobId: string, options: WaitForJobOptions = {}): Promise<Job> {
  const cfg = { ...DEFAULT_JOB_WAIT, ...options };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + cfg.timeoutMs;
  let interval = cfg.initialIntervalMs;
  let lastKey = "";
  let last: Job | undefined;

  for (;;) {
    try {
      last = await client.getJob(jobId, { hubId: options.hubId });
      const progress = progressOf(last);
      const key = `${progress.state}|${progress.task ?? ""}|${progress.step ?? ""}`;
      if (key !== lastKey) {
        lastKey = key;
        options.onProgress?.(progress);
      }
      if (FINISHED_JOB_STATES.includes(last.state.current)) {
        if (last.state.current === "completed") return last;
        throw new CycleJobError(jobId, last.state.current === "expired" ? "expired" : "error", failureMessage(last), last);
      }
    } catch (err) {
      const tolerable = err instanceof CycleApiError && err.code === "404.job" && now() - started < cfg.notFoundGraceMs;
      if (!tolerable) throw err;
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      const seen = last ? ` (last state: ${last.state.current})` : "";
      throw new CycleJobError(jobId, "timeout", `Job ${jobId} did not finish within ${Math.round(cfg.timeoutMs / 1000)} s${seen}`, last);
    }
    await sleep(Math.min(interval, remaining));
    interval = Math.min(cfg.maxIntervalMs, interval * cfg.backoffFactor);
  }
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
