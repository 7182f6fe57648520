/**
 * Following a job to its end: the poller. When to look comes from
 * `jobTiming.ts` (what the job shows, what jobs of its kind took before);
 * this module does the looking, keeps the durations seen by kind
 * (`JobHistory`), lets one job explore a kind nothing predicts yet while the
 * others of the kind wait for what it learns, and bounds the API's clock
 * from the jobs' own times (`JobClock`).
 */
import { CycleError } from "../errors";
import { isJobNotFound } from "./errors";
import type { CallOptions, CycleClient } from "./client";
import {
  DEFAULT_LOOK_TIMING,
  emptyHistory,
  JobTimeline,
  KindHistory,
  learn,
  Learned,
  LookReason,
  LookTiming,
  nextLook,
  nothingLearned,
  Prediction,
  predictCompletion,
  timelineOf,
  timelineOfDescriptor,
} from "./jobTiming";
import { DEFAULT_POLL_TIMING, defaultSleep, PollOptions } from "./poll";
import { CLOCK_TOLERANCE_MS, ServerClock } from "./serverClock";
import { FINISHED_JOB_STATES, Job, JobDescriptor, JobStateName } from "./types";

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
   * asking (at least three times, and for this long) before believing it.
   */
  notFoundGraceMs?: number;
  /** Called whenever the state, task or step changes. */
  onProgress?: (progress: JobProgress) => void;
  /**
   * What kind of job this is (`verify`, `delete`): jobs of one kind are timed
   * together to predict the next. Default: the descriptor's first task
   * header, else the job's (once read), else its caption.
   */
  kind?: string;
  /** The job's descriptor from the 202 that started it: when it was scheduled, in the API's clock. */
  descriptor?: JobDescriptor["job"];
  /**
   * A cheaper look at the job's effect (say, the integration read as
   * `deleted`), used instead of reading the job when a look only has to
   * check that a well-predicted job is over: true when the job certainly
   * completed. The job itself is read whenever it has something to tell.
   */
  probe?: () => Promise<boolean>;
  /** Spacing of looks (tests). */
  lookTiming?: Partial<LookTiming>;
  /**
   * What earlier waits learned: durations by kind, the explorer of each
   * kind, the API's clock. Pass the same one to every wait that should learn
   * from the others (the provider keeps one per session); without it, this
   * wait learns from nothing before it.
   */
  history?: JobHistory;
}

export const DEFAULT_JOB_WAIT = Object.freeze({ ...DEFAULT_POLL_TIMING, notFoundGraceMs: 5_000 });

export type JobFailureReason = "error" | "expired" | "timeout";

/** A job that ended in failure, or that did not end within the deadline. */
export class CycleJobError extends CycleError {
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

/** How many `404.job` answers are believed to be the API not showing a new job yet, whatever the time. */
const NOT_FOUND_READS = 3;

/**
 * Polls a job until it is `completed`, `error` or `expired`, looking when
 * it should be over (see `jobTiming.ts`) rather than at blind intervals.
 * Resolves with the job on `completed`; rejects with a {@link CycleJobError}
 * naming the job's and the failed tasks' errors otherwise, and on the
 * deadline.
 */
export async function waitForJob(client: CycleClient, jobId: string, options: WaitForJobOptions = {}): Promise<Job> {
  const { probe: _ignored, ...rest } = options;
  return (await waitForJobEnd(client, jobId, rest))!;
}

/**
 * {@link waitForJob}, with a `probe`: resolves with the job when it was read
 * completed, or with undefined when the probe saw its effect.
 */
export async function waitForJobEnd(client: CycleClient, jobId: string, options: WaitForJobOptions = {}): Promise<Job | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const timing: LookTiming = { ...DEFAULT_LOOK_TIMING, ...definedOnly(options.lookTiming ?? {}) };
  const grace = options.notFoundGraceMs ?? DEFAULT_JOB_WAIT.notFoundGraceMs;
  const timeoutMs = options.timeoutMs ?? DEFAULT_JOB_WAIT.timeoutMs;
  const history = options.history ?? new JobHistory();
  const started = now();
  const deadline = started + timeoutMs;
  const clock = history.clockOf(client);

  let kind: string | undefined = options.kind ?? options.descriptor?.tasks?.[0]?.header ?? undefined;
  let timeline: JobTimeline = options.descriptor ? timelineOfDescriptor(options.descriptor) : { steps: [] };
  // The job existed before the wait began: the API's clock read at least its creation then.
  if (timeline.created !== undefined) clock.atLeast(timeline.created, started);
  const learned = nothingLearned();
  let last: Job | undefined;
  let lastKey = "";
  let read = false;
  let notFound = 0;
  let firstNotFoundAt: number | undefined;
  let misses = 0;
  let probes = 0;
  let scouting = false;
  let waited = false;

