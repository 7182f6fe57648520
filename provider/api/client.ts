import axios, { AxiosInstance, AxiosResponse } from "axios";
import { normalizeBaseUrl, DEFAULT_API_URL } from "./baseUrl";
import { CycleApiError, errorFromDocument } from "./errors";
import { assertCycleId } from "./ids";
import { Redactor, secretValuesOf } from "./redact";
import { DEFAULT_RETRY_POLICY, RetryPolicy, decideRetry, parseRetryAfter } from "./retry";
import type {
  AvailableIntegrations,
  CreateIntegrationBody,
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
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
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

export interface CallOptions {
  /** The hub for this call, instead of the client's default. */
  hubId?: string;
}

export interface IntegrationCallOptions extends CallOptions {
  /** Embeds the vendor's definition under `meta.definition`. */
  includeDefinition?: boolean;
}

interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** `/v1/hubs/current/...` calls must carry a hub. */
  hubScoped: boolean;
  hubId?: string;
  /** A POST that is safe to send again (see RetryPolicy). */
  repeatable?: boolean;
  /** Values to hide from errors besides the API key, e.g. the request's auth. */
  secrets?: string[];
}

/** Number of integrations asked for per page when listing. */
const LIST_PAGE_SIZE = 100;
/** A list longer than this many pages is treated as a runaway server. */
const MAX_LIST_PAGES = 1000;
/**
 * When a create's outcome is unknown we look for an integration created since
 * we sent it; this allows for clock differences between us and the API.
 */
const CREATE_RECONCILE_SKEW_MS = 2 * 60_000;

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one HTTP client for the Cycle API. Every call sends the bearer key and
 * the hub, retries what is safe to retry, and turns every failure into a
 * {@link CycleApiError} whose text is redacted.
 */
export class CycleClient {
  readonly baseUrl: string;
  readonly defaultHubId?: string;
  private readonly http: AxiosInstance;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log?: (line: string) => void;
  private readonly redactor: Redactor;
  private readonly apiKey: string;

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
    this.redactor = new Redactor([options.apiKey]);
    this.http = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 30_000,
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

  /** Lists every integration of the hub, following pages to the end. */
  async listIntegrations(query: ListIntegrationsQuery = {}, options: IntegrationCallOptions = {}): Promise<Integration[]> {
    const size = query.pageSize ?? LIST_PAGE_SIZE;
    const all: Integration[] = [];
    for (let page = 1; page <= MAX_LIST_PAGES; page++) {
      const batch = await this.listIntegrationsPage(page, { ...query, pageSize: size }, options);
      all.push(...batch);
      if (batch.length < size) return all;
    }
    throw new CycleApiError({
      kind: "malformed",
      method: "GET",
      path: "/v1/hubs/current/integrations",
      detail: `more than ${MAX_LIST_PAGES} pages`,
    });
  }

  /** One page of integrations (`page` is 1-based). */
  async listIntegrationsPage(
    page: number,
    query: ListIntegrationsQuery = {},
    options: IntegrationCallOptions = {},
  ): Promise<Integration[]> {
    const data = await this.request<Integration[]>({
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
      hubScoped: true,
      hubId: options.hubId,
    });
    if (!Array.isArray(data)) throw this.malformed("GET", "/v1/hubs/current/integrations", "data is not an array");
    return data;
  }

  async getIntegration(id: string, options: IntegrationCallOptions = {}): Promise<Integration> {
    assertCycleId("integration ID", id);
    return this.request<Integration>({
      method: "GET",
      path: `/v1/hubs/current/integrations/${id}`,
      query: { meta: metaParam(options) },
      hubScoped: true,
      hubId: options.hubId,
    });
  }

