/**
 * The Cycle API client over real HTTP against the emulator (and, for what
 * the emulator cannot send, a raw port-0 server): every endpoint, every
 * error path, paging, retries proven by the request log, job tracking, ID
 * checks and redaction.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { CycleClient, CycleClientOptions } from "../../provider/api/client";
import { CycleApiError } from "../../provider/api/errors";
import { CycleJobError, JobProgress, waitForJob } from "../../provider/api/jobs";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_BAD, AWS_GOOD } from "../helpers/fixtures";

let emu: EmulatorHandle;
const sleeps: number[] = [];

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10, deleteGraceMs: 100 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.faults.reset();
  emu.clearLog();
  sleeps.length = 0;
});

/** A client whose sleeps are recorded and skipped, so retries are instant and exact. */
function client(over: Partial<CycleClientOptions> = {}): CycleClient {
  return new CycleClient({
    apiKey: emu.keys.admin,
    hubId: emu.hubs.primary,
    baseUrl: emu.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...over,
  });
}

const awsBody = (name: string) => ({ vendor: "aws", name, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } });

async function failure(p: Promise<unknown>): Promise<CycleApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CycleApiError);
  return err as CycleApiError;
}

describe("endpoints", () => {
  test("create, get, update, list, delete, with meta=definition", async () => {
    const c = client();
    const created = await c.createIntegration(awsBody("Client created"), { includeDefinition: true });
    expect(created).toMatchObject({ name: "Client created", vendor: "aws", identifier: "client-created", hub_id: emu.hubs.primary, state: { current: "new" } });
    expect(created.meta?.definition?.vendor).toBe("aws");

    const got = await c.getIntegration(created.id);
    expect(got.id).toBe(created.id);
    expect(got.meta).toBeUndefined();

    const updated = await c.updateIntegration(created.id, { name: "Client renamed" });
    expect(updated.name).toBe("Client renamed");

    const listed = await c.listIntegrations({ filter: { search: "client renamed" } });
    expect(listed.map((i) => i.id)).toEqual([created.id]);

    const descriptor = await c.deleteIntegration(created.id);
    expect(descriptor.job?.id).toMatch(/^[a-f0-9]{24}$/);
    await waitForJob(c, descriptor.job!.id, { sleep: async () => new Promise((r) => setTimeout(r, 5)) });
    expect(emu.requestLog.map((e) => `${e.method} ${e.path.split("?")[0].replace(/[a-f0-9]{24}/g, ":id")}`)).toEqual(
      expect.arrayContaining([
        "POST /v1/hubs/current/integrations",
        "GET /v1/hubs/current/integrations/:id",
        "PATCH /v1/hubs/current/integrations/:id",
        "GET /v1/hubs/current/integrations",
        "DELETE /v1/hubs/current/integrations/:id",
        "GET /v1/jobs/:id",
      ]),
    );
    expect(emu.requestLog.every((e) => e.hubId === emu.hubs.primary || e.path.startsWith("/v1/jobs/"))).toBe(true);
  });

  test("available lists definitions in all five categories", async () => {
    const available = await client().getAvailableIntegrations();
    expect(Object.keys(available).sort()).toEqual(["billing", "image-builders", "infrastructure-provider", "object-storage", "tls-certificate-generation"]);
    expect(available["infrastructure-provider"]?.some((d) => d.vendor === "aws")).toBe(true);
  });

  test("list follows pages to the end", async () => {
    const c = client({ hubId: emu.hubs.secondary, apiKey: emu.keys.otherHub });
    for (let n = 0; n < 23; n++) await c.createIntegration(awsBody(`Paged integration ${n}`));
    emu.clearLog();
    const all = await c.listIntegrations({ pageSize: 5, sort: "name" });
    expect(all).toHaveLength(23);
    expect(new Set(all.map((i) => i.id)).size).toBe(23);
    const pages = emu.requestLog.map((e) => new URLSearchParams(e.path.split("?")[1]).get("page[number]"));
    // Pages are followed until one comes back empty: a short page need not be the last.
    expect(pages).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(all.map((i) => i.name)).toEqual([...all.map((i) => i.name)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  test("filters reach the API", async () => {
    const c = client();
    await c.listIntegrations({ filter: { state: "live", category: "object-storage", search: "x" } });
    const q = new URLSearchParams(emu.requestLog[0].path.split("?")[1]);
    expect(q.get("filter[state]")).toBe("live");
    expect(q.get("filter[category]")).toBe("object-storage");
    expect(q.get("filter[search]")).toBe("x");
  });

  test("the hub can differ per call", async () => {
    const c = new CycleClient({ apiKey: emu.keys.otherHub, baseUrl: emu.url });
    await c.listIntegrations({}, { hubId: emu.hubs.secondary });
    expect(emu.requestLog[0].hubId).toBe(emu.hubs.secondary);
  });
});

describe("errors", () => {
  test("401 names the key setting and never the key", async () => {
    const err = await failure(client({ apiKey: "emu_wrong_key_123456" }).listIntegrations());
    expect(err).toMatchObject({ status: 401, code: "401.auth-invalid", kind: "api" });
    expect(err.message).toMatch(/cycle:apiKey/);
    expect(err.message).not.toContain("emu_wrong_key_123456");
  });

  test("403.permissions names the missing capability", async () => {
    const err = await failure(client({ apiKey: emu.keys.viewOnly }).createIntegration(awsBody("No permission")));
    expect(err).toMatchObject({ code: "403.permissions", capability: "hubs-integrations-manage" });
    expect(err.message).toContain("hubs-integrations-manage");
  });

  test("wrong hub and unknown hub", async () => {
    expect((await failure(client({ hubId: emu.hubs.secondary }).listIntegrations())).code).toBe("403.wrong-hub");
    expect((await failure(client({ hubId: "000000000000000000000000" }).listIntegrations())).code).toBe("404.hub");
  });

  test("404 for an integration that does not exist", async () => {
    const err = await failure(client().getIntegration("000000000000000000000000"));
    expect(err).toMatchObject({ status: 404, code: "404.hub.integration", isNotFound: true });
    expect(emu.requestLog).toHaveLength(1);
  });

  test("422 carries the source pointer, and no credential reaches the message", async () => {
    const bad = { vendor: "aws", name: "Bad key", auth: { key_id: "not-an-aws-key-AKIA", secret: AWS_GOOD.secret } };
    const err = await failure(client().createIntegration(bad));
    expect(err).toMatchObject({ status: 422, code: "422.invalid-argument", source: "/auth/key_id" });
    for (const text of [err.message, err.detail ?? "", err.title ?? "", JSON.stringify(err)]) {
      expect(text).not.toContain("not-an-aws-key-AKIA");
      expect(text).not.toContain(AWS_GOOD.secret);
      expect(text).not.toContain(emu.keys.admin);
    }
  });

  test("409 on a second integration of a single-instance vendor", async () => {
    const c = client({ hubId: emu.hubs.secondary, apiKey: emu.keys.otherHub });
    await c.createIntegration({ vendor: "lets-encrypt", name: "Certificates one", extra: { email: "a@example.com" } });
    const err = await failure(c.createIntegration({ vendor: "lets-encrypt", name: "Certificates two", extra: { email: "a@example.com" } }));
    expect(err.code).toBe("409.duplicate-found");
  });
});

describe("retries", () => {
  test("429 is retried after exactly the Retry-After", async () => {
    emu.faults.rateLimit(2, 3);
    const list = await client().listIntegrations();
    expect(Array.isArray(list)).toBe(true);
    expect(emu.requestLog.map((e) => e.status)).toEqual([429, 429, 200]);
    expect(sleeps).toEqual([3000, 3000]);
  });

  test("Retry-After is honoured in real time", async () => {
    emu.faults.rateLimit(1, 1);
    await new CycleClient({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, baseUrl: emu.url }).listIntegrations();
    const [first, second] = emu.requestLog;
    expect(first.status).toBe(429);
    expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(990);
  });

  test.each([
    // The emulator's 503.not-ready carries Retry-After: 1, which wins over backoff.
    [502, [188, 375]],
    [503, [1000, 1000]],
    [504, [188, 375]], // [d/2, d] at random 0.5: 250 ms then 500 ms
  ] as const)("%s is retried (sleeps %j)", async (status, expected) => {
    emu.faults.serverErrors(2, status);
    await client().listIntegrations();
    expect(emu.requestLog.map((e) => e.status)).toEqual([status, status, 200]);
    expect(sleeps).toEqual(expected);
  });

  test("a GET is retried on any 5xx, 500 included", async () => {
    emu.faults.serverErrors(1, 500);
    await client().getAvailableIntegrations();
    expect(emu.requestLog.map((e) => e.status)).toEqual([500, 200]);
  });

  test("a 500 on a POST create is not retried: its outcome is unknown", async () => {
    emu.faults.serverErrors(1, 500, { method: "POST" });
    const err = await failure(client().createIntegration(awsBody("Create meets 500")));
    expect(err.outcome).toBe("unknown");
    expect(emu.requestLog).toHaveLength(1);
  });

  test("a dropped connection is retried for a GET", async () => {
    emu.faults.dropConnections(1);
    await client().getAvailableIntegrations();
    expect(emu.requestLog.map((e) => e.status)).toEqual([0, 200]);
  });

  test("attempts run out with an error that says how many", async () => {
    emu.faults.serverErrors(10, 503);
    const err = await failure(client({ retry: { maxAttempts: 3 } }).listIntegrations());
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(/after 3 attempts/);
    expect(emu.requestLog).toHaveLength(3);
  });

  test("PATCH and DELETE are retried; verify-job creation too", async () => {
    const c = client();
    const i = await c.createIntegration(awsBody("Retry writes"));
    emu.clearLog();
    emu.faults.serverErrors(1, 503, { method: "PATCH" });
    emu.faults.serverErrors(1, 503, { method: "POST", path: /\/tasks$/ });
    await c.updateIntegration(i.id, { name: "Retry writes 2" });
    await c.createVerifyJob(i.id);
    expect(emu.requestLog.map((e) => `${e.method} ${e.status}`)).toEqual(["PATCH 503", "PATCH 200", "POST 503", "POST 202"]);
  });

  test("a create that failed with 503 is sent once: the caller reconciles (see the provider tests)", async () => {
    emu.faults.serverErrors(1, 503, { method: "POST", path: /\/integrations$/ });
    const err = await failure(client().createIntegration(awsBody("Ambiguous create")));
    expect(err.outcome).toBe("unknown");
    expect(emu.requestLog.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 503"]);
  });

  test("a create whose answer was lost is not sent again by the client", async () => {
    emu.faults.loseResponses(1, { method: "POST", path: /\/integrations$/ });
    const err = await failure(client().createIntegration(awsBody("Lost create answer")));
    expect(err.outcome).toBe("unknown");
    expect(emu.requestLog.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 0"]);
    expect(emu.integrations().filter((i) => i.name === "Lost create answer")).toHaveLength(1);
  });

  test("a rate-limited create is sent again: the API refused it", async () => {
    emu.faults.rateLimit(1, 0, { method: "POST" });
    const created = await client().createIntegration(awsBody("Rate limited create"));
    expect(created.name).toBe("Rate limited create");
    expect(emu.requestLog.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 429", "POST 201"]);
  });

  test("a create refused with 422 is not retried at all", async () => {
    await failure(client().createIntegration({ vendor: "aws", name: "x" }));
    expect(emu.requestLog).toHaveLength(1);
  });

  test("the per-request timeout applies, and a timed-out GET is retried", async () => {
    emu.faults.latency(300, { method: "GET", path: /\/available$/ });
    const err = await failure(client({ timeoutMs: 50, retry: { maxAttempts: 2 } }).getAvailableIntegrations());
    expect(err.kind).toBe("timeout");
    expect(err.attempts).toBe(2);
  });
});

describe("jobs", () => {
  async function verifyJobFor(c: CycleClient, auth = AWS_GOOD): Promise<string> {
    const i = await c.createIntegration({ vendor: "aws", name: `Job target ${Math.random()}`, auth: { key_id: auth.keyId, secret: auth.secret } });
    const d = await c.createVerifyJob(i.id);
    return d.job!.id;
  }
  const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20)));

  test("waits to completed and reports progress captions", async () => {
    const c = client();
    const jobId = await verifyJobFor(c);
    const seen: JobProgress[] = [];
    const job = await waitForJob(c, jobId, { sleep: realSleep, onProgress: (p) => seen.push(p) });
    expect(job.state.current).toBe("completed");
    expect(seen[seen.length - 1].state).toBe("completed");
    expect(seen.some((p) => p.task && p.step)).toBe(true);
  });

  test("tolerates 404.job right after creation", async () => {
    const c = client();
    emu.faults.jobNotFoundFor(3);
    const jobId = await verifyJobFor(c);
    emu.clearLog();
    const job = await waitForJob(c, jobId, { sleep: realSleep });
    expect(job.state.current).toBe("completed");
    expect(emu.requestLog.slice(0, 3).map((e) => e.status)).toEqual([404, 404, 404]);
  });

  test("gives up on 404.job after the grace period", async () => {
    const c = client();
    emu.faults.jobNotFoundFor(1000);
    const jobId = await verifyJobFor(c);
    const err = await waitForJob(c, jobId, { sleep: realSleep, notFoundGraceMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CycleApiError);
    expect((err as CycleApiError).code).toBe("404.job");
  });

  test("a failed job reports the job's and the task's errors, each once", async () => {
    const c = client();
    const jobId = await verifyJobFor(c, AWS_BAD);
    const err = (await waitForJob(c, jobId, { sleep: realSleep }).catch((e: unknown) => e)) as CycleJobError;
    expect(err).toBeInstanceOf(CycleJobError);
    expect(err.reason).toBe("error");
    expect(err.message).toMatch(/failed: .+/);
    // The client passes the job's text on as it is (it does not know the integration's
    // credentials); the resource layer redacts it (tests/provider/exactlyOnce.test.ts).
    expect(err.message).toMatch(/\/auth\/key_id/);
    // The emulator's task error repeats the job's word for word: said once.
    expect(err.message.split("the vendor rejected the credentials").length - 1).toBe(1);
  });

  test("an expired job is a failure", async () => {
    const c = client();
    emu.faults.expireNextJobs(1);
    const jobId = await verifyJobFor(c);
    const err = (await waitForJob(c, jobId, { sleep: realSleep }).catch((e: unknown) => e)) as CycleJobError;
    expect(err.reason).toBe("expired");
  });

  test("the overall deadline ends the wait", async () => {
    const slow = await startEmulator({ jobStepMs: 1000 });
    try {
      const c = new CycleClient({ apiKey: slow.keys.admin, hubId: slow.hubs.primary, baseUrl: slow.url });
      const i = await c.createIntegration(awsBody("Slow job"));
      const d = await c.createVerifyJob(i.id);
      const started = Date.now();
      const err = (await waitForJob(c, d.job!.id, { timeoutMs: 300 }).catch((e: unknown) => e)) as CycleJobError;
      expect(err.reason).toBe("timeout");
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await slow.close();
    }
  });
});

describe("input checks before any request", () => {
  test.each(["../jobs/651586fca6078e98982dbd90", "651586FCA6078E98982DBD90", "abc", ""])("refuses integration ID %p", async (id) => {
    await expect(client().getIntegration(id)).rejects.toThrow(/integration ID must be a Cycle ID/);
    await expect(client().updateIntegration(id, {})).rejects.toThrow(/integration ID/);
    await expect(client().deleteIntegration(id)).rejects.toThrow(/integration ID/);
    await expect(client().createVerifyJob(id)).rejects.toThrow(/integration ID/);
    await expect(client().getJob(id)).rejects.toThrow(/job ID/);
    expect(emu.requestLog).toHaveLength(0);
  });

  test("refuses plain http to a non-loopback host", () => {
    expect(() => new CycleClient({ apiKey: "k", baseUrl: "http://api.cycle.io" })).toThrow(/plain http/);
  });

  test("requires a hub for hub-scoped calls", async () => {
    await expect(new CycleClient({ apiKey: emu.keys.admin, baseUrl: emu.url }).listIntegrations()).rejects.toThrow(/hub ID is required/);
  });

  test("the key is not an enumerable property of the client", () => {
    const c = client();
    expect(JSON.stringify(c)).not.toContain(emu.keys.admin);
    expect(Object.keys(c)).not.toContain("apiKey");
  });

  test("log lines never hold the key", async () => {
    const lines: string[] = [];
    emu.faults.serverErrors(1, 503);
    await client({ log: (l) => lines.push(l) }).listIntegrations();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(emu.keys.admin);
  });
});

describe("against a raw server", () => {
  type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
  let server: http.Server;
  let url: string;
  const received: Received[] = [];
  let reply: (res: http.ServerResponse) => void = (res) => res.end();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        reply(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    received.length = 0;
  });

  const HUB = "651586fca6078e98982dbd90";
  const integrationDoc = (id: string) => ({
    id,
    name: "Headers check",
    vendor: "aws",
    identifier: "headers-check",
    auth: null,
    extra: null,
    creator: { id: HUB, type: "api-key" },
    hub_id: HUB,
    state: { current: "new", changed: "2026-01-01T00:00:00Z" },
    events: { created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z", deleted: "0001-01-01T00:00:00Z" },
  });

  test("an answer missing a field the provider relies on is a malformed response naming the field, never a value", async () => {
    reply = (res) => {
      const doc: Record<string, unknown> = integrationDoc("651586fca6078e98982dbd92");
      delete doc.state;
      doc.name = "raw-secret-key";
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: doc }));
    };
    const err = await failure(rawClient().createIntegration({ vendor: "aws", name: "Odd answer" }));
    expect(err.kind).toBe("malformed");
    expect(err.outcome).toBe("applied");
    expect(err.resourceId).toBe("651586fca6078e98982dbd92");
    expect(err.message).toMatch(/state/);
    expect(err.message).not.toContain("raw-secret-key");
    // Carried out: never sent again.
    expect(received).toHaveLength(1);
  });

  test("the Date header of every answer bounds the API's clock", async () => {
    const serverNow = Date.now() - 90_000;
    reply = (res) => {
      res.writeHead(200, { "content-type": "application/json", date: new Date(serverNow).toUTCString() });
      res.end(JSON.stringify({ data: [] }));
    };
    const c = rawClient();
    await c.listIntegrationsPage(1);
    const bounds = c.serverClock.offset()!;
    expect(bounds.low).toBeLessThanOrEqual(-90_000 + 1000);
    expect(bounds.high).toBeGreaterThan(-90_000 - 1000);
    expect(bounds.high - bounds.low).toBeLessThan(1000 + 200);
  });
  const rawClient = () => new CycleClient({ apiKey: "raw-secret-key", hubId: HUB, baseUrl: url, sleep: async () => undefined });

  test("sends the bearer key, the hub and JSON", async () => {
    reply = (res) => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: integrationDoc("651586fca6078e98982dbd91") }));
    };
    await rawClient().createIntegration({ vendor: "aws", name: "Headers check" });
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBe("Bearer raw-secret-key");
    expect(received[0].headers["x-hub-id"]).toBe(HUB);
    expect(received[0].headers["content-type"]).toBe("application/json");
    // The identifier the platform would derive is sent explicitly (valid whether or not the spec's `required` is right).
    expect(JSON.parse(received[0].body)).toEqual({ vendor: "aws", name: "Headers check", identifier: "headers-check" });
  });

  test("a non-JSON body is a malformed-response error, not a crash", async () => {
    reply = (res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>gateway</html>");
    };
    const err = await failure(rawClient().getAvailableIntegrations());
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/expected a JSON document, got text\/html/);
  });

  test("a JSON body without `data` is malformed", async () => {
    reply = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ nothing: true }));
    };
    expect((await failure(rawClient().getAvailableIntegrations())).kind).toBe("malformed");
  });

  test("an error status without an error document is malformed", async () => {
    reply = (res) => {
      res.writeHead(418, { "content-type": "application/json" });
      res.end("{}");
    };
    const err = await failure(rawClient().getAvailableIntegrations());
    expect(err).toMatchObject({ kind: "malformed", status: 418 });
  });

  test("a redirect is not followed (it could carry the key elsewhere)", async () => {
    reply = (res) => {
      res.writeHead(302, { location: "http://127.0.0.1:1/steal" });
      res.end();
    };
    const err = await failure(rawClient().getAvailableIntegrations());
    expect(err.status).toBe(302);
    expect(received).toHaveLength(1);
  });
});
