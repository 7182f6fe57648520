/** Authentication, capabilities and hub scoping. */
import { Integration, Job } from "../../provider/api/contract";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { call, create, dataOf, expectError, paths, SAMPLE_BODIES, verify } from "./helpers";

let h: EmulatorHandle;
let integration: Integration;
let jobId: string;

beforeAll(async () => {
  // Jobs readable at once: these tests are about keys and hubs, not the first read's 404.job.
  h = await startEmulator({ jobStepMs: 5, jobNotFoundReads: 0 });
  integration = await create(h, SAMPLE_BODIES.aws);
  jobId = (await verify(h, integration.id)).job!.id;
});
afterAll(() => h.close());

describe("API key", () => {
  it("is required on every call", async () => {
    expectError(await call(h, "GET", paths.integrations, { key: null }), "401.auth-invalid");
    expectError(await call(h, "GET", paths.job(jobId), { key: null }), "401.auth-invalid");
    expectError(await call(h, "GET", "/no/such/path", { key: null }), "401.auth-invalid");
  });

  it("must be a known key sent as a bearer token", async () => {
    expectError(await call(h, "GET", paths.integrations, { key: "emu_not_a_key" }), "401.auth-invalid");
    const raw = await fetch(h.url + paths.integrations, { headers: { Authorization: h.keys.admin, "X-Hub-Id": h.hubs.primary } });
    expect(raw.status).toBe(401);
    const basic = await fetch(h.url + paths.integrations, { headers: { Authorization: `Basic ${h.keys.admin}`, "X-Hub-Id": h.hubs.primary } });
    expect(basic.status).toBe(401);
  });

  it("accepts the scheme case-insensitively", async () => {
    const r = await fetch(h.url + paths.integrations, { headers: { Authorization: `bearer ${h.keys.admin}`, "X-Hub-Id": h.hubs.primary } });
    expect(r.status).toBe(200);
  });

  it("answers 401.auth-expired for an expired key", async () => {
    expectError(await call(h, "GET", paths.integrations, { key: h.keys.expired }), "401.auth-expired");
  });
});

describe("X-Hub-Id", () => {
  it("is required on /v1/hubs/current calls (403.wrong-hub)", async () => {
    expectError(await call(h, "GET", paths.integrations, { hub: null }), "403.wrong-hub");
    expectError(await call(h, "POST", paths.integrations, { hub: null, body: SAMPLE_BODIES.aws }), "403.wrong-hub");
    expectError(await call(h, "GET", paths.available, { hub: null }), "403.wrong-hub");
  });

  it("naming a hub that does not exist is 404.hub", async () => {
    expectError(await call(h, "GET", paths.integrations, { hub: "aaaaaaaaaaaaaaaaaaaaaaaa" }), "404.hub");
    expectError(await call(h, "GET", paths.integrations, { hub: "not-a-hub" }), "404.hub");
  });

  it("naming a hub the key does not belong to is 403.wrong-hub", async () => {
    expectError(await call(h, "GET", paths.integrations, { hub: h.hubs.secondary }), "403.wrong-hub");
    expectError(await call(h, "GET", paths.integrations, { key: h.keys.otherHub, hub: h.hubs.primary }), "403.wrong-hub");
  });

  it("scopes integrations to their hub", async () => {
    const other = await create(h, SAMPLE_BODIES.aws, { key: h.keys.otherHub, hub: h.hubs.secondary });
    expect(other.hub_id).toBe(h.hubs.secondary);
    expectError(await call(h, "GET", paths.integration(integration.id), { key: h.keys.otherHub, hub: h.hubs.secondary }), "404.hub.integration");
    expectError(await call(h, "GET", paths.integration(other.id)), "404.hub.integration");
    const primaryList = dataOf<Integration[]>(await call(h, "GET", paths.integrations));
    expect(primaryList.map((i) => i.id)).not.toContain(other.id);
    const secondaryList = dataOf<Integration[]>(await call(h, "GET", paths.integrations, { key: h.keys.otherHub, hub: h.hubs.secondary }));
    expect(secondaryList.map((i) => i.id)).toEqual([other.id]);
  });
});

describe("capabilities", () => {
  const expectCapability = async (p: Promise<import("./helpers").Res>, capability: string) => {
    const e = expectError(await p, "403.permissions");
    expect(e.extra?.capability).toBe(capability);
  };

  it("hubs-integrations-manage for create, update, delete and tasks", async () => {
    const k = { key: h.keys.viewOnly };
    await expectCapability(call(h, "POST", paths.integrations, { ...k, body: SAMPLE_BODIES.aws }), "hubs-integrations-manage");
    await expectCapability(call(h, "PATCH", paths.integration(integration.id), { ...k, body: { name: "Renamed one" } }), "hubs-integrations-manage");
    await expectCapability(call(h, "DELETE", paths.integration(integration.id), k), "hubs-integrations-manage");
    await expectCapability(call(h, "POST", paths.tasks(integration.id), { ...k, body: { action: "verify" } }), "hubs-integrations-manage");
    // The refused calls changed nothing.
    expect(h.integrations(h.hubs.primary).find((i) => i.id === integration.id)?.name).toBe(SAMPLE_BODIES.aws.name);
  });

  it("hubs-integrations-view is enough for get, list and available", async () => {
    const k = { key: h.keys.viewOnly };
    expect((await call(h, "GET", paths.integrations, k)).status).toBe(200);
    expect((await call(h, "GET", paths.integration(integration.id), k)).status).toBe(200);
    expect((await call(h, "GET", paths.available, k)).status).toBe(200);
  });

  it("apionly-jobs-view for GET /v1/jobs/{id}", async () => {
    await expectCapability(call(h, "GET", paths.job(jobId), { key: h.keys.noJobsView }), "apionly-jobs-view");
    expect((await call(h, "GET", paths.job(jobId), { key: h.keys.viewOnly })).status).toBe(200);
  });
});

describe("jobs and hubs", () => {
  it("a job needs X-Hub-Id like every hub-scoped call: missing is 403.wrong-hub", async () => {
    expectError(await call(h, "GET", paths.job(jobId), { hub: null }), "403.wrong-hub");
    expectError(await call(h, "GET", paths.job(jobId), { hub: "" }), "403.wrong-hub");
    const job = dataOf<Job>(await call(h, "GET", paths.job(jobId)));
    expect(job.id).toBe(jobId);
    expect(job.hub_id).toBe(h.hubs.primary);
  });

  it("a job of another hub is 404.job", async () => {
    expectError(await call(h, "GET", paths.job(jobId), { key: h.keys.otherHub, hub: h.hubs.secondary }), "404.job");
    // A key of the job's hub naming another (existing, foreign) hub is refused on the hub first.
    expectError(await call(h, "GET", paths.job(jobId), { hub: h.hubs.secondary }), "403.wrong-hub");
  });
});
