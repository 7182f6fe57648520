/**
 * The retry policy: which failed attempts are tried again and after how long.
 * A pure function of the attempt's outcome, so it is tested without a server
 * or a clock; the client supplies the sleep.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /**
   * Attempts in all when they time out: an API that takes the whole timeout
   * to say nothing will most likely do it again, and a person is waiting.
   */
  maxAttemptsAfterTimeout: number;
  /** Delay before the first retry; doubles with each further one. */
  baseDelayMs: number;
  /** No computed delay is longer than this. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails instead. */
  maxRetryAfterMs: number;
  /** Methods that are safe to repeat. Each POST decides for itself (see `AttemptOutcome.repeatable`). */
  idempotentMethods: readonly string[];
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  maxAttemptsAfterTimeout: 2,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  idempotentMethods: Object.freeze(["GET", "HEAD", "PATCH", "PUT", "DELETE"]),
});

/** What happened on one attempt. */
export interface AttemptOutcome {
  method: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** HTTP status, when the server answered. */
  status?: number;
  /** True when no answer came (reset, refused, dropped, timed out). */
  networkError?: boolean;
  /** True when the connection was refused: the request never reached the server. */
  connectionRefused?: boolean;
  /** True when no answer came within the request's timeout. */
  timedOut?: boolean;
  /** Parsed `Retry-After`, in milliseconds, when the answer had one. */
  retryAfterMs?: number;
  /**
   * Overrides the method's default: a request that declares itself safe to
   * send again (a verify-task POST: a repeat meets `403.invalid-state`, which
   * the caller follows), or unsafe (a create: only refused attempts are sent
   * again, the caller reconciles the rest).
   */
  repeatable?: boolean;
}

export type RetryDecision = { retry: false; reason: string } | { retry: true; delayMs: number };

/**
 * Decides whether to try again and how long to wait first.
 * `random` returns a number in [0, 1); it is a parameter so tests are exact.
 */
export function decideRetry(outcome: AttemptOutcome, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): RetryDecision {
  if (outcome.attempt >= policy.maxAttempts) return { retry: false, reason: "attempts exhausted" };
  if (outcome.timedOut && outcome.attempt >= policy.maxAttemptsAfterTimeout) return { retry: false, reason: "timed out again" };

  const method = outcome.method.toUpperCase();
  const repeatable = outcome.repeatable ?? policy.idempotentMethods.includes(method);

  // Refused, not applied: safe to send again whatever the request does.
  if (outcome.status === 429 || outcome.connectionRefused) return withDelay(outcome, policy, random);
  if (!repeatable) return { retry: false, reason: `${method} is not safe to repeat` };
  // A request that is safe to repeat is repeated on any failure that may be passing.
  if (outcome.networkError) return withDelay(outcome, policy, random);
  if (outcome.status !== undefined && outcome.status >= 500) return withDelay(outcome, policy, random);
  return { retry: false, reason: outcome.status !== undefined ? `status ${outcome.status} is final` : "not retryable" };
}

function withDelay(outcome: AttemptOutcome, policy: RetryPolicy, random: () => number): RetryDecision {
  if (outcome.retryAfterMs !== undefined) {
    if (outcome.retryAfterMs > policy.maxRetryAfterMs) {
      return { retry: false, reason: `Retry-After of ${outcome.retryAfterMs} ms is longer than ${policy.maxRetryAfterMs} ms` };
    }
    return { retry: true, delayMs: outcome.retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelay(outcome.attempt, policy, random) };
}

/**
 * Exponential backoff with "equal jitter" (not full jitter, which draws from
 * [0, d]): a random delay in [d/2, d] where d = min(cap, base * 2^(attempt-1)).
 * Jitter spreads out clients that failed together; the lower bound keeps the
 * backoff meaningful.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP date.
 * Returns milliseconds, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
