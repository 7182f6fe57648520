import axios, { AxiosInstance, AxiosResponse } from "axios";
import { normalizeBaseUrl, DEFAULT_API_URL } from "./baseUrl";
import { CycleApiError, errorFromDocument } from "./errors";
import { assertCycleId, isCycleId } from "./ids";
import { deriveIdentifier } from "./identifier";
import { describeMismatch, ResponseSchema, SCHEMAS } from "./schemas";
import { ServerClock } from "./serverClock";
import { defaultSleep } from "./poll";
import { connectTimeoutAgents } from "./connectTimeout";
import { Redactor, secretValuesOf } from "./redact";
import { DEFAULT_RETRY_POLICY, RetryPolicy, decideRetry, parseRetryAfter } from "./retry";
import type {
  AvailableIntegrations,
  CreateIntegrationBody,
  CreateJobBody,
  CycleErrorObject,
  Integration,
  Job,
  JobDescriptor,
  ListIntegrationsQuery,
  UpdateIntegrationBody,
} from "./types";

export interface CycleClientOptions {
  /** The Cycle API key. Sent only as the bearer token; never logged. */
  apiKey: string;
  /** The default hub for `/v1/hubs/current/...` calls; each call may override it. */
  hubId?: string;
  /** Defaults to https://api.cycle.io. Plain http is accepted for loopback only. */
  baseUrl?: string;
  /**
   * Per-attempt deadline for the whole answer, head and body: an answer that
   * trickles in counts as timed out once it passes. Default 15 s; a timed-out
   * request is tried once more (see RetryPolicy).
   */
  timeoutMs?: number;
  /** How long to wait for a connection before the attempt counts as failed (and is retried). Default 5 s. */
  connectTimeoutMs?: number;
  /** Told before each retry, for a progress line a person sees; never given credentials. */
  onRetry?: (retry: RetryNotice) => void;
  /** Overrides of the retry policy. */
  retry?: Partial<RetryPolicy>;
  /** How to wait between attempts; replaceable in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); replaceable in tests. */
  random?: () => number;
  /** Receives one line per attempt. Lines never hold the key or credentials. */
  log?: (line: string) => void;
  /** Added to the User-Agent header. */
  userAgent?: string;
}

/** A retry about to happen, as a person would want to hear of it. */
export interface RetryNotice {
  method: string;
  path: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** What went wrong: a status and code, or the network failure. */
  reason: string;
}

export interface CallOptions {
  /** The hub for this call, instead of the client's default. */
  hubId?: string;
}

export interface IntegrationCallOptions extends CallOptions {
  /** Embeds the vendor's definition under `meta.definition`. */
  includeDefinition?: boolean;
}

interface RequestSpec<T> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The hub for this call; every call carries one. */
  hubId?: string;
  /** Whether the request is safe to send again; by default its method decides (see RetryPolicy). */
  repeatable?: boolean;
  /** Values to hide from errors besides the API key, e.g. the request's auth. */
  secrets?: string[];
  /** What `data` must look like. */
  schema: ResponseSchema<T>;
}

/** Number of integrations asked for per page when listing. */
const LIST_PAGE_SIZE = 100;
/** A list longer than this many pages is treated as a runaway server. */
const MAX_LIST_PAGES = 1000;

/**
 * The one HTTP client for the Cycle API. Every call sends the bearer key and
 * the hub, retries what is safe to retry, and turns every failure into a
 * {@link CycleApiError} whose text is redacted.
 */
