/**
 * Conformance of the emulator's answers: every integrations and jobs
 * operation, answered with every status the emulator can send it, validated
 * against the project's JSON schemas (contract/schemas). Runs once with the
 * strict defaults and once with the lenient options, so both forms of each
 * answer (auth redacted or echoed, creator account or key) are covered.
 *
 * 502 is the one status whose answer is not a root document: it stands for a
 * load balancer's HTML page in front of the API, by design, and is checked
 * to be exactly that.
 */
import { EmulatorHandle, EmulatorOptions, LENIENT_BEHAVIOUR, startEmulator, VENDORS } from "../../emulator";
import type { z } from "zod";
import * as contract from "../../provider/api/contract";
import { SCHEMAS } from "../../provider/api/schemas";
import { ERROR_CODES, Integration, JobDescriptor } from "../../provider/api/types";
import { call, CallOptions, dataOf, paths, Res, SAMPLE_BODIES } from "../emulator/helpers";
import { OPERATION_NAMES, OperationName, OPERATIONS } from "./operations";
import { SchemaName, violations } from "./schemas";

/**
 * Each success document as the contract's own zod schema reads it (it must
 * agree with the JSON generated from it), and its data as the client reads
 * it (the client must accept every answer the contract allows).
 */
const READINGS: Partial<Record<SchemaName, { contract: z.ZodType; client: z.ZodType }>> = {
  IntegrationDocument: { contract: contract.IntegrationDocument, client: SCHEMAS.integration },
  IntegrationListDocument: { contract: contract.IntegrationListDocument, client: SCHEMAS.integrations },
  JobDescriptorDocument: { contract: contract.JobDescriptorDocument, client: SCHEMAS.jobDescriptor },
  JobDocument: { contract: contract.JobDocument, client: SCHEMAS.job },
  AvailableIntegrationsDocument: { contract: contract.AvailableIntegrationsDocument, client: SCHEMAS.available },
};
const issuesOf = (schema: z.ZodType, value: unknown): string => {
  const parsed = schema.safeParse(value);
  return parsed.success ? "" : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
};

const UNKNOWN_ID = "aaaaaaaaaaaaaaaaaaaaaaaa";

