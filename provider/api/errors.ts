import type { CycleErrorCode, CycleErrorObject } from "./types";
import { CycleError } from "../errors";
import { Redactor } from "./redact";

/** What went wrong, at the level a caller decides on. */
export type CycleErrorKind =
  /** The API answered with an error document. */
  | "api"
  /** The API answered, but not with a root document (a proxy page, bad JSON). */
  | "malformed"
  /** No answer: refused, reset or dropped connection, DNS failure. */
  | "network"
  /** The per-request timeout passed with no answer. */
  | "timeout";

export interface CycleApiErrorFields {
  kind: CycleErrorKind;
  method: string;
  /** Path and query of the request, e.g. `/v1/hubs/current/integrations`. */
  path: string;
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  source?: string;
  capability?: string;
  /** Seconds the server asked us to wait (429). */
  retryAfterSeconds?: number;
  /** Low-level error code for network failures (ECONNRESET, ...). */
  networkCode?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /**
   * For an answer that succeeded (2xx) but did not hold what was expected:
   * the ID of the object it names, when it named one. A write that went
   * through must not be lost because its answer was odd.
   */
  resourceId?: string;
}

/** Whether the failed request was carried out, as far as the client can tell. */
export type RequestOutcome =
  /** The server refused it (4xx, 429) or it never reached the server (connection refused). */
  | "refused"
  /** The server carried it out (2xx) but the answer could not be used. */
  | "applied"
  /** No usable answer: it may or may not have been carried out. */
  | "unknown";

/**
 * The one error class for failed Cycle API calls. Its message is built to be
 * read by a person running `pulumi up`: what was called, what the API said,
 * and what to do about it. The constructor runs every text through a
 * redactor, so no API key or credential can reach a message, a log or
 * Pulumi's output through this class. It deliberately keeps no reference to
 * the underlying HTTP request or library error: those hold the headers.
 */
export class CycleApiError extends CycleError {
  override readonly name = "CycleApiError";
  readonly kind: CycleErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly source?: string;
  readonly capability?: string;
  readonly retryAfterSeconds?: number;
  readonly networkCode?: string;
  readonly attempts?: number;
  readonly resourceId?: string;

  constructor(fields: CycleApiErrorFields, redactor: Redactor = new Redactor([])) {
    const clean = (s: string | undefined) => (s === undefined ? undefined : redactor.redact(s));
    const safe: CycleApiErrorFields = {
      ...fields,
      path: redactor.redact(fields.path),
      title: clean(fields.title),
      detail: clean(fields.detail),
      source: clean(fields.source),
    };
    super(describe(safe));
    this.kind = safe.kind;
    this.method = safe.method;
    this.path = safe.path;
    this.status = safe.status;
    this.code = safe.code;
    this.title = safe.title;
    this.detail = safe.detail;
    this.source = safe.source;
    this.capability = safe.capability;
    this.retryAfterSeconds = safe.retryAfterSeconds;
    this.networkCode = safe.networkCode;
    this.attempts = safe.attempts;
    this.resourceId = safe.resourceId;
  }

  /** True for `404.*` answers: the thing asked for does not exist (any more). */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** Whether the request was carried out: decides what a write does next. */
  get outcome(): RequestOutcome {
    if (this.status !== undefined && this.status >= 200 && this.status < 300) return "applied";
    // Never sent: refused, or no connection within the connect deadline.
    if (this.kind === "network" && (this.networkCode === "ECONNREFUSED" || this.networkCode === "ECONNTIMEOUT")) return "refused";
    if (this.kind === "network" || this.kind === "timeout") return "unknown";
    if (this.status !== undefined && this.status >= 500) return "unknown";
    if (this.kind === "malformed") return "unknown";
    return "refused";
  }

  /** True where it is unknown whether the request was carried out. */
  get isAmbiguous(): boolean {
    return this.outcome === "unknown";
  }
}

/** True for an API error with this code. */
export function hasCode(err: unknown, code: CycleErrorCode): err is CycleApiError {
  return err instanceof CycleApiError && err.code === code;
}

/** The integration does not exist (any more) in the hub. */
export const isIntegrationNotFound = (err: unknown): err is CycleApiError => hasCode(err, "404.hub.integration");

/** The job does not exist, or not yet (the API can say so right after creating one). */
export const isJobNotFound = (err: unknown): err is CycleApiError => hasCode(err, "404.job");

/** The integration is in a state that refuses the request (a verify or delete is under way). */
export const isInvalidState = (err: unknown): err is CycleApiError => hasCode(err, "403.invalid-state");

/** Builds the error for an answer that came back with an error document. */
export function errorFromDocument(
  request: { method: string; path: string; attempts?: number },
  status: number,
  error: CycleErrorObject,
  retryAfterSeconds: number | undefined,
  redactor: Redactor,
): CycleApiError {
  return new CycleApiError(
    {
      kind: "api",
      method: request.method,
      path: request.path,
      attempts: request.attempts,
      status,
      code: error.code,
      title: error.title,
      detail: error.detail,
      source: error.source,
      capability: typeof error.extra?.capability === "string" ? error.extra.capability : undefined,
      retryAfterSeconds,
    },
    redactor,
  );
}

/** What a person should do about an error, where we know. */
function hintFor(f: CycleApiErrorFields): string | undefined {
  switch (f.code) {
    case "401.auth-invalid":
    case "401.auth-expired":
      return "check the API key (stack config `cycle:apiKey` or env CYCLE_API_KEY)";
    case "403.permissions":
      return f.capability
        ? `the API key lacks the capability \`${f.capability}\`; grant it to the key's role in the Cycle portal`
        : "the API key lacks a permission this call needs";
    case "403.wrong-hub":
    case "404.hub":
      return "check the hub ID (stack config `cycle:hubId`, env CYCLE_HUB_ID, or the resource's `hubId`) and that the key belongs to that hub";
    case "429.rate-limiting":
      return "the API is rate limiting this key; retry later";
    default:
      break;
  }
  if (f.kind === "network")
    return "could not reach the Cycle API; check the URL (stack config `cycle:apiUrl`, env CYCLE_API_URL, or the resource's `apiUrl`) and the network";
  if (f.kind === "timeout")
    return "the Cycle API did not answer in time; check the URL (stack config `cycle:apiUrl`, env CYCLE_API_URL, or the resource's `apiUrl`)";
  if (f.kind === "malformed") return "the response was not a Cycle API document (a proxy or gateway may be in the way)";
  return undefined;
}

function describe(f: CycleApiErrorFields): string {
  const call = `${f.method} ${f.path}`;
  let what: string;
  if (f.kind === "api") {
    what = `${f.status ?? "?"} ${f.code ?? "unknown"}: ${f.title ?? "error"}`;
    if (f.detail) what += ` (${f.detail})`;
    if (f.source) what += ` at ${f.source}`;
  } else if (f.kind === "malformed") {
    what = `malformed response${f.status !== undefined ? ` with status ${f.status}` : ""}${f.detail ? `: ${f.detail}` : ""}`;
  } else if (f.kind === "timeout") {
    what = `timed out${f.detail ? `: ${f.detail}` : ""}`;
  } else {
    what = `network error${f.networkCode ? ` ${f.networkCode}` : ""}${f.detail ? `: ${f.detail}` : ""}`;
  }
  const attempts = f.attempts && f.attempts > 1 ? ` after ${f.attempts} attempts` : "";
  const hint = hintFor(f);
  return `Cycle API ${call} failed${attempts}: ${what}${hint ? `; ${hint}` : ""}`;
}
