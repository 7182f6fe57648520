/**
 * Public API of the Cycle API emulator: `startEmulator()` brings up a real
 * HTTP server on loopback and returns a handle to drive and inspect it.
 * See README.md for the behaviour and the choices made where the contract is
 * silent.
 */
import { CycleId, ID_PATTERN, Integration, Job } from "../provider/api/contract";
import { controlPlane } from "./control";
import { DateHeaderMode, DATE_HEADER_MODES, FaultControls, FaultState } from "./faults";
import { viewJob } from "./jobs";
import { KEY_ROLES, KeyRole, seedKeys } from "./keys";
import { RequestLog, RequestLogEntry } from "./log";
import { OutOfBandControls, outOfBandControls } from "./outOfBand";
import { Api } from "./routes";
import { EmulatorServer } from "./server";
import { IntegrationService } from "./service";
import { Store } from "./store";
import { newId } from "./ids";
import { Behaviour, BehaviourOptions, resolveBehaviour } from "./options";
import { Clock } from "./time";

export { CATALOGUE, VENDORS, findEntry, definitionOf } from "./catalogue";
export type { CatalogueEntry, VendorName } from "./catalogue";
export { VERIFY_FAIL_MARKER } from "./service";
export { KEY_ROLES } from "./keys";
export type { KeyRole } from "./keys";
export type { DateHeaderMode, FaultControls, FaultMatcher, ServerErrorStatus } from "./faults";
export { DATE_HEADER_MODES } from "./faults";
export type { OutOfBandControls } from "./outOfBand";
export type { RequestLogEntry } from "./log";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTABLE_FIELDS } from "./query";
export { STRICT_BEHAVIOUR, LENIENT_BEHAVIOUR, SEARCH_FIELDS, API_CREATOR_TYPES } from "./options";
export type { Behaviour, BehaviourOptions, SearchField, ApiCreatorType } from "./options";
export { tokenize, MIN_NAME_LENGTH, MIN_IDENTIFIER_LENGTH } from "./validation";

export const DEFAULT_JOB_STEP_MS = 40;
export const DEFAULT_DELETE_GRACE_MS = 500;

/**
 * Where the contract leaves a behaviour open, the default is the strictest
 * choice (see `BehaviourOptions` and `STRICT_BEHAVIOUR`): credentials never
 * echoed, at most 25 items a page, search by name only, the first read of a
 * new job `404.job`, creators recorded as the key owner's account, and the
 * server's clock 90 s behind the machine's.
 */
export interface EmulatorOptions extends BehaviourOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Duration of each job step (a verify job is 1 queued + 3 running steps, a delete job 1 + 2); default 40 ms. */
  jobStepMs?: number;
  /** How long a deleted integration stays readable as `deleted` before 404; default 500 ms. */
  deleteGraceMs?: number;
  /**
   * @deprecated the inverse of `echoAuth`, kept for old callers: auth is now
   * redacted unless `echoAuth: true` (or `redactAuth: false`).
   */
  redactAuth?: boolean;
  /**
   * What the `Date` header of every answer says: the server's clock (default),
   * nothing (`missing`), or text that is not a date (`garbage`). The
   * `dateHeader` fault overrides it for some requests.
   */
  dateHeader?: DateHeaderMode;
  /** Added to the `Date` header (not to the API's own timestamps), in ms; default 0. A host or proxy clock that lies. */
  dateSkewMs?: number;
  /** Write every answer's body this many bytes a second (0, the default: at once). The `trickle` fault does it for some requests. */
  trickleBytesPerSecond?: number;
  /** Serve the `/_emulator/` control plane; default true. */
  controlPlane?: boolean;
  /** Fixed hub IDs and key secrets instead of random ones. */
  seed?: {
    hubs?: { primary?: CycleId; secondary?: CycleId };
    keys?: Partial<Record<KeyRole, string>>;
  };
}

export interface EmulatorHandle {
  url: string;
  /** The behaviour in force, defaults filled in. */
  options: Behaviour;
  /** The account that owns every key: `creator.id` when `creatorType` is `account`, and of portal creations. */
  accountId: CycleId;
  hubs: { primary: CycleId; secondary: CycleId };
  /**
   * Bearer tokens. admin: primary hub, all capabilities. viewOnly: primary,
   * view + jobs-view (no manage). noJobsView: primary, view + manage (no
   * jobs-view). otherHub: secondary hub only, all capabilities. expired:
   * primary, all capabilities, but answers 401.auth-expired.
   */
  keys: Record<KeyRole, string>;
  /** The key IDs, as they appear in `creator.id` when `creatorType` is `api-key`. */
  keyIds: Record<KeyRole, CycleId>;
  /** Live array of logged requests (never headers or bodies). */
  requestLog: RequestLogEntry[];
  clearLog(): void;
  faults: FaultControls;
  outOfBand: OutOfBandControls;
  /** Every readable integration (deleted ones included until purged), optionally of one hub; auth is never redacted here. */
  integrations(hubId?: CycleId): Integration[];
  /** Every job, as `GET /v1/jobs/{id}` would show it now (ignoring injected 404s). */
  jobs(): Job[];
  close(): Promise<void>;
}