  /**
   * Creates an integration. A POST that creates is not simply sent again
   * after a failure that leaves its outcome unknown (no answer, or a 5xx):
   * the first one may have been applied, and a blind retry would make a
   * duplicate that nothing records. Instead we look for an integration
   * created since we sent it with the same vendor, name and identifier;
   * if there is one we return it, if there is none we send the POST again,
   * and if we cannot tell we fail with an error that says a duplicate may
   * exist. A 429 is always safe to retry: the API refused the request.
   */
  async createIntegration(body: CreateIntegrationBody, options: IntegrationCallOptions = {}): Promise<Integration> {
    const path = "/v1/hubs/current/integrations";
    const secrets = secretValuesOf(body.auth);
    for (let attempt = 1; ; attempt++) {
      const sentAt = Date.now();
      try {
        return await this.request<Integration>({
          method: "POST",
          path,
          query: { meta: metaParam(options) },
          body,
          hubScoped: true,
          hubId: options.hubId,
          secrets,
        });
      } catch (err) {
        if (!(err instanceof CycleApiError) || !err.isAmbiguous) throw err;
        let found: Integration | undefined;
        try {
          found = await this.findCreated(body, sentAt, options);
        } catch {
          throw new CycleApiError(
            {
              kind: err.kind,
              method: err.method,
              path: err.path,
              status: err.status,
              code: err.code,
              title: err.title,
              networkCode: err.networkCode,
              detail: `${err.detail ? `${err.detail}; ` : ""}the integration may have been created: list the hub's integrations before retrying, to avoid a duplicate`,
            },
            this.redactor.with(secrets),
          );
        }
        if (found) {
          this.log?.(`POST ${path}: outcome unknown, found the integration it created (${found.id})`);
          return found;
        }
        const decision = decideRetry({ method: "POST", attempt, repeatable: true, status: err.status, networkError: err.kind !== "api" }, this.policy, this.random);
        if (!decision.retry) throw err;
        this.log?.(`POST ${path}: outcome unknown and no integration was created; sending again in ${decision.delayMs} ms`);
        await this.sleep(decision.delayMs);
      }
    }
  }

  /** Looks for the integration a create with an unknown outcome may have made. */
  private async findCreated(body: CreateIntegrationBody, sentAt: number, options: CallOptions): Promise<Integration | undefined> {
    const candidates = await this.listIntegrations({ filter: { search: body.name } }, { hubId: options.hubId });
    const matches = candidates.filter(
      (i) =>
        i.vendor === body.vendor &&
        i.name === body.name &&
        (body.identifier === undefined || i.identifier === body.identifier) &&
        Date.parse(i.events.created) >= sentAt - CREATE_RECONCILE_SKEW_MS,
    );
    if (matches.length > 1) throw new Error("more than one candidate");
    return matches[0];
  }

  /** Changes name, identifier, auth or extra. Only what is in `body` is sent. */
  async updateIntegration(id: string, body: UpdateIntegrationBody, options: IntegrationCallOptions = {}): Promise<Integration> {
    assertCycleId("integration ID", id);
    return this.request<Integration>({
      method: "PATCH",
      path: `/v1/hubs/current/integrations/${id}`,
      query: { meta: metaParam(options) },
      body,
      hubScoped: true,
      hubId: options.hubId,
      secrets: secretValuesOf(body.auth),
    });
  }

  /** Starts deleting an integration; the returned descriptor names the job that does it. */
  async deleteIntegration(id: string, options: CallOptions = {}): Promise<JobDescriptor> {
    assertCycleId("integration ID", id);
    return this.request<JobDescriptor>({
      method: "DELETE",
      path: `/v1/hubs/current/integrations/${id}`,
      hubScoped: true,
      hubId: options.hubId,
    });
  }

  /** The catalogue of integration definitions, by category. */
  async getAvailableIntegrations(options: CallOptions = {}): Promise<AvailableIntegrations> {
    return this.request<AvailableIntegrations>({
      method: "GET",
      path: "/v1/hubs/current/integrations/available",
      hubScoped: true,
      hubId: options.hubId,
    });
  }