export class CycleClient {
  readonly baseUrl: string;
  readonly defaultHubId?: string;
  /** The API's clock, as its answers' `Date` headers tell it. */
  readonly serverClock = new ServerClock();
  private readonly http: AxiosInstance;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log?: (line: string) => void;
  private readonly onRetry?: (retry: RetryNotice) => void;
  private readonly redactor: Redactor;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  constructor(options: CycleClientOptions) {
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
      throw new TypeError("A Cycle API key is required");
    }
    this.apiKey = options.apiKey;
    this.baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_API_URL);
    this.defaultHubId = options.hubId === undefined ? undefined : assertCycleId("hub ID", options.hubId);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.log = options.log;
    this.onRetry = options.onRetry;
    this.redactor = new Redactor([options.apiKey]);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.http = axios.create({
      baseURL: this.baseUrl,
      // Only the socket's idleness: a body that trickles resets it. The
      // whole answer is bounded by the deadline in `request`.
      timeout: this.timeoutMs,
      ...connectTimeoutAgents(options.connectTimeoutMs ?? 5_000),
      // We read every status and body ourselves: non-2xx is not an exception,
      // and a body that is not JSON must not crash the parse.
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      // A redirect could carry the bearer key to another host.
      maxRedirects: 0,
      headers: {
        Accept: "application/json",
        "User-Agent": `pulumi-cycle${options.userAgent ? ` ${options.userAgent}` : ""}`,
      },
    });
    // Keep the key off the enumerable surface, so that printing or
    // serializing a client (e.g. into Pulumi state) cannot show it.
    Object.defineProperty(this, "apiKey", { enumerable: false });
    Object.defineProperty(this, "http", { enumerable: false });
    Object.defineProperty(this, "redactor", { enumerable: false });
  }

  // -------------------------------------------------------------------------
  // Integrations
  // -------------------------------------------------------------------------

  /**
   * Lists every integration of the hub. Pages are followed until one comes
   * back empty: a server may serve fewer items than `page[size]` asks for,
   * so a short page does not mean the last one.
   */
  async listIntegrations(query: ListIntegrationsQuery = {}, options: IntegrationCallOptions = {}): Promise<Integration[]> {
    const size = query.pageSize ?? LIST_PAGE_SIZE;
    const all: Integration[] = [];
    const seen = new Set<string>();
    for (let page = 1; page <= MAX_LIST_PAGES; page++) {
      const batch = await this.listIntegrationsPage(page, { ...query, pageSize: size }, options);
      if (batch.length === 0) return all;
      for (const i of batch) {
        // A list that shifts while it is paged (a create or delete in between) can repeat an item.
        if (!seen.has(i.id)) all.push(i);
        seen.add(i.id);
      }
    }
    throw new CycleApiError({
      kind: "malformed",
      method: "GET",
      path: "/v1/hubs/current/integrations",
      detail: `more than ${MAX_LIST_PAGES} pages`,
    });
  }

  /** One page of integrations (`page` is 1-based). */
  async listIntegrationsPage(page: number, query: ListIntegrationsQuery = {}, options: IntegrationCallOptions = {}): Promise<Integration[]> {
    return this.request({
      method: "GET",
      path: "/v1/hubs/current/integrations",
      query: {
        "page[number]": page,
        "page[size]": query.pageSize,
        sort: query.sort,
        "filter[state]": query.filter?.state,
        "filter[search]": query.filter?.search,
        "filter[category]": query.filter?.category,
        meta: metaParam(options),
      },
      hubId: options.hubId,
      schema: SCHEMAS.integrations,
    });
  }

  async getIntegration(id: string, options: IntegrationCallOptions = {}): Promise<Integration> {
    assertCycleId("integration ID", id);
    return this.request({
      method: "GET",
      path: `/v1/hubs/current/integrations/${id}`,
      query: { meta: metaParam(options) },
      hubId: options.hubId,
      schema: SCHEMAS.integration,
    });
  }

  /**
   * Creates an integration: one POST, always with an identifier (the one
   * given, or the one the platform would derive from the name). It is sent again only when it was
   * refused (429, connection refused). Any other failure may have created
   * the integration, and a blind repeat could make a duplicate that nothing
   * records: the error says so (`outcome`), and the caller reconciles.
   */
  async createIntegration(body: CreateIntegrationBody, options: IntegrationCallOptions = {}): Promise<Integration> {
    return this.request({
      method: "POST",
      path: "/v1/hubs/current/integrations",
      query: { meta: metaParam(options) },
      body: { ...body, identifier: body.identifier ?? deriveIdentifier(body.name) },
      hubId: options.hubId,
      secrets: secretValuesOf(body.auth),
      repeatable: false,
      schema: SCHEMAS.integration,
    });
  }

  /** Changes name, identifier, auth or extra. Only what is in `body` is sent. */
  async updateIntegration(id: string, body: UpdateIntegrationBody, options: IntegrationCallOptions = {}): Promise<Integration> {
    assertCycleId("integration ID", id);
    return this.request({
      method: "PATCH",
      path: `/v1/hubs/current/integrations/${id}`,
      query: { meta: metaParam(options) },
      body,
      hubId: options.hubId,
      secrets: secretValuesOf(body.auth),
      schema: SCHEMAS.integration,
    });
  }

  /**
   * Starts deleting an integration; the returned descriptor names the job
   * that does it. Sent again after a lost answer like every DELETE: a repeat
   * that meets the first one's job answers `403.invalid-state`, which the
   * caller follows.
   */
  async deleteIntegration(id: string, options: CallOptions = {}): Promise<JobDescriptor> {
    assertCycleId("integration ID", id);
    return this.request({
      method: "DELETE",
      path: `/v1/hubs/current/integrations/${id}`,
      hubId: options.hubId,
      schema: SCHEMAS.jobDescriptor,
    });
  }

  /** The catalogue of integration definitions, by category. */
  async getAvailableIntegrations(options: CallOptions = {}): Promise<AvailableIntegrations> {
    return this.request({
      method: "GET",
      path: "/v1/hubs/current/integrations/available",
      hubId: options.hubId,
      schema: SCHEMAS.available,
    });
  }

  // -------------------------------------------------------------------------
  // Jobs
  // -------------------------------------------------------------------------

  /**
   * Submits a verify job. Sent again after an unknown outcome: a second
   * verification of the same credentials changes nothing, and a repeat that
   * meets the first one's job answers `403.invalid-state`, which the caller
   * follows.
   */
  async createVerifyJob(integrationId: string, options: CallOptions = {}): Promise<JobDescriptor> {
    assertCycleId("integration ID", integrationId);
    const body: CreateJobBody = { action: "verify" };
    return this.request({
      method: "POST",
      path: `/v1/hubs/current/integrations/${integrationId}/tasks`,
      body,
      hubId: options.hubId,
      repeatable: true,
      schema: SCHEMAS.jobDescriptor,
    });
  }

  /** Reads a job. Jobs belong to a hub, so the hub header is sent like on every call. */
  async getJob(jobId: string, options: CallOptions = {}): Promise<Job> {
    assertCycleId("job ID", jobId);
    return this.request({
      method: "GET",
      path: `/v1/jobs/${jobId}`,
      hubId: options.hubId,
      schema: SCHEMAS.job,
    });
  }

  // -------------------------------------------------------------------------
  // Transport
  // -------------------------------------------------------------------------

  /**
   * Tells the server clock what the API's own timestamps in an answer say:
   * every instant it reports had passed on its clock, and a create's
   * `events.created` was written while our request was being served.
   */
  private observeInstants(spec: RequestSpec<unknown>, data: unknown, sent: number, received: number): void {
    for (const t of reportedInstants(data)) this.serverClock.observeReported(t, received);
    if (spec.method === "POST" && spec.schema === SCHEMAS.integration) {
      const created = instantOf((data as Integration).events?.created);
      if (created !== undefined) this.serverClock.observeWritten(created, sent, received);
    }
    if (spec.schema === SCHEMAS.jobDescriptor && spec.method !== "GET") {
      // A job this request made is scheduled no earlier than the request arrived.
      const schedule = instantOf((data as JobDescriptor).job?.schedule);
      if (schedule !== undefined) this.serverClock.observeNotBefore(schedule, sent);
    }
  }

  private async request<T>(spec: RequestSpec<T>): Promise<T> {
    const hubId = spec.hubId ?? this.defaultHubId;
    if (hubId === undefined) throw new TypeError(`A hub ID is required for ${spec.method} ${spec.path}`);
    assertCycleId("hub ID", hubId);
    const path = withQuery(spec.path, spec.query);
    const redactor = spec.secrets?.length ? this.redactor.with(spec.secrets) : this.redactor;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, "X-Hub-Id": hubId };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    const data = spec.body === undefined ? undefined : JSON.stringify(spec.body);

    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let result: Parsed<T>;
      // The whole answer, head and body, within the deadline.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
      try {
        const response = await this.http.request<string>({ method: spec.method, url: path, headers, data, signal: deadline.signal });
        const received = Date.now();
        const date: unknown = response.headers["date"];
        this.serverClock.observe(started, received, typeof date === "string" ? date : undefined);
        this.log?.(redactor.redact(`${spec.method} ${path} -> ${response.status} in ${received - started} ms (attempt ${attempt})`));
        result = parseResponse(spec.method, path, response, attempt, redactor, spec.schema);
        if (result.ok) this.observeInstants(spec, result.data, started, received);
      } catch (err) {
        const error = deadline.signal.aborted
          ? networkError(
              spec.method,
              path,
              Object.assign(new Error(`no complete answer within ${this.timeoutMs} ms`), { code: "ETIMEDOUT" }),
              attempt,
              redactor,
            )
          : networkError(spec.method, path, err, attempt, redactor);
        this.log?.(
          redactor.redact(`${spec.method} ${path} -> no answer in ${Date.now() - started} ms (attempt ${attempt}): ${error.networkCode ?? error.kind}`),
        );
        result = { ok: false, error };
      } finally {
        clearTimeout(timer);
      }
      if (result.ok) return result.data;

      const failure = result.error;
      const answered = failure.kind === "api" || failure.kind === "malformed";
      const decision = decideRetry(
        {
          method: spec.method,
          attempt,
          status: answered ? failure.status : undefined,
          networkError: !answered,
          connectionRefused: failure.outcome === "refused" && !answered,
          timedOut: failure.kind === "timeout",
          retryAfterMs: failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000,
          repeatable: spec.repeatable,
        },
        this.policy,
        this.random,
      );
      // A 2xx whose body we could not use was carried out: never send it again.
      if (!decision.retry || failure.outcome === "applied") throw failure;
      this.log?.(`${spec.method} ${spec.path}: retrying in ${decision.delayMs} ms`);
      this.onRetry?.({
        method: spec.method,
        path: spec.path,
        attempt: attempt + 1,
        maxAttempts: failure.kind === "timeout" ? this.policy.maxAttemptsAfterTimeout : this.policy.maxAttempts,
        delayMs: decision.delayMs,
        reason: answered ? `${failure.status ?? "?"} ${failure.code ?? failure.kind}` : (failure.networkCode ?? failure.kind),
      });
      await this.sleep(decision.delayMs);
    }
  }
}