function hubId(given: string | undefined, what: string): CycleId {
  if (given === undefined) return newId();
  if (!ID_PATTERN.test(given)) throw new Error(`seed.hubs.${what} must be 24 lowercase hex characters`);
  return given;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const jobStepMs = opts.jobStepMs ?? DEFAULT_JOB_STEP_MS;
  const deleteGraceMs = opts.deleteGraceMs ?? DEFAULT_DELETE_GRACE_MS;
  if (!(jobStepMs > 0)) throw new Error("jobStepMs must be positive");
  if (!(deleteGraceMs >= 0)) throw new Error("deleteGraceMs must not be negative");

  const behaviour = resolveBehaviour(opts);
  const clock = new Clock(behaviour.clockOffsetMs);
  const nowMs = (): number => clock.now();

  const hubs = { primary: hubId(opts.seed?.hubs?.primary, "primary"), secondary: hubId(opts.seed?.hubs?.secondary, "secondary") };
  if (hubs.primary === hubs.secondary) throw new Error("the primary and secondary hubs must differ");

  const store = new Store(deleteGraceMs);
  store.hubs.add(hubs.primary);
  store.hubs.add(hubs.secondary);
  const accountId = newId();
  const keyRecords = seedKeys(hubs, opts.seed?.keys, accountId);
  for (const role of KEY_ROLES) store.keys.set(keyRecords[role].secret, keyRecords[role]);
  if (store.keys.size !== KEY_ROLES.length) throw new Error("seeded key secrets must be distinct");

  const service = new IntegrationService(store, {
    jobStepMs,
    echoAuth: behaviour.echoAuth,
    maxPageSize: behaviour.maxPageSize,
    searchFields: behaviour.searchFields,
    quoteCredentials: behaviour.quoteCredentials,
  });
  const dateMode = opts.dateHeader ?? "server";
  if (!DATE_HEADER_MODES.includes(dateMode)) throw new Error(`dateHeader must be one of ${DATE_HEADER_MODES.join(", ")}`);
  if (!Number.isInteger(opts.dateSkewMs ?? 0)) throw new Error("dateSkewMs must be an integer");
  if (!(Number.isInteger(opts.trickleBytesPerSecond ?? 0) && (opts.trickleBytesPerSecond ?? 0) >= 0))
    throw new Error("trickleBytesPerSecond must be a non-negative integer");
  const faults = new FaultState(behaviour.jobNotFoundReads, {
    date: { mode: dateMode, skewMs: opts.dateSkewMs ?? 0 },
    trickleBytesPerSecond: opts.trickleBytesPerSecond ?? 0,
  });
  const log = new RequestLog();
  const outOfBand = outOfBandControls(service, clock, accountId);

  const integrations = (hub?: CycleId): Integration[] => {
    store.advance(nowMs());
    return [...store.integrations.values()].filter((r) => hub === undefined || r.data.hub_id === hub).map((r) => service.snapshot(r));
  };
  const jobs = (): Job[] => {
    const now = nowMs();
    store.advance(now);
    return [...store.jobs.values()].map((j) => viewJob(j, now));
  };

  const server = new EmulatorServer({
    api: new Api(service, faults, behaviour.creatorType),
    clock,
    faults,
    log,
    control: opts.controlPlane === false ? undefined : controlPlane({ faults, outOfBand, log, integrations, jobs, options: behaviour }),
  });
  const url = await server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");

  const pick = <T>(f: (role: KeyRole) => T): Record<KeyRole, T> => Object.fromEntries(KEY_ROLES.map((r) => [r, f(r)])) as Record<KeyRole, T>;

  return {
    url,
    options: behaviour,
    accountId,
    hubs,
    keys: pick((r) => keyRecords[r].secret),
    keyIds: pick((r) => keyRecords[r].id),
    requestLog: log.entries,
    clearLog: () => log.clear(),
    faults,
    outOfBand,
    integrations,
    jobs,
    close: () => server.close(),
  };
}