  // Neither read nor scheduled as far as we know: it was created before the wait began, which bounds its creation.
  const predict = (): Prediction | undefined => {
    if (kind === undefined) return undefined;
    const low = clock.low();
    const t = timeline.created === undefined && low !== undefined ? { ...timeline, created: started + low } : timeline;
    return predictCompletion(t, history.of(kind));
  };

  // With a probe and a prediction, the first look waits for the predicted end; otherwise it is at once
  // (a new job may answer 404 for a moment: better now than at its end).
  let look: "job" | "probe" | "none" = options.probe ? "none" : "job";
  let lastReason: LookReason | undefined;
  try {
    for (;;) {
      if (look === "probe") {
        probes++;
        if (await options.probe!()) return last;
      } else if (look === "job") {
        let job: Job | undefined;
        const sent = now();
        try {
          job = await client.getJob(jobId, { hubId: options.hubId });
        } catch (err) {
          if (!isJobNotFound(err) || read) throw err;
          notFound++;
          firstNotFoundAt ??= sent;
          if (notFound > NOT_FOUND_READS && now() - firstNotFoundAt >= grace) throw err;
        }
        if (job) {
          read = true;
          last = job;
          kind ??= job.tasks?.[0]?.header || job.caption;
          timeline = timelineOf(job);
          clock.observe(timeline, started, now());
          if (history.learn(kind, timeline, learned)) history.signal(kind);
          const progress = progressOf(job);
          const key = `${progress.state}|${progress.task ?? ""}|${progress.step ?? ""}`;
          if (key !== lastKey) {
            lastKey = key;
            options.onProgress?.(progress);
          }
          if (FINISHED_JOB_STATES.includes(job.state.current)) {
            if (job.state.current === "completed") return job;
            throw new CycleJobError(jobId, job.state.current === "expired" ? "expired" : "error", failureMessage(job), job);
          }
        }
      }

      // Plan the next look.
      const t = now();
      if (t >= deadline) break;
      const prediction = predict();
      let exploreNow = false;
      if (!prediction && kind !== undefined && !scouting) {
        // Nothing predicts this job: one job of the kind explores, the others wait for what it learns.
        if (history.scoutOf(kind) === undefined) {
          scouting = history.claimScout(kind, jobId);
          // Taking over from an explorer that learned too little: this job has waited long enough already.
          exploreNow = waited;
        } else {
          const patience = Math.min(deadline, started + SCOUT_PATIENCE_MS);
          if (t < patience) {
            await history.changed(kind, patience - t, sleep);
            waited = true;
            look = "none";
            continue;
          }
        }
      }
      // A look at or after the predicted instant that did not see the end is a miss.
      const looked = look !== "none" ? lastReason : undefined;
      if (looked === "predicted" || looked === "close") misses++;
      let plan = nextLook({ now: t, started, deadline, prediction, offsetLow: clock.low(), misses }, timing);
      if (plan.reason === "predicted" && plan.at > t && misses > 0) {
        // The job showed it runs later than predicted: a new prediction, looked at once.
        misses = 0;
        plan = nextLook({ now: t, started, deadline, prediction, offsetLow: clock.low(), misses }, timing);
      }
      lastReason = plan.reason;
      let at = exploreNow ? t : plan.at;
      // A job not shown yet (404) on a look that had to tell (exploring, or past its predicted end) is asked
      // again soon: the API shows a new job after a moment. After the first look, right after creation, the
      // next one is as planned (at the predicted end, or the first exploring one).
      if (!read && notFound > 0 && (plan.reason === "close" || looked === "explore")) at = Math.min(at, t + notFoundDelay(notFound));
      // A cheap look suffices to see a well-predicted job over; the job is read when a look must tell more,
      // and always by the job exploring its kind (the others learn its whole duration from the job's own times).
      look =
        options.probe && !scouting && prediction && prediction.basis !== "guess" && misses <= 1 && probes < 3 && (read || notFound === 0) ? "probe" : "job";
      if (at > t) await sleep(at - t);
    }
  } finally {
    if (scouting && kind !== undefined) history.releaseScout(kind, jobId);
  }
  const seen = last ? ` (last state: ${last.state.current})` : "";
  throw new CycleJobError(jobId, "timeout", `Job ${jobId} did not finish within ${Math.round(timeoutMs / 1000)} s${seen}`, last);
}

/** How long after the n-th `404.job` the job is asked for again. */
function notFoundDelay(n: number): number {
  return n <= 1 ? 0 : Math.min(2_000, 250 * 2 ** (n - 2));
}

/** How long a job that nothing predicts waits for another of its kind to learn, before it explores by itself. */
const SCOUT_PATIENCE_MS = 60_000;

// ---------------------------------------------------------------------------
// What earlier waits have seen: durations by kind, the explorer of each kind, and the API's clock
// ---------------------------------------------------------------------------

/**
 * Durations of the jobs followed, by kind; which job explores a kind nothing
 * predicts yet; and the API's clock as the jobs showed it, per client.
 */
