/**
 * When to look at a job: pure functions, tested without a clock or a server.
 *
 * A job tells how far it got (its steps' `started` and `completed`, its
 * `events`, its `schedule`), in the API's clock. Jobs of one kind (verify,
 * delete) take about as long as each other, step by step, so what this
 * process has seen of earlier ones predicts the next. From both:
 *
 *  - `predictCompletion` says when the job should end (in the API's clock),
 *    how much earlier it might, and on what it rests;
 *  - `nextLook` turns that into the local instant of the next look: one
 *    look at the predicted end (none before it), then close looks that
 *    widen if the job runs late; without any prediction, sparse looks
 *    (0, 0.25 s, 0.75 s, 2.25 s, 6.75 s, ... after the wait began) until
 *    the job shows enough of itself.
 *
 * Predicted instants are in the API's clock; a look is planned at the
 * *latest* local instant they can map to (the lower bound of the offset),
 * so a look is never early because of the clocks, only late by the
 * bound's slack.
 */
import { ZERO_TIME } from "./types";
import type { Job, JobDescriptor, JobTaskStep } from "./types";

/** A step's instants in the API's clock (epoch ms); undefined: not yet. */
export interface StepTimes {
  started?: number;
  completed?: number;
}

/** What a job has shown of its timeline, in the API's clock. */
export interface JobTimeline {
  /** When it was queued (`events.queued`, else `schedule`). */
  created?: number;
  /** Its steps, every task's in order; empty until the job is read. */
  steps: StepTimes[];
  /** When it finished (`events.completed`), once it has. */
  completed?: number;
}

/** Durations seen of one kind of job, most recent last. */
export interface KindHistory {
  /** From creation to the first step's start. */
  queue: number[];
  /** Each step's duration, by its index. */
  steps: number[][];
  /** From creation to completion, of jobs that completed. */
  total: number[];
}

export type PredictionBasis =
  /** Every remaining part has been timed on earlier jobs of the kind. */
  | "history"
  /** Some remaining steps are timed from this job's own finished steps. */
  | "steps"
  /** Only the queue wait is known: steps are guessed to last as long; `next` is the next step boundary, looked at to check. */
  | "guess";

export interface Prediction {
  /** The predicted end, in the API's clock (epoch ms). */
  end: number;
  /** How much before `end` the job may already be done (from the spread of what was seen). */
  early: number;
  basis: PredictionBasis;
  /** For a guess: the next step boundary (API clock), looked at before the end. */
  next?: number;
}

const HISTORY_SAMPLES = 20;

export function emptyHistory(): KindHistory {
  return { queue: [], steps: [], total: [] };
}

