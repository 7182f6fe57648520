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

/**
 * What the `Date` header of an answer says: the server's clock (the one its
 * timestamps are written in) shifted by `skewMs`, nothing, or text that is
 * not a date. Only `server` with no skew agrees with the API's own
 * timestamps; the others are a proxy or a host clock that lies.
 */
export type DateHeaderMode = "server" | "missing" | "garbage";
export const DATE_HEADER_MODES: readonly DateHeaderMode[] = ["server", "missing", "garbage"];

export interface DateHeaderRule {
  mode: DateHeaderMode;
  /** Added to the server's clock (mode `server` only), in ms. */
  skewMs: number;
}

/** The wire defaults a fault can override until reset (the `dateHeader`, `dateSkewMs` and `trickleBytesPerSecond` options). */
export interface WireDefaults {
  date: DateHeaderRule;
  /** 0: answers are written at once. */
  trickleBytesPerSecond: number;
}

export const HONEST_WIRE: Readonly<WireDefaults> = Object.freeze({ date: Object.freeze({ mode: "server", skewMs: 0 }), trickleBytesPerSecond: 0 });

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
  /**
   * Until reset, the `Date` header of matching answers is the server's clock
   * shifted by `skewMs` (`server`), absent (`missing`) or not a date
   * (`garbage`), while the API's own timestamps keep the server's clock.
   */
  dateHeader(mode: DateHeaderMode, skewMs?: number, match?: FaultMatcher): void;
  /**
   * Until reset, the body of matching answers is written `bytesPerSecond`
   * bytes at a time, one write a second, after the headers went out at once.
   * `trickle(0)` without matcher removes every rule, back to the option.
   */
  trickle(bytesPerSecond: number, match?: FaultMatcher): void;
  /**
   * The next `count` matching requests are answered 502 (a load balancer's
   * HTML page) after `delayMs`, without being forwarded: nothing is carried
   * out, and the client cannot tell.
   */
  gatewayErrors(count: number, delayMs: number, match?: FaultMatcher): void;
  /** Clears every fault (the `jobNotFoundReads`, `dateHeader`, `dateSkewMs` and `trickleBytesPerSecond` options stay). */
  reset(): void;
}

/** What the HTTP layer must do to a request instead of serving it. */
export type RequestFault =
  | { kind: "drop" }
  | { kind: "lose-response" }
  | { kind: "gateway"; delayMs: number }
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
  constructor(
    private readonly baseJobNotFoundReads = 0,
    private readonly wire: Readonly<WireDefaults> = HONEST_WIRE,
  ) {
    nonNegativeInt(baseJobNotFoundReads, "jobNotFoundReads");
    checkDateRule(wire.date);
    nonNegativeInt(wire.trickleBytesPerSecond, "trickleBytesPerSecond");
  }

  private latencies: Array<{ ms: number; match: FaultMatcher }> = [];
  private drops: Rule<null>[] = [];
  private lostResponses: Rule<null>[] = [];
  private rateLimits: Rule<number>[] = [];
  private serverErrorRules: Rule<ServerErrorStatus>[] = [];
  private hiddenJobReads: Array<{ reads: number; match: FaultMatcher }> = [];
  private jobFailures: Rule<"error" | "expired">[] = [];
  private dateRules: Array<{ rule: DateHeaderRule; match: FaultMatcher }> = [];
  private trickles: Array<{ bytesPerSecond: number; match: FaultMatcher }> = [];
  private gateways: Rule<number>[] = [];

  dateHeader(mode: DateHeaderMode, skewMs = 0, match: FaultMatcher = {}): void {
    const rule = { mode, skewMs };
    checkDateRule(rule);
    this.dateRules.push({ rule, match });
  }

  trickle(bytesPerSecond: number, match: FaultMatcher = {}): void {
    nonNegativeInt(bytesPerSecond, "bytesPerSecond");
    if (bytesPerSecond === 0 && !match.method && !match.path) this.trickles = [];
    else this.trickles.push({ bytesPerSecond, match });
  }

  gatewayErrors(count: number, delayMs: number, match: FaultMatcher = {}): void {
    this.gateways.push({ remaining: nonNegativeInt(count, "count"), match, payload: nonNegativeInt(delayMs, "delayMs") });
  }

  /** The `Date` header rule for this answer: the last matching fault, else the option. */
  dateFor(method: string, path: string): DateHeaderRule {
    const rules = this.dateRules.filter((d) => matches(d.match, method, path));
    return rules.length ? rules[rules.length - 1].rule : this.wire.date;
  }

  /** Bytes a second of this answer's body; 0: at once. The last matching fault, else the option. */
  trickleFor(method: string, path: string): number {
    const rules = this.trickles.filter((t) => matches(t.match, method, path));
    return rules.length ? rules[rules.length - 1].bytesPerSecond : this.wire.trickleBytesPerSecond;
  }

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
    this.dateRules = [];
    this.trickles = [];
    this.gateways = [];
  }

  /** Extra milliseconds before answering: the largest matching latency. */
  latencyFor(method: string, path: string): number {
    return this.latencies.filter((l) => matches(l.match, method, path)).reduce((max, l) => Math.max(max, l.ms), 0);
  }

  /** The fault to apply to this request, if any; a dropped connection comes first, then a lost response, then a gateway's 502, then 429, then 5xx. */
  takeRequestFault(method: string, path: string): RequestFault | null {
    if (consume(this.drops, method, path) !== undefined) return { kind: "drop" };
    if (consume(this.lostResponses, method, path) !== undefined) return { kind: "lose-response" };
    const gatewayDelay = consume(this.gateways, method, path);
    if (gatewayDelay !== undefined) return { kind: "gateway", delayMs: gatewayDelay };
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

function checkDateRule(rule: DateHeaderRule): void {
  if (!DATE_HEADER_MODES.includes(rule.mode)) throw new RangeError(`date header mode must be one of ${DATE_HEADER_MODES.join(", ")}, got ${rule.mode}`);
  if (!Number.isInteger(rule.skewMs)) throw new RangeError(`skewMs must be an integer, got ${rule.skewMs}`);
}