export class JobHistory {
  private readonly kinds = new Map<string, KindHistory>();
  private readonly scouts = new Map<string, string>();
  private readonly waiters = new Map<string, Array<() => void>>();
  // Keyed by the client's server clock (the Date headers it saw), so that the jobs' bound and the headers' meet.
  private readonly clocks = new WeakMap<object, JobClock>();

  /** The bound of the API's clock the jobs followed through this client showed. */
  clockOf(client: CycleClient): JobClock {
    const key = (client.serverClock ?? client) as object;
    let c = this.clocks.get(key);
    if (!c) this.clocks.set(key, (c = new JobClock(client.serverClock)));
    return c;
  }

  of(kind: string): KindHistory | undefined {
    return this.kinds.get(kind);
  }

  learn(kind: string, t: JobTimeline, learned: Learned): boolean {
    let h = this.kinds.get(kind);
    if (!h) this.kinds.set(kind, (h = emptyHistory()));
    return learn(h, t, learned);
  }

  scoutOf(kind: string): string | undefined {
    return this.scouts.get(kind);
  }

  claimScout(kind: string, jobId: string): boolean {
    if (this.scouts.has(kind)) return this.scouts.get(kind) === jobId;
    this.scouts.set(kind, jobId);
    return true;
  }

  releaseScout(kind: string, jobId: string): void {
    if (this.scouts.get(kind) !== jobId) return;
    this.scouts.delete(kind);
    this.signal(kind);
  }

  /** Wakes whoever waits for news of this kind. */
  signal(kind: string): void {
    const ws = this.waiters.get(kind) ?? [];
    this.waiters.delete(kind);
    for (const w of ws) w();
  }

  /** Resolves on news of this kind, or after `ms`. */
  changed(kind: string, ms: number, sleep?: (ms: number) => Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        resolve();
      };
      const list = this.waiters.get(kind) ?? [];
      list.push(finish);
      this.waiters.set(kind, list);
      // A sleep that rejects (a cancelled wait) ends this one too; the caller's next sleep says why.
      if (sleep && sleep !== defaultSleep) void sleep(ms).then(finish, finish);
      else timer = setTimeout(finish, ms);
    });
  }
}

/**
 * The lower bound of the API's clock minus ours, from the `Date` headers
 * (one-second resolution) and, to the millisecond, from the jobs: an
 * instant a job reports had passed on the API's clock when its answer
 * arrived, and a job's creation had passed when we began waiting for it.
 */
export class JobClock {
  private jobLow: number | undefined;
  constructor(private readonly server: ServerClock | undefined) {}

  atLeast(apiInstant: number, localInstant: number): void {
    const low = apiInstant - localInstant;
    if (this.jobLow === undefined || low > this.jobLow) this.jobLow = low;
  }

  observe(t: JobTimeline, waitStarted: number, received: number): void {
    if (t.created !== undefined) this.atLeast(t.created, waitStarted);
    for (const s of t.steps) {
      if (s.completed !== undefined) this.atLeast(s.completed, received);
      else if (s.started !== undefined) this.atLeast(s.started, received);
    }
    if (t.completed !== undefined) this.atLeast(t.completed, received);
  }

  low(): number | undefined {
    const server = this.server?.offset();
    if (this.jobLow === undefined) return server?.low;
    // The job's own instants are in the clock its timeline is written in: when a
    // `Date` header disagrees with them, they win, or every look would be planned
    // as far off as the header lies (and capped at the deadline).
    if (!server || this.jobLow > server.high + CLOCK_TOLERANCE_MS) return this.jobLow;
    return Math.max(server.low, this.jobLow);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function progressOf(job: Job): JobProgress {
  const tasks = job.tasks ?? [];
  const task = tasks.find((t) => t.state.current === "running") ?? tasks.find((t) => t.state.current === "error") ?? tasks[tasks.length - 1];
  const steps = task?.steps ?? [];
  const zero = (t: string | undefined) => !t || t.startsWith("0001-01-01");
  const step = steps.find((s) => !zero(s.started) && zero(s.completed)) ?? [...steps].reverse().find((s) => !zero(s.started));
  return { jobId: job.id, state: job.state.current, task: task?.caption, step: step?.caption };
}

/** The job's own error and each failed task's, in one sentence. */
export function failureMessage(job: Job): string {
  const parts: string[] = [];
  const jobError = job.state.error?.message;
  if (jobError) parts.push(jobError);
  for (const task of job.tasks ?? []) {
    // A task's error is often the job's own, word for word: say it once.
    if (task.error?.message && task.error.message !== jobError) parts.push(`${task.caption}: ${task.error.message}`);
  }
  const what = job.state.current === "expired" ? "expired before it ran" : "failed";
  return `Job ${job.id} (${job.caption}) ${what}${parts.length ? `: ${parts.join("; ")}` : ""}`;
}
