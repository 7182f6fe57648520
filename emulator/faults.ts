/**
 * Fault injection, switchable while the emulator runs. Count-based faults are
 * queued rules: each request (or each new job) consumes one unit from the
 * first rule that matches it. A matcher narrows a rule to one method and/or a
 * path regex, tested against the URL path without its query string.
 */
import { JobOutcome } from "./jobs";

export interface FaultMatcher {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Tested against the request path, without the query string. */
  path?: RegExp;
}

export type ServerErrorStatus = 500 | 502 | 503 | 504;

export interface FaultControls {
  /** Adds `ms` to every matching response; `latency(0)` without matcher clears all latency. */
  latency(ms: number, match?: FaultMatcher): void;
  /** The next `count` matching requests answer 429 `429.rate-limiting` with `Retry-After`. */
  rateLimit(count: number, retryAfterSeconds?: number, match?: FaultMatcher): void;
  /** The next `count` matching requests answer 5xx: 500.unknown, 502 (HTML body), 503.not-ready, 504.not-available. */
  serverErrors(count: number, status?: ServerErrorStatus, match?: FaultMatcher): void;
  /** The next `count` matching requests have their socket destroyed, no response. */
  dropConnections(count: number, match?: FaultMatcher): void;
  /**
   * The next `count` matching requests are carried out, then their socket is
   * destroyed before the answer: the change happened, the client never hears.
   */
  loseResponses(count: number, match?: FaultMatcher): void;
  /**
   * Until reset, every job created by a matching request answers `404.job`
   * to its first `count` reads, instead of the emulator's `jobNotFoundReads`
   * (a matching rule with `count` 0 makes such jobs readable at once).
   * `jobNotFoundFor(0)` without matcher removes every rule, back to the option.
   */
  jobNotFoundFor(count: number, match?: FaultMatcher): void;
  /** The next `count` jobs created by matching requests end in `error`. */
  failNextJobs(count: number, match?: FaultMatcher): void;
  /** The next `count` jobs created by matching requests never run and end `expired`. */
  expireNextJobs(count: number, match?: FaultMatcher): void;
  /** Clears every fault (the `jobNotFoundReads` option stays). */
  reset(): void;
}

/** What the HTTP layer must do to a request instead of serving it. */
export type RequestFault =
  | { kind: "drop" }
  | { kind: "lose-response" }
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "server-error"; status: ServerErrorStatus };

/** How a new job is to behave, as decided by the faults in force. */
export interface JobFate {
  outcome: Exclude<JobOutcome, "completed"> | null;
  hiddenReads: number;
}

interface Rule<T> {
  remaining: number;
  match: FaultMatcher;
  payload: T;
}

function matches(m: FaultMatcher, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path && !m.path.test(path)) return false;
  return true;
}

function nonNegativeInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}

/** Takes one unit from the first matching rule that has any left. */
function consume<T>(rules: Rule<T>[], method: string, path: string): T | undefined {
  const rule = rules.find((r) => r.remaining > 0 && matches(r.match, method, path));
  if (!rule) return undefined;
  rule.remaining -= 1;
  return rule.payload;
}

export class FaultState implements FaultControls {
  /** @param baseJobNotFoundReads reads of a new job that answer `404.job` when no rule matches (the `jobNotFoundReads` option). */
  constructor(private readonly baseJobNotFoundReads = 0) {
    nonNegativeInt(baseJobNotFoundReads, "jobNotFoundReads");
  }

  private latencies: Array<{ ms: number; match: FaultMatcher }> = [];
  private drops: Rule<null>[] = [];
  private lostResponses: Rule<null>[] = [];
  private rateLimits: Rule<number>[] = [];
  private serverErrorRules: Rule<ServerErrorStatus>[] = [];
  private hiddenJobReads: Array<{ reads: number; match: FaultMatcher }> = [];
  private jobFailures: Rule<"error" | "expired">[] = [];

  latency(ms: number, match: FaultMatcher = {}): void {
    nonNegativeInt(ms, "latency");
    if (ms === 0 && !match.method && !match.path) this.latencies = [];
    else this.latencies.push({ ms, match });
  }

  rateLimit(count: number, retryAfterSeconds = 1, match: FaultMatcher = {}): void {
    this.rateLimits.push({ remaining: nonNegativeInt(count, "count"), match, payload: nonNegativeInt(retryAfterSeconds, "retryAfterSeconds") });
  }

  serverErrors(count: number, status: ServerErrorStatus = 503, match: FaultMatcher = {}): void {
    if (![500, 502, 503, 504].includes(status)) throw new RangeError(`unsupported server error status ${status}`);
    this.serverErrorRules.push({ remaining: nonNegativeInt(count, "count"), match, payload: status });
  }

  dropConnections(count: number, match: FaultMatcher = {}): void {
    this.drops.push({ remaining: nonNegativeInt(count, "count"), match, payload: null });
  }

  loseResponses(count: number, match: FaultMatcher = {}): void {
    this.lostResponses.push({ remaining: nonNegativeInt(count, "count"), match, payload: null });
  }

  jobNotFoundFor(count: number, match: FaultMatcher = {}): void {
    nonNegativeInt(count, "count");
    if (count === 0 && !match.method && !match.path) this.hiddenJobReads = [];
    else this.hiddenJobReads.push({ reads: count, match });
  }

  failNextJobs(count: number, match: FaultMatcher = {}): void {
    this.jobFailures.push({ remaining: nonNegativeInt(count, "count"), match, payload: "error" });
  }

  expireNextJobs(count: number, match: FaultMatcher = {}): void {
    this.jobFailures.push({ remaining: nonNegativeInt(count, "count"), match, payload: "expired" });
  }

  reset(): void {
    this.latencies = [];
    this.drops = [];
    this.lostResponses = [];
    this.rateLimits = [];
    this.serverErrorRules = [];
    this.hiddenJobReads = [];
    this.jobFailures = [];
  }

  /** Extra milliseconds before answering: the largest matching latency. */
  latencyFor(method: string, path: string): number {
    return this.latencies.filter((l) => matches(l.match, method, path)).reduce((max, l) => Math.max(max, l.ms), 0);
  }

  /** The fault to apply to this request, if any; a dropped connection comes first, then a lost response, then 429, then 5xx. */
  takeRequestFault(method: string, path: string): RequestFault | null {
    if (consume(this.drops, method, path) !== undefined) return { kind: "drop" };
    if (consume(this.lostResponses, method, path) !== undefined) return { kind: "lose-response" };
    const retryAfter = consume(this.rateLimits, method, path);
    if (retryAfter !== undefined) return { kind: "rate-limit", retryAfterSeconds: retryAfter };
    const status = consume(this.serverErrorRules, method, path);
    if (status !== undefined) return { kind: "server-error", status };
    return null;
  }

  /** Decides the fate of a job created by this request. */
  takeJobFate(method: string, path: string): JobFate {
    const outcome = consume(this.jobFailures, method, path) ?? null;
    const rules = this.hiddenJobReads.filter((h) => matches(h.match, method, path));
    const hidden = rules.length === 0 ? this.baseJobNotFoundReads : rules.reduce((max, h) => Math.max(max, h.reads), 0);
    return { outcome, hiddenReads: hidden };
  }
}