/** Epoch ms of an API instant; undefined for the zero time or an unreadable one. */
function instantOf(t: unknown): number | undefined {
  if (typeof t !== "string" || t.startsWith("0001-01-01")) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The instants an answer reports (`events.*` of integrations and jobs, and job steps' `started` and `completed`). */
function reportedInstants(data: unknown): number[] {
  const out: number[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 5 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (o.events && typeof o.events === "object") {
      for (const t of Object.values(o.events as Record<string, unknown>)) {
        const ms = instantOf(t);
        if (ms !== undefined) out.push(ms);
      }
    }
    for (const key of ["started", "completed"]) {
      const ms = instantOf(o[key]);
      if (ms !== undefined) out.push(ms);
    }
    for (const key of ["tasks", "steps", "job"]) if (o[key] !== undefined) visit(o[key], depth + 1);
  };
  visit(data, 0);
  return out;
}

function metaParam(options: IntegrationCallOptions): string | undefined {
  return options.includeDefinition ? "definition" : undefined;
}

function withQuery(path: string, query: RequestSpec<unknown>["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

type Parsed<T> = { ok: true; data: T } | { ok: false; error: CycleApiError };

function parseResponse<T>(
  method: string,
  path: string,
  response: AxiosResponse<string>,
  attempt: number,
  redactor: Redactor,
  schema: ResponseSchema<T>,
): Parsed<T> {
  const status = response.status;
  const retryAfterHeader: unknown = response.headers["retry-after"];
  const retryAfterMs = parseRetryAfter(typeof retryAfterHeader === "string" ? retryAfterHeader : undefined);
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  const malformed = (detail: string, resourceId?: string): Parsed<T> => ({
    ok: false,
    error: new CycleApiError({ kind: "malformed", method, path, status, detail, attempts: attempt, retryAfterSeconds, resourceId }, redactor),
  });

  let doc: unknown;
  try {
    doc = JSON.parse(response.data);
  } catch {
    const type = String(response.headers["content-type"] ?? "no content type");
    return malformed(`expected a JSON document, got ${type}`);
  }
  if (typeof doc !== "object" || doc === null) return malformed("the body is not a JSON object");
  const record = doc as Record<string, unknown>;

  if (status >= 200 && status < 300) {
    if (!("data" in record)) return malformed("the document has no `data`");
    const checked = schema.safeParse(record.data);
    if (!checked.success) {
      const named = (record.data as { id?: unknown } | null)?.id;
      return malformed(describeMismatch(checked.error), isCycleId(named) ? named : undefined);
    }
    return { ok: true, data: checked.data };
  }
  const error = record.error as Partial<CycleErrorObject> | undefined;
  if (!error || typeof error !== "object" || typeof error.code !== "string") {
    return malformed("the error document has no `error.code`");
  }
  return {
    ok: false,
    error: errorFromDocument(
      { method, path, attempts: attempt },
      status,
      { status: error.status ?? status, code: error.code, title: error.title ?? "", detail: error.detail, source: error.source, extra: error.extra },
      retryAfterSeconds,
      redactor,
    ),
  };
}

function networkError(method: string, path: string, err: unknown, attempt: number, redactor: Redactor): CycleApiError {
  // Read only the code and message: the library's error object also holds the
  // request config, headers included, and must not travel any further.
  const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(message);
  return new CycleApiError({ kind: timedOut ? "timeout" : "network", method, path, networkCode: code, detail: message, attempts: attempt }, redactor);
}