  // -------------------------------------------------------------------------
  // Jobs
  // -------------------------------------------------------------------------

  /**
   * Submits a verify job. Safe to repeat after an unknown outcome: a second
   * verification of the same credentials changes nothing.
   */
  async createVerifyJob(integrationId: string, options: CallOptions = {}): Promise<JobDescriptor> {
    assertCycleId("integration ID", integrationId);
    return this.request<JobDescriptor>({
      method: "POST",
      path: `/v1/hubs/current/integrations/${integrationId}/tasks`,
      body: { action: "verify" },
      hubScoped: true,
      hubId: options.hubId,
      repeatable: true,
    });
  }

  async getJob(jobId: string, options: CallOptions = {}): Promise<Job> {
    assertCycleId("job ID", jobId);
    return this.request<Job>({
      method: "GET",
      path: `/v1/jobs/${jobId}`,
      hubScoped: false,
      hubId: options.hubId,
    });
  }

  // -------------------------------------------------------------------------
  // Transport
  // -------------------------------------------------------------------------

  private async request<T>(spec: RequestSpec): Promise<T> {
    const hubId = spec.hubId ?? this.defaultHubId;
    if (hubId !== undefined) assertCycleId("hub ID", hubId);
    if (spec.hubScoped && hubId === undefined) {
      throw new TypeError(`A hub ID is required for ${spec.method} ${spec.path}`);
    }
    const path = withQuery(spec.path, spec.query);
    const redactor = spec.secrets?.length ? this.redactor.with(spec.secrets) : this.redactor;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}` };
    if (hubId !== undefined) headers["X-Hub-Id"] = hubId;
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    const data = spec.body === undefined ? undefined : JSON.stringify(spec.body);

    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let result: Parsed<T>;
      try {
        const response = await this.http.request<string>({ method: spec.method, url: path, headers, data });
        this.log?.(redactor.redact(`${spec.method} ${path} -> ${response.status} in ${Date.now() - started} ms (attempt ${attempt})`));
        result = parseResponse<T>(spec.method, path, response, attempt, redactor);
      } catch (err) {
        const error = networkError(spec.method, path, err, attempt, redactor);
        this.log?.(redactor.redact(`${spec.method} ${path} -> no answer in ${Date.now() - started} ms (attempt ${attempt}): ${error.networkCode ?? error.kind}`));
        result = { ok: false, error };
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
          retryAfterMs: failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000,
          repeatable: spec.repeatable,
        },
        this.policy,
        this.random,
      );
      if (!decision.retry) throw failure;
      this.log?.(`${spec.method} ${spec.path}: retrying in ${decision.delayMs} ms`);
      await this.sleep(decision.delayMs);
    }
  }

  private malformed(method: string, path: string, detail: string): CycleApiError {
    return new CycleApiError({ kind: "malformed", method, path, detail }, this.redactor);
  }
}

function metaParam(options: IntegrationCallOptions): string | undefined {
  return options.includeDefinition ? "definition" : undefined;
}

function withQuery(path: string, query: RequestSpec["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

type Parsed<T> = { ok: true; data: T } | { ok: false; error: CycleApiError };

function parseResponse<T>(method: string, path: string, response: AxiosResponse<string>, attempt: number, redactor: Redactor): Parsed<T> {
  const status = response.status;
  const retryAfterHeader = response.headers["retry-after"];
  const retryAfterMs = parseRetryAfter(typeof retryAfterHeader === "string" ? retryAfterHeader : undefined);
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  const malformed = (detail: string): Parsed<T> => ({
    ok: false,
    error: new CycleApiError({ kind: "malformed", method, path, status, detail, attempts: attempt, retryAfterSeconds }, redactor),
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
    return { ok: true, data: record.data as T };
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
  return new CycleApiError(
    { kind: timedOut ? "timeout" : "network", method, path, networkCode: code, detail: message, attempts: attempt },
    redactor,
  );
}
