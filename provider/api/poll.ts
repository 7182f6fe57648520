/**
 * The plain poll loop: ask, and if the answer is not final yet, wait and ask
 * again, starting fast and backing off to a cap, until a deadline. Deletes
 * and verifications under way elsewhere (whose job is not known) are
 * followed with it; a known job is followed by `waitForJob` (`jobs.ts`),
 * which looks when the job should be over.
 */
export interface PollTiming {
  /** Give up after this long in all. */
  timeoutMs: number;
  /** First wait; grows by `backoffFactor` up to `maxIntervalMs`. */
  initialIntervalMs: number;
  maxIntervalMs: number;
  backoffFactor: number;
}

export const DEFAULT_POLL_TIMING: Readonly<PollTiming> = Object.freeze({
  timeoutMs: 10 * 60_000,
  initialIntervalMs: 100,
  maxIntervalMs: 2_000,
  backoffFactor: 1.5,
});

export interface PollOptions extends Partial<PollTiming> {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What one look found: the final value, or not yet. */
export type Look<T> = { done: true; value: T } | { done: false };

export type PollResult<T> = { done: true; value: T } | { done: false; timedOut: true };

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `look` until it says done or the deadline passes. Errors from `look` end the loop. */
export async function pollUntil<T>(look: (elapsedMs: number) => Promise<Look<T>>, options: PollOptions = {}): Promise<PollResult<T>> {
  const timing: PollTiming = { ...DEFAULT_POLL_TIMING, ...definedOnly(options) };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + timing.timeoutMs;
  let interval = timing.initialIntervalMs;
  for (;;) {
    const seen = await look(now() - started);
    if (seen.done) return seen;
    const remaining = deadline - now();
    if (remaining <= 0) return { done: false, timedOut: true };
    await sleep(Math.min(interval, remaining));
    interval = Math.min(timing.maxIntervalMs, interval * timing.backoffFactor);
  }
}

function definedOnly(o: Partial<PollTiming>): Partial<PollTiming> {
  const out: Partial<PollTiming> = {};
  for (const key of ["timeoutMs", "initialIntervalMs", "maxIntervalMs", "backoffFactor"] as const) {
    if (o[key] !== undefined) out[key] = o[key];
  }
  return out;
}