describe.each<[string, EmulatorOptions]>([
  ["strict defaults", {}],
  ["lenient options", { ...LENIENT_BEHAVIOUR }],
])("emulator answers conform to the schemas (%s)", (_label, options) => {
  let h: EmulatorHandle;
  const seen = new Map<OperationName, Set<number>>(OPERATION_NAMES.map((n) => [n, new Set<number>()]));

  beforeAll(async () => {
    h = await startEmulator({ jobStepMs: 5, deleteGraceMs: 60_000, ...options });
  });
  afterEach(() => h.faults.reset());
  afterAll(() => h.close());

  /** Sends one request of operation `op`, validates the answer and records its status. */
  async function exchange(op: OperationName, path: string, opts: CallOptions = {}): Promise<Res> {
    const spec = OPERATIONS[op];
    const r = await call(h, spec.method, path, opts);
    seen.get(op)!.add(r.status);
    if (r.status === 502) {
      expect(r.headers.get("content-type")).toMatch(/^text\/html/);
      expect(r.doc).toBeUndefined();
      return r;
    }
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.doc).toBeDefined();
    if (r.status < 300) {
      expect(r.status).toBe(spec.success.status);
      expect(violations(spec.success.schema, r.doc)).toBe("");
      const reading = READINGS[spec.success.schema];
      expect(reading).toBeDefined();
      expect(issuesOf(reading!.contract, r.doc)).toBe("");
      expect(issuesOf(reading!.client, r.doc!.data)).toBe("");
    } else {
      expect(violations("ErrorDocument", r.doc)).toBe("");
      expect(issuesOf(contract.ErrorDocument, r.doc)).toBe("");
      // What a schema cannot say: the status in the body is the HTTP status, and the code's prefix.
      const e = r.doc!.error!;
      expect(e.status).toBe(r.status);
      expect(e.code.slice(0, 3)).toBe(String(r.status));
      expect(ERROR_CODES).toContain(e.code);
    }
    return r;
  }

  const newIntegration = async (body: object = { ...SAMPLE_BODIES.aws, name: `Conformance ${Math.random().toString(36).slice(2, 8)}` }): Promise<Integration> =>
    dataOf<Integration>(await exchange("create", paths.integrations, { body }));

  /** A verify job, its first hidden read (strict default) already spent. */
  const newJob = async (integrationId: string): Promise<string> => {
    const id = dataOf<JobDescriptor>(await exchange("task", paths.tasks(integrationId), { body: { action: "verify" } })).job!.id;
    let r = await exchange("getJob", paths.job(id));
    while (r.status === 404) r = await exchange("getJob", paths.job(id));
    return id;
  };

  /** The answers any operation can get: key, hub, query, and the gateway's faults. */
  async function commonErrors(op: OperationName, path: string, body?: unknown): Promise<void> {
    const spec = OPERATIONS[op];
    const withBody = (o: CallOptions): CallOptions => (body === undefined ? o : { ...o, body });
    await exchange(op, path, withBody({ key: null }));
    await exchange(op, path, withBody({ key: h.keys.expired }));
    await exchange(op, path, withBody({ hub: null }));
    await exchange(op, path, withBody({ hub: h.hubs.secondary }));
    await exchange(op, path, withBody({ hub: UNKNOWN_ID }));
    const lacking = op === "getJob" ? h.keys.noJobsView : spec.method === "GET" ? null : h.keys.viewOnly;
    if (lacking) await exchange(op, path, withBody({ key: lacking }));
    await exchange(op, `${path}?bogus=1`, withBody({}));
    const match = { method: spec.method, path: new RegExp(`^${path}$`) };
    h.faults.rateLimit(1, 2, match);
    expect((await exchange(op, path, withBody({}))).headers.get("retry-after")).toBe("2");
    for (const status of [500, 502, 503, 504] as const) {
      h.faults.serverErrors(1, status, match);
      await exchange(op, path, withBody({}));
    }
  }

  /** The answers to a malformed body: not JSON, not declared as JSON. */
  async function bodyErrors(op: OperationName, path: string): Promise<void> {
    await exchange(op, path, { rawBody: "{", contentType: "application/json" });
    await exchange(op, path, { rawBody: "{}", contentType: "text/plain" });
    await exchange(op, path, { rawBody: "[]", contentType: "application/json" });
  }

  it("list", async () => {
    await newIntegration();
    await exchange("list", paths.integrations);
    await exchange(
      "list",
      `${paths.integrations}?meta=definition&sort=-name&page[size]=100&filter[state]=new&filter[category]=infrastructure-provider&filter[search]=conf`,
    );
    await exchange("list", `${paths.integrations}?page[size]=0`);
    await exchange("list", `${paths.integrations}?filter[state]=gone`);
    await commonErrors("list", paths.integrations);
  });

  it("create", async () => {
    await newIntegration();
    await exchange("create", `${paths.integrations}?meta=definition`, { body: { ...SAMPLE_BODIES.aws, identifier: "declared-id" } });
    for (const v of Object.values(VENDORS)) await exchange("create", paths.integrations, { body: SAMPLE_BODIES[v] });
    await exchange("create", paths.integrations, { body: SAMPLE_BODIES.stripe }); // 409: one per hub
    await exchange("create", paths.integrations, { body: { vendor: "aws" } }); // 422.missing-argument
    await exchange("create", paths.integrations, { body: { ...SAMPLE_BODIES.aws, name: "abc" } }); // 422.invalid-argument
    await exchange("create", paths.integrations, { body: { ...SAMPLE_BODIES.aws, colour: "red" } }); // 422.invalid-input
    await bodyErrors("create", paths.integrations);
    await commonErrors("create", paths.integrations, SAMPLE_BODIES.aws);
  });

  it("get", async () => {
    const i = await newIntegration();
    await exchange("get", paths.integration(i.id));
    await exchange("get", `${paths.integration(i.id)}?meta=definition`);
    await exchange("get", paths.integration(UNKNOWN_ID));
    await exchange("get", `${paths.integration(i.id)}?meta=everything`);
    await commonErrors("get", paths.integration(i.id));
  });

  it("update", async () => {
    const i = await newIntegration();
    const path = paths.integration(i.id);
    await exchange("update", path, { body: { name: "Renamed for conformance" } });
    await exchange("update", `${path}?meta=definition`, { body: { identifier: "renamed-id", auth: SAMPLE_BODIES.aws.auth, extra: null } });
    await exchange("update", path, { body: { vendor: "gcp" } });
    await exchange("update", paths.integration(UNKNOWN_ID), { body: { name: "Nobody here" } });
    const azure = h.integrations(h.hubs.primary).find((x) => x.vendor === VENDORS.azure) ?? (await newIntegration(SAMPLE_BODIES[VENDORS.azure]));
    await exchange("update", paths.integration(azure.id), { body: {} }); // 403.not-allowed
    await newJob(i.id);
    await exchange("update", path, { body: { name: "While verifying" } }); // 403.invalid-state
    await bodyErrors("update", path);
    await commonErrors("update", path, { name: "Renamed again" });
  });

  it("task", async () => {
    const i = await newIntegration();
    const path = paths.tasks(i.id);
    await exchange("task", path, { body: { action: "verify" } });
    await exchange("task", path, { body: { action: "verify" } }); // 403.invalid-state while verifying
    await exchange("task", path, { body: { action: "dance" } });
    await exchange("task", path, { body: {} });
    await exchange("task", paths.tasks(UNKNOWN_ID), { body: { action: "verify" } });
    await bodyErrors("task", path);
    await commonErrors("task", path, { action: "verify" });
  });

  it("getJob", async () => {
    const i = await newIntegration();
    const id = await newJob(i.id);
    await exchange("getJob", paths.job(id));
    await exchange("getJob", paths.job(UNKNOWN_ID));
    await exchange("getJob", paths.job(id), { key: h.keys.otherHub, hub: h.hubs.secondary });
    // A failed and an expired job, read until finished.
    h.faults.failNextJobs(1);
    const failed = await newJob((await newIntegration()).id);
    h.faults.expireNextJobs(1);
    const expired = await newJob((await newIntegration()).id);
    for (const j of [failed, expired]) {
      for (let n = 0; n < 400; n++) {
        const r = await exchange("getJob", paths.job(j));
        if (["error", "expired"].includes((r.doc?.data as { state: { current: string } }).state.current)) break;
        await new Promise((res) => setTimeout(res, 5));
      }
    }
    await commonErrors("getJob", paths.job(id));
  });

  it("delete", async () => {
    const i = await newIntegration();
    const path = paths.integration(i.id);
    await commonErrors("delete", path);
    await exchange("delete", `${path}?meta=definition`);
    await exchange("delete", path); // 403.invalid-state: deleting
    await exchange("delete", paths.integration(UNKNOWN_ID));
  });

  it("available", async () => {
    await exchange("available", paths.available);
    await commonErrors("available", paths.available);
  });

  it("every operation was answered with every status it can send", () => {
    for (const op of OPERATION_NAMES) {
      const spec = OPERATIONS[op];
      expect({ op, statuses: [...seen.get(op)!].sort() }).toEqual({ op, statuses: [spec.success.status, ...spec.errors, 502].sort() });
    }
    const all = new Set(OPERATION_NAMES.flatMap((op) => [...seen.get(op)!]));
    expect([...all].sort()).toEqual([200, 201, 202, 400, 401, 403, 404, 409, 415, 422, 429, 500, 502, 503, 504].sort());
  });
});
