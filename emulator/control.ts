/**
 * The optional control plane, for an emulator running in another process
 * (e.g. `npm run emulator` driven by a script). Everything lives under
 * `/_emulator/`, needs no API key, is not fault-injected and is not logged.
 * It mirrors `handle.faults`, `handle.outOfBand`, `handle.requestLog`,
 * `handle.integrations()`, `handle.jobs()` and `handle.options`; see
 * README.md for the bodies. The behaviour options are fixed at start (CLI
 * flags); the one worth changing while running, how many reads of a new job
 * answer `404.job`, is the `jobNotFoundFor` fault.
 */
import { CreateIntegrationBody, IntegrationStateName, INTEGRATION_STATES, Integration, Job } from "../provider/api/contract";
import { ApiError, invalidArgument } from "./errors";
import { DateHeaderMode, DATE_HEADER_MODES, FaultMatcher, FaultState, ServerErrorStatus } from "./faults";
import { RequestLog } from "./log";
import { Behaviour } from "./options";
import { OutOfBandControls } from "./outOfBand";
import { ApiReply, ApiRequest } from "./routes";
import { isPlainObject } from "./validation";

export interface ControlDeps {
  faults: FaultState;
  outOfBand: OutOfBandControls;
  log: RequestLog;
  integrations: (hubId?: string) => Integration[];
  jobs: () => Job[];
  /** The behaviour options in force, for a script to read back (they are fixed at start). */
  options: Behaviour;
}

type Json = Record<string, unknown>;

function str(b: Json, key: string): string {
  const v = b[key];
  if (typeof v !== "string") throw invalidArgument(`"${key}" must be a string`, `/${key}`);
  return v;
}

function int(b: Json, key: string, fallback?: number): number {
  const v = b[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw invalidArgument(`"${key}" must be a non-negative integer`, `/${key}`);
  return v;
}

function obj(b: Json, key: string): Json {
  const v = b[key];
  if (!isPlainObject(v)) throw invalidArgument(`"${key}" must be an object`, `/${key}`);
  return v;
}

function matcher(b: Json): FaultMatcher {
  if (b.match === undefined) return {};
  const m = obj(b, "match");
  const out: FaultMatcher = {};
  if (m.method !== undefined) out.method = str(m, "method");
  if (m.path !== undefined) out.path = new RegExp(str(m, "path"));
  return out;
}

function state(b: Json): IntegrationStateName {
  const v = str(b, "state");
  if (!(INTEGRATION_STATES as readonly string[]).includes(v)) throw invalidArgument(`"state" must be one of ${INTEGRATION_STATES.join(", ")}`, "/state");
  return v as IntegrationStateName;
}

function applyFault(faults: FaultState, b: Json): void {
  const kind = str(b, "kind");
  const m = matcher(b);
  switch (kind) {
    case "latency":
      return faults.latency(int(b, "ms"), m);
    case "rateLimit":
      return faults.rateLimit(int(b, "count"), int(b, "retryAfterSeconds", 1), m);
    case "serverErrors":
      return faults.serverErrors(int(b, "count"), int(b, "status", 503) as ServerErrorStatus, m);
    case "dropConnections":
      return faults.dropConnections(int(b, "count"), m);
    case "loseResponses":
      return faults.loseResponses(int(b, "count"), m);
    case "jobNotFoundFor":
      return faults.jobNotFoundFor(int(b, "count"), m);
    case "failNextJobs":
      return faults.failNextJobs(int(b, "count"), m);
    case "expireNextJobs":
      return faults.expireNextJobs(int(b, "count"), m);
    case "dateHeader": {
      const mode = str(b, "mode");
      if (!(DATE_HEADER_MODES as readonly string[]).includes(mode)) throw invalidArgument(`"mode" must be one of ${DATE_HEADER_MODES.join(", ")}`, "/mode");
      const skew = b.skewMs ?? 0;
      if (typeof skew !== "number" || !Number.isInteger(skew)) throw invalidArgument(`"skewMs" must be an integer`, "/skewMs");
      return faults.dateHeader(mode as DateHeaderMode, skew, m);
    }
    case "trickle":
      return faults.trickle(int(b, "bytesPerSecond"), m);
    case "gatewayErrors":
      return faults.gatewayErrors(int(b, "count"), int(b, "delayMs"), m);
    case "reset":
      return faults.reset();
    default:
      throw invalidArgument(`unknown fault kind "${kind}"`, "/kind");
  }
}

function outOfBand(oob: OutOfBandControls, op: string, b: Json): unknown {
  switch (op) {
    case "rename":
      return oob.rename(str(b, "id"), str(b, "name"));
    case "set-identifier":
      return oob.setIdentifier(str(b, "id"), str(b, "identifier"));
    case "set-extra":
      return oob.setExtra(str(b, "id"), b.extra === null ? null : (obj(b, "extra") as Record<string, string>));
    case "set-auth":
      return oob.setAuth(str(b, "id"), obj(b, "auth"));
    case "set-state":
      return oob.setState(str(b, "id"), state(b), b.error === undefined ? undefined : str(b, "error"));
    case "delete":
      return oob.delete(str(b, "id"));
    case "purge":
      oob.purge(str(b, "id"));
      return null;
    case "create":
      return oob.create(str(b, "hubId"), obj(b, "body") as unknown as CreateIntegrationBody, b.state === undefined ? {} : { state: state(b) });
    default:
      throw new ApiError("404.uri", `unknown out-of-band operation "${op}"`);
  }
}

function parse(req: ApiRequest): Json {
  let v: unknown;
  try {
    v = req.rawBody === "" ? {} : JSON.parse(req.rawBody);
  } catch {
    throw new ApiError("400.invalid-syntax", "the body is not valid JSON");
  }
  if (!isPlainObject(v)) throw invalidArgument("the body must be a JSON object");
  return v;
}

export function controlPlane(deps: ControlDeps): (req: ApiRequest) => ApiReply {
  const ok = (data: unknown): ApiReply => ({ status: 200, body: { data } });
  const route = (req: ApiRequest): ApiReply => {
    const p = req.path;
    const m = req.method;
    if (p === "/_emulator/log" && m === "GET") return ok(deps.log.entries);
    if (p === "/_emulator/log" && m === "DELETE") {
      deps.log.clear();
      return ok([]);
    }
    if (p === "/_emulator/integrations" && m === "GET") return ok(deps.integrations(req.query.get("hub") ?? undefined));
    if (p === "/_emulator/jobs" && m === "GET") return ok(deps.jobs());
    if (p === "/_emulator/options" && m === "GET") return ok(deps.options);
    if (p === "/_emulator/faults" && m === "POST") {
      applyFault(deps.faults, parse(req));
      return ok(null);
    }
    const oob = /^\/_emulator\/out-of-band\/([a-z-]+)$/.exec(p);
    if (oob && m === "POST") return ok(outOfBand(deps.outOfBand, oob[1], parse(req)));
    throw new ApiError("404.uri", `no control endpoint ${m} ${p}`);
  };
  return (req) => {
    try {
      return route(req);
    } catch (e) {
      const err = e instanceof ApiError ? e : invalidArgument((e as Error).message);
      return { status: err.status, body: { error: err.toObject(), data: null } };
    }
  };
}
