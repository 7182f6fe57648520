/**
 * The API's endpoints. A request goes through the same gates in the same
 * order on every endpoint, so a client sees consistent precedence:
 *
 *   401 (key) → 404.uri (route and method) → 403.wrong-hub / 404.hub →
 *   403.permissions → 422 (query) → 415 / 400 (body) → the handler.
 *
 * Every route, `GET /v1/jobs/{id}` included, is hub-scoped: the spec's global
 * security asks for the bearer key and `X-Hub-Id` alike.
 */
import { IncomingHttpHeaders } from "node:http";
import { AvailableIntegrations, Capability, CreatorScope, CycleId, ID_PATTERN, INTEGRATION_CATEGORIES, IntegrationDefinition } from "../provider/api/contract";
import { CATALOGUE } from "./catalogue";
import { ApiError, integrationNotFound, jobNotFound, missingCapability, unknownUri } from "./errors";
import { FaultState } from "./faults";
import { viewJob, describeJob } from "./jobs";
import { ApiKey, authenticate } from "./keys";
import { ApiCreatorType } from "./options";
import { checkParams, LIST_PARAMS, parseListQuery, parseMeta } from "./query";
import { IntegrationService } from "./service";
import { validateCreate, validateTask } from "./validation";

export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Context {
  req: ApiRequest;
  key: ApiKey;
  creator: CreatorScope;
  /** The hub of the call: from X-Hub-Id, checked. */
  hubId: CycleId;
  /** Path segments captured by the route pattern. */
  args: string[];
  /** The parsed JSON body (routes with `body: true` only). */
  body: unknown;
  now: number;
}

interface Endpoint {
  capability: Capability;
  params: readonly string[];
  body: boolean;
  handle: (ctx: Context) => ApiReply;
}

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Endpoint>>;
}

const VIEW: Capability = "hubs-integrations-view";
const MANAGE: Capability = "hubs-integrations-manage";
const JOBS_VIEW: Capability = "apionly-jobs-view";

const ok = (data: unknown, status = 200): ApiReply => ({ status, body: { data } });

/** `application/json`, with or without parameters such as charset. */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0].trim().toLowerCase() === "application/json";
}

