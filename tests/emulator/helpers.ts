/**
 * Test helpers for the emulator suites: a thin `fetch` wrapper that speaks
 * the API's conventions (bearer key, X-Hub-Id, JSON), accessors for the root
 * document, polling, and one valid create body per vendor. Deliberately not
 * the project's client: these tests pin the emulator to the contract on
 * their own.
 */
import { CreateIntegrationBody, CycleErrorObject, Integration, Job, JobDescriptor } from "../../provider/api/contract";
import { EmulatorHandle, VENDORS, VendorName } from "../../emulator";

export interface CallOptions {
  /** API key; defaults to the admin key; `null` sends no Authorization header. */
  key?: string | null;
  /** X-Hub-Id; defaults to the primary hub; `null` sends none. */
  hub?: string | null;
  /** JSON-encoded and sent as application/json. */
  body?: unknown;
  /** Sent as is, with `contentType` (default none). */
  rawBody?: string;
  contentType?: string | null;
}

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, when it was JSON. */
  doc: { data: unknown; error?: CycleErrorObject } | undefined;
}

export async function call(h: EmulatorHandle, method: string, path: string, opts: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  const key = opts.key === undefined ? h.keys.admin : opts.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  const hub = opts.hub === undefined ? h.hubs.primary : opts.hub;
  if (hub !== null) headers["X-Hub-Id"] = hub;
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    if (opts.contentType) headers["Content-Type"] = opts.contentType;
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] = opts.contentType === undefined ? "application/json" : (opts.contentType ?? "");
    if (opts.contentType === null) delete headers["Content-Type"];
  }
  const res = await fetch(h.url + path, { method, headers, body });
  const text = await res.text();
  let doc: Res["doc"];
  try {
    doc = JSON.parse(text) as Res["doc"];
  } catch {
    doc = undefined;
  }
  return { status: res.status, headers: res.headers, text, doc };
}

export function dataOf<T>(r: Res): T {
  if (!r.doc || r.doc.error) throw new Error(`expected a success document, got ${r.status}: ${r.text}`);
  return r.doc.data as T;
}

function errorOf(r: Res): CycleErrorObject {
  if (!r.doc || !r.doc.error) throw new Error(`expected an error document, got ${r.status}: ${r.text}`);
  expect(r.doc.data).toBeNull();
  expect(r.doc.error.status).toBe(r.status);
  return r.doc.error;
}

/** Asserts status, code and (when given) source of an error answer. */
export function expectError(r: Res, code: string, source?: string): CycleErrorObject {
  const e = errorOf(r);
  expect({ status: r.status, code: e.code }).toEqual({ status: Number(code.slice(0, 3)), code });
  expect(typeof e.title).toBe("string");
  if (source !== undefined) expect(e.source).toBe(source);
  return e;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 3000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export const AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/** One valid create body per vendor (the deprecated/unusable ones are refused anyway). */
export const SAMPLE_BODIES: Record<VendorName, CreateIntegrationBody> = {
  [VENDORS.aws]: { name: "Production AWS", vendor: VENDORS.aws, auth: { key_id: AWS_KEY_ID, secret: AWS_SECRET } },
  [VENDORS.gcp]: {
    name: "GCP Main",
    vendor: VENDORS.gcp,
    auth: { base64_config: "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0=" },
    extra: { project: "my-project-123" },
  },
  [VENDORS.vultr]: { name: "Vultr Edge", vendor: VENDORS.vultr, auth: { api_key: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" } },
  [VENDORS.azure]: {
    name: "Azure West",
    vendor: VENDORS.azure,
    auth: {
      subscription_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      client_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      secret: "s3cr3t-value",
    },
  },
  [VENDORS.equinixMetal]: {
    name: "Equinix Metal",
    vendor: VENDORS.equinixMetal,
    auth: { api_key: "abcdefghijklmnopqrstuvwxyz012345" },
    extra: { project_id: "0f8fad5b-d9cb-469f-a165-70867728950e" },
  },
  [VENDORS.backblazeB2]: {
    name: "Backups B2",
    vendor: VENDORS.backblazeB2,
    auth: { key_id: "005a1b2c3d4e5f60000000001", secret: "K005abcdefghijklmnopqrstuvwxyz1" },
    extra: { bucket: "my-backups", region: "us-west-004" },
  },
  [VENDORS.awsS3]: {
    name: "S3 Backups",
    vendor: VENDORS.awsS3,
    auth: { key_id: AWS_KEY_ID, secret: AWS_SECRET, region: "us-east-1" },
    extra: { bucket: "my.bucket-1" },
  },
  [VENDORS.letsEncrypt]: { name: "Let's Encrypt", vendor: VENDORS.letsEncrypt, extra: { email: "ops@example.com" } },
  [VENDORS.zeroSsl]: {
    name: "ZeroSSL EAB",
    vendor: VENDORS.zeroSsl,
    auth: { key_id: "AbCdEfGhIjKlMnOpQrStUv", secret: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ_-" },
  },
  [VENDORS.depot]: {
    name: "Depot Builder",
    vendor: VENDORS.depot,
    auth: { api_key: "depot_org_abcdefghij0123456789" },
    extra: { project_id: "abcde12345" },
  },
  [VENDORS.dockerBuildCloud]: {
    name: "Docker Build Cloud",
    vendor: VENDORS.dockerBuildCloud,
    auth: { namespace: "myorg", api_key: "dckr_pat_abcdefghijklmnopqrstuv" },
  },
  [VENDORS.stripe]: { name: "Stripe Billing", vendor: VENDORS.stripe, auth: { api_key: "sk_test_abcdefghijklmnopqrstuvwx" } },
};

const INTEGRATIONS = "/v1/hubs/current/integrations";
export const paths = {
  integrations: INTEGRATIONS,
  available: `${INTEGRATIONS}/available`,
  integration: (id: string) => `${INTEGRATIONS}/${id}`,
  tasks: (id: string) => `${INTEGRATIONS}/${id}/tasks`,
  job: (id: string) => `/v1/jobs/${id}`,
};

/** Creates an integration through the API and returns it (201 asserted). */
export async function create(h: EmulatorHandle, body: unknown, opts: CallOptions = {}): Promise<Integration> {
  const r = await call(h, "POST", paths.integrations, { ...opts, body });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
  return dataOf<Integration>(r);
}

export async function verify(h: EmulatorHandle, id: string, opts: CallOptions = {}): Promise<JobDescriptor> {
  const r = await call(h, "POST", paths.tasks(id), { ...opts, body: { action: "verify" } });
  if (r.status !== 202) throw new Error(`verify failed: ${r.status} ${r.text}`);
  return dataOf<JobDescriptor>(r);
}

/** Polls a job until it is finished; returns its final form. */
export async function waitForJob(h: EmulatorHandle, jobId: string, opts: CallOptions = {}): Promise<Job> {
  return waitFor(async () => {
    const r = await call(h, "GET", paths.job(jobId), opts);
    if (r.status !== 200) return undefined;
    const job = dataOf<Job>(r);
    return ["completed", "error", "expired"].includes(job.state.current) ? job : undefined;
  });
}