/** Epoch ms of an RFC 3339 instant; undefined for the zero time or an unreadable one. */
export function instant(t: string | null | undefined): number | undefined {
  if (!t || t.startsWith("0001-01-01") || t === ZERO_TIME) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function stepTimes(steps: JobTaskStep[] | null | undefined): StepTimes[] {
  return (steps ?? []).map((s) => ({ started: instant(s.started), completed: instant(s.completed) }));
}

/** A job as read: its steps (every task's, in order) and events. */
export function timelineOf(job: Job): JobTimeline {
  return {
    created: instant(job.events?.queued) ?? instant(job.schedule),
    steps: (job.tasks ?? []).flatMap((t) => stepTimes(t.steps)),
    completed: job.state.current === "completed" ? (instant(job.events?.completed) ?? instant(job.state.changed)) : undefined,
  };
}

/** What the 202 of a POST or DELETE said of the job: when it was scheduled, and how many steps it has (not yet started). */
export function timelineOfDescriptor(descriptor: JobDescriptor["job"]): JobTimeline {
  return { created: instant(descriptor?.schedule), steps: [] };
}

function median(xs: number[] | undefined): number | undefined {
  if (!xs || xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How far below its median a series has gone: how early a prediction from it may be. */
function below(xs: number[] | undefined): number {
  if (!xs || xs.length === 0) return 0;
  return Math.max(0, median(xs)! - Math.min(...xs));
}

function push(xs: number[], x: number): void {
  xs.push(x);
  if (xs.length > HISTORY_SAMPLES) xs.shift();
}

/** What has already been learned from one job, so a second read does not count it twice. */
export interface Learned {
  queue?: boolean;
  steps: Set<number>;
  total?: boolean;
}

export function nothingLearned(): Learned {
  return { steps: new Set() };
}

/** Adds what a read of a job shows (durations not recorded before) to the history. True when anything was added. */
export function learn(history: KindHistory, t: JobTimeline, learned: Learned): boolean {
  let added = false;
  const first = t.steps[0]?.started;
  if (!learned.queue && t.created !== undefined && first !== undefined && first >= t.created) {
    push(history.queue, first - t.created);
    learned.queue = added = true;
  }
  t.steps.forEach((s, i) => {
    if (learned.steps.has(i) || s.started === undefined || s.completed === undefined || s.completed < s.started) return;
    history.steps[i] ??= [];
    push(history.steps[i], s.completed - s.started);
    learned.steps.add(i);
    added = true;
  });
  if (!learned.total && t.completed !== undefined && t.created !== undefined && t.completed >= t.created) {
    push(history.total, t.completed - t.created);
    learned.total = added = true;
  }
  return added;
}

/**
 * When the job should end, from what it shows and what jobs of its kind
 * took; undefined when nothing tells (a first job that has not started).
 */
export function predictCompletion(t: JobTimeline, history: KindHistory | undefined): Prediction | undefined {
  const h = history ?? emptyHistory();
  const steps = t.steps;
  if (steps.length === 0) {
    // Not read yet: only the whole duration of earlier jobs can tell.
    const total = median(h.total);
    if (t.created === undefined || total === undefined) return undefined;
    return { end: t.created + total, early: below(h.total), basis: "history" };
  }
  const j = steps.findIndex((s) => s.completed === undefined);
  if (j === -1) return { end: Math.max(...steps.map((s) => s.completed!)), early: 0, basis: "steps" };

  const own = steps.filter((s) => s.started !== undefined && s.completed !== undefined).map((s) => s.completed! - s.started!);
  const ownMean = own.length ? own.reduce((a, b) => a + b, 0) / own.length : undefined;
  // The current step began when it says, or when the one before it ended.
  let from = steps[j].started ?? (j > 0 ? steps[j - 1].completed : undefined);
  let early = 0;
  let basis: PredictionBasis = "history";
  if (from === undefined) {
    // Still queued.
    const queue = median(h.queue);
    const total = median(h.total);
    if (t.created === undefined) return undefined;
    if (queue === undefined) {
      if (total === undefined) return undefined;
      return { end: t.created + total, early: below(h.total), basis: "history" };
    }
    from = t.created + queue;
    early += below(h.queue);
  }
  let remaining = 0;
  for (let i = j; i < steps.length; i++) {
    const seen = median(h.steps[i]);
    if (seen !== undefined) {
      remaining += seen;
      early += below(h.steps[i]);
    } else if (ownMean !== undefined) {
      remaining += ownMean;
      basis = "steps";
    } else {
      // Nothing timed yet but the queue wait: guess steps as long, and check at the next boundary.
      const first = steps[0].started;
      const queue = t.created !== undefined && first !== undefined ? first - t.created : median(h.queue);
      if (queue === undefined || queue <= 0) return undefined;
      return { end: from + queue * (steps.length - j), early: 0, basis: "guess", next: from + queue };
    }
  }
  return { end: from + remaining, early, basis };
}

/** How looks are spaced. */
export interface LookTiming {
  /** Looked this long after the predicted end, for the API to have finished writing it. */
  marginMs: number;
  /** First look after a missed predicted end; grows by `closeFactor` up to `closeMaxMs`. */
  closeMs: number;
  closeFactor: number;
  closeMaxMs: number;
  /** Without a prediction: looks at 0, `exploreFirstMs`, then each `exploreFactor` times further from the start (capped at `exploreMaxMs` apart). */
  exploreFirstMs: number;
  exploreFactor: number;
  exploreMaxMs: number;
}

export const DEFAULT_LOOK_TIMING: Readonly<LookTiming> = Object.freeze({
  marginMs: 5,
  closeMs: 100,
  closeFactor: 1.6,
  closeMaxMs: 2_000,
  exploreFirstMs: 250,
  exploreFactor: 3,
  exploreMaxMs: 30_000,
});

export interface LookInput {
  /** Local clock, ms. */
  now: number;
  /** When the wait began (local). */
  started: number;
  /** No look is planned after this (local). */
  deadline: number;
  prediction?: Prediction;
  /** Lower bound of (API clock − local clock); needed to map a prediction to a local instant. */
  offsetLow?: number;
  /** Looks made at or after the predicted instant that did not see the job end. */
  misses: number;
}

export type LookReason = "predicted" | "boundary" | "close" | "explore" | "deadline";

/** The local instant of the next look. */
export function nextLook(input: LookInput, timing: LookTiming = DEFAULT_LOOK_TIMING): { at: number; reason: LookReason } {
  const { now, prediction: p, offsetLow } = input;
  let at: number;
  let reason: LookReason;
  if (p && offsetLow !== undefined) {
    const target = (p.basis === "guess" ? p.next! : p.end - p.early) - offsetLow + timing.marginMs;
    if (target > now || input.misses === 0) {
      // At the predicted instant, or at once if it has passed unlooked.
      at = target;
      reason = p.basis === "guess" ? "boundary" : "predicted";
    } else {
      // Past the predicted end: close looks, widening while the job runs late.
      at = now + Math.round(Math.min(timing.closeMaxMs, timing.closeMs * timing.closeFactor ** (input.misses - 1)));
      reason = "close";
    }
  } else {
    at = input.started + exploreOffset(now - input.started, timing);
    reason = "explore";
  }
  if (at >= input.deadline) return { at: input.deadline, reason: "deadline" };
  return { at: Math.max(at, now), reason };
}

/** The first point of the exploring schedule after `elapsed` (0, first, first·f, first·f², ... capped apart). */
export function exploreOffset(elapsed: number, timing: LookTiming = DEFAULT_LOOK_TIMING): number {
  let t = timing.exploreFirstMs;
  while (t <= elapsed) t += Math.min(timing.exploreMaxMs, t * timing.exploreFactor - t);
  return t;
}