function parseBody(req: ApiRequest): unknown {
  if (!isJson(req.headers["content-type"])) {
    throw new ApiError("415.invalid-content-type", "the request body must be sent as Content-Type: application/json");
  }
  try {
    return JSON.parse(req.rawBody);
  } catch (e) {
    throw new ApiError("400.invalid-syntax", `the request body is not valid JSON: ${(e as Error).message}`);
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

export class Api {
  private readonly routes: Route[];

  constructor(
    private readonly service: IntegrationService,
    private readonly faults: FaultState,
    /** Who API calls are recorded as created by: the key's owner account, or the key. */
    private readonly creatorType: ApiCreatorType,
  ) {
    const s = this.service;
    const store = s.store;
    this.routes = [
      {
        pattern: /^\/v1\/hubs\/current\/integrations$/,
        methods: {
          GET: {
            capability: VIEW,
            params: LIST_PARAMS,
            body: false,
            handle: (c) => ok(s.list(c.hubId, parseListQuery(c.req.query))),
          },
          POST: {
            capability: MANAGE,
            params: ["meta"],
            body: true,
            handle: (c) => {
              const meta = parseMeta(c.req.query);
              const rec = s.create(c.hubId, c.creator, validateCreate(c.body), c.now);
              return ok(s.present(rec, meta), 201);
            },
          },
        },
      },
      {
        pattern: /^\/v1\/hubs\/current\/integrations\/available$/,
        methods: {
          GET: { capability: VIEW, params: [], body: false, handle: () => ok(available()) },
        },
      },
      {
        pattern: /^\/v1\/hubs\/current\/integrations\/([^/]+)$/,
        methods: {
          GET: {
            capability: VIEW,
            params: ["meta"],
            body: false,
            handle: (c) => {
              const meta = parseMeta(c.req.query);
              return ok(s.present(this.integration(c), meta));
            },
          },
          PATCH: {
            capability: MANAGE,
            params: ["meta"],
            body: true,
            handle: (c) => {
              const meta = parseMeta(c.req.query);
              const rec = this.integration(c);
              s.update(rec, c.body, c.now);
              return ok(s.present(rec, meta));
            },
          },
          DELETE: {
            capability: MANAGE,
            // Accepted for parity with the other calls; a JobDescriptor has no meta.
            params: ["meta"],
            body: false,
            handle: (c) => {
              parseMeta(c.req.query);
              const rec = this.integration(c);
              const job = s.delete(rec, c.creator, this.faults.takeJobFate(c.req.method, c.req.path), c.now);
              return ok(describeJob(job, c.now), 202);
            },
          },
        },
      },
      {
        pattern: /^\/v1\/hubs\/current\/integrations\/([^/]+)\/tasks$/,
        methods: {
          POST: {
            capability: MANAGE,
            params: [],
            body: true,
            handle: (c) => {
              const rec = this.integration(c);
              validateTask(c.body);
              const job = s.verify(rec, c.creator, this.faults.takeJobFate(c.req.method, c.req.path), c.now);
              return ok(describeJob(job, c.now), 202);
            },
          },
        },
      },
      {
        pattern: /^\/v1\/jobs\/([^/]+)$/,
        methods: {
          GET: {
            capability: JOBS_VIEW,
            params: [],
            body: false,
            handle: (c) => {
              const id = c.args[0];
              const job = ID_PATTERN.test(id) ? store.jobs.get(id) : undefined;
              // A job of a hub the key cannot see, or of another hub than
              // X-Hub-Id names, is reported as absent rather than forbidden.
              if (!job || !c.key.hubIds.includes(job.hubId) || c.hubId !== job.hubId) throw jobNotFound();
              if (job.hiddenReads > 0) {
                job.hiddenReads -= 1;
                throw jobNotFound();
              }
              return ok(viewJob(job, c.now));
            },
          },
        },
      },
    ];
  }

  /** The integration named in the path, in the call's hub; a malformed ID is simply not found. */
  private integration(c: Context) {
    const id = c.args[0];
    if (!ID_PATTERN.test(id)) throw integrationNotFound();
    return this.service.find(c.hubId, id);
  }

  private resolveHub(header: string | undefined, key: ApiKey): CycleId {
    if (header === undefined || header === "") throw new ApiError("403.wrong-hub", "the X-Hub-Id header is required");
    if (!ID_PATTERN.test(header) || !this.service.store.hubs.has(header)) throw new ApiError("404.hub", "no such hub");
    if (!key.hubIds.includes(header)) throw new ApiError("403.wrong-hub", "the API key does not belong to this hub");
    return header;
  }

  private creatorOf(key: ApiKey): CreatorScope {
    return this.creatorType === "api-key" ? { type: "api-key", id: key.id } : { type: "account", id: key.accountId };
  }

  /** Serves one API request at instant `now`; API errors become error documents. */
  handle(req: ApiRequest, now: number): ApiReply {
    try {
      this.service.store.advance(now);
      const key = authenticate(headerValue(req.headers, "authorization"), this.service.store.keys);
      const route = this.routes.find((r) => r.pattern.test(req.path));
      const endpoint = route?.methods[req.method];
      if (!route || !endpoint) throw unknownUri(req.method, req.path);
      const args = route.pattern.exec(req.path)!.slice(1).map(decodeURIComponent);
      const hubId = this.resolveHub(headerValue(req.headers, "x-hub-id"), key);
      if (!key.capabilities.includes(endpoint.capability)) throw missingCapability(endpoint.capability);
      checkParams(req.query, endpoint.params);
      const body = endpoint.body ? parseBody(req) : undefined;
      return endpoint.handle({ req, key, creator: this.creatorOf(key), hubId, args, body, now });
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, body: { error: e.toObject(), data: null } };
      if (e instanceof URIError) return { status: 404, body: { error: unknownUri(req.method, req.path).toObject(), data: null } };
      const err = new ApiError("500.unknown", `internal emulator error: ${(e as Error).message}`);
      return { status: 500, body: { error: err.toObject(), data: null } };
    }
  }
}

/** Every category is present; the definitions are copies. */
function available(): AvailableIntegrations {
  const out: Record<string, IntegrationDefinition[]> = {};
  for (const c of INTEGRATION_CATEGORIES) out[c] = [];
  for (const e of CATALOGUE) out[e.category].push(structuredClone(e.definition));
  return out;
}
