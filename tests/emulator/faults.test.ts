/** Fault injection: latency, 429, 5xx, dropped connections, job 404s, failing and expiring jobs. */
import { Integration, Job, JobDescriptor, ZERO_TIME } from "../../provider/api/contract";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { call, create, dataOf, expectError, paths, SAMPLE_BODIES, verify, waitForJob } from "./helpers";

let h: EmulatorHandle;

beforeAll(async () => {
  // Jobs readable at once, so that the jobNotFoundFor fault is the only source of 404.job here.
  h = await startEmulator({ jobStepMs: 10, deleteGraceMs: 1000, jobNotFoundReads: 0 });
});
afterEach(() => h.faults.reset());
afterAll(() => h.close());

const list = () => call(h, "GET", paths.integrations);
const get = async (id: string) => dataOf<Integration>(await call(h, "GET", paths.integration(id)));

describe("latency", () => {
  it("delays every response", async () => {
    h.faults.latency(120);
    const start = Date.now();
    const r = await list();
    expect(r.status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
    expect(h.requestLog.at(-1)!.durationMs).toBeGreaterThanOrEqual(110);
    // Errors are delayed too.
    const s2 = Date.now();
    expectError(await call(h, "GET", paths.integrations, { key: null }), "401.auth-invalid");
    expect(Date.now() - s2).toBeGreaterThanOrEqual(110);
  });

  it("can target one endpoint, and latency(0) clears it", async () => {
    h.faults.latency(600, { path: /^\/v1\/jobs\// });
    const s = Date.now();
    await list();
    expect(Date.now() - s).toBeLessThan(400);
    const s1 = Date.now();
    await call(h, "GET", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa"));
    expect(Date.now() - s1).toBeGreaterThanOrEqual(590);
    h.faults.latency(0);
    const s2 = Date.now();
    await call(h, "GET", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa"));
    expect(Date.now() - s2).toBeLessThan(400);
  });
});

describe("rateLimit", () => {
  it("answers the next N requests 429.rate-limiting with Retry-After", async () => {
    h.faults.rateLimit(2, 3);
    for (let n = 0; n < 2; n++) {
      const r = await list();
      expectError(r, "429.rate-limiting");
      expect(r.headers.get("retry-after")).toBe("3");
    }
    expect((await list()).status).toBe(200);
  });

  it("can target a method and path; a limited create creates nothing", async () => {
    h.faults.rateLimit(1, 1, { method: "POST", path: /\/integrations$/ });
    const before = h.integrations().length;
    expect((await list()).status).toBe(200);
    expectError(await call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws }), "429.rate-limiting");
    expect(h.integrations().length).toBe(before);
    expect((await call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws })).status).toBe(201);
  });

  it("comes before authentication, like a gateway", async () => {
    h.faults.rateLimit(1);
    expectError(await call(h, "GET", paths.integrations, { key: null }), "429.rate-limiting");
  });
});

describe("serverErrors", () => {
  it.each<[500 | 503 | 504, string]>([
    [503, "503.not-ready"],
    [500, "500.unknown"],
    [504, "504.not-available"],
  ])("%i answers %s as a root document", async (status, code) => {
    h.faults.serverErrors(1, status);
    expectError(await list(), code);
    expect((await list()).status).toBe(200);
  });

  it("defaults to 503", async () => {
    h.faults.serverErrors(1);
    expectError(await list(), "503.not-ready");
  });

  it("502 answers an HTML page, as a proxy would", async () => {
    h.faults.serverErrors(2, 502);
    for (let n = 0; n < 2; n++) {
      const r = await list();
      expect(r.status).toBe(502);
      expect(r.headers.get("content-type")).toMatch(/^text\/html/);
      expect(r.doc).toBeUndefined();
      expect(r.text).toMatch(/Bad Gateway/);
    }
    expect((await list()).status).toBe(200);
  });

  it("only hits matching requests", async () => {
    h.faults.serverErrors(1, 500, { method: "GET", path: /^\/v1\/jobs\// });
    expect((await list()).status).toBe(200);
    expectError(await call(h, "GET", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa")), "500.unknown");
  });
});

describe("dropConnections", () => {
  it("destroys the next N requests' connections without a response", async () => {
    h.faults.dropConnections(1);
    h.clearLog();
    await expect(fetch(h.url + paths.integrations, { headers: { Authorization: `Bearer ${h.keys.admin}`, "X-Hub-Id": h.hubs.primary } })).rejects.toThrow();
    expect((await list()).status).toBe(200);
    expect(h.requestLog.map((e) => e.status)).toEqual([0, 200]);
  });

  it("a dropped create changes nothing", async () => {
    h.faults.dropConnections(1, { method: "POST" });
    const before = h.integrations().length;
    await expect(call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws })).rejects.toThrow();
    expect(h.integrations().length).toBe(before);
  });
});

describe("loseResponses", () => {
  it("carries out the request, then drops the connection before the answer", async () => {
    h.faults.loseResponses(1, { method: "POST", path: /\/integrations$/ });
    const before = h.integrations().length;
    h.clearLog();
    await expect(call(h, "POST", paths.integrations, { body: { ...SAMPLE_BODIES.aws, name: "Lost answer create" } })).rejects.toThrow();
    expect(h.integrations().length).toBe(before + 1);
    expect(h.integrations().some((i) => i.name === "Lost answer create")).toBe(true);
    expect(h.requestLog.map((e) => e.status)).toEqual([0]);
    // Only the matching request was affected.
    expect((await list()).status).toBe(200);
  });
});

describe("loseResponses on every route that changes something", () => {
  /** Sends the request, which must get no answer, and returns what the log recorded for it. */
  async function lost(method: string, path: string, body?: unknown): Promise<number[]> {
    h.faults.loseResponses(1, { method, path: new RegExp(`^${path}$`) });
    h.clearLog();
    await expect(call(h, method, path, body === undefined ? {} : { body })).rejects.toThrow();
    return h.requestLog.map((e) => e.status);
  }

  it("PATCH: the change is made, the client hears nothing", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Lost patch before" });
    expect(await lost("PATCH", paths.integration(i.id), { name: "Lost patch after" })).toEqual([0]);
    expect((await get(i.id)).name).toBe("Lost patch after");
  });

  it("POST /tasks: the verify job exists and runs, the client hears nothing", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Lost verify" });
    const jobsBefore = h.jobs().length;
    expect(await lost("POST", paths.tasks(i.id), { action: "verify" })).toEqual([0]);
    const job = h.jobs().find((j) => (j.tasks[0].input as { integration_id: string }).integration_id === i.id);
    expect(h.jobs().length).toBe(jobsBefore + 1);
    expect((await get(i.id)).state.current).toBe("verifying");
    expect((await waitForJob(h, job!.id)).state.current).toBe("completed");
    expect((await get(i.id)).state.current).toBe("live");
  });

  it("DELETE: the delete job exists and the integration goes, the client hears nothing", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Lost delete" });
    expect(await lost("DELETE", paths.integration(i.id))).toEqual([0]);
    expect((await get(i.id)).state.current).toBe("deleting");
    const job = h.jobs().find((j) => j.caption === "Delete integration" && (j.tasks[0].input as { integration_id: string }).integration_id === i.id);
    expect((await waitForJob(h, job!.id)).state.current).toBe("completed");
    expect((await get(i.id)).state.current).toBe("deleted");
  });

  it("POST create: the integration exists, the client hears nothing", async () => {
    const before = h.integrations().length;
    expect(await lost("POST", paths.integrations, { ...SAMPLE_BODIES.aws, name: "Lost create again" })).toEqual([0]);
    expect(h.integrations().length).toBe(before + 1);
  });

  it("a request refused by the API is refused all the same; only the answer is lost", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Lost refusal" });
    expect(await lost("PATCH", paths.integration(i.id), { name: "abc" })).toEqual([0]);
    expect((await get(i.id)).name).toBe("Lost refusal");
  });
});

describe("jobNotFoundFor", () => {
  it("makes the first N reads of each new job answer 404.job", async () => {
    const old = await create(h, { ...SAMPLE_BODIES.aws, name: "Job before fault" });
    const oldJob = (await verify(h, old.id)).job!.id;
    h.faults.jobNotFoundFor(2);
    for (const name of ["Hidden job one", "Hidden job two"]) {
      const i = await create(h, { ...SAMPLE_BODIES.aws, name });
      const id = (await verify(h, i.id)).job!.id;
      expectError(await call(h, "GET", paths.job(id)), "404.job");
      expectError(await call(h, "GET", paths.job(id)), "404.job");
      expect(dataOf<Job>(await call(h, "GET", paths.job(id))).id).toBe(id);
    }
    // A job created before the fault is not affected.
    expect((await call(h, "GET", paths.job(oldJob))).status).toBe(200);
  });

  it("with a matcher, only jobs created by matching requests", async () => {
    h.faults.jobNotFoundFor(1, { method: "DELETE" });
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Matcher job" });
    const v = (await verify(h, i.id)).job!.id;
    expect((await call(h, "GET", paths.job(v))).status).toBe(200);
    await waitForJob(h, v);
    const d = dataOf<JobDescriptor>(await call(h, "DELETE", paths.integration(i.id))).job!.id;
    expectError(await call(h, "GET", paths.job(d)), "404.job");
    expect((await call(h, "GET", paths.job(d))).status).toBe(200);
  });
});

describe("failNextJobs / expireNextJobs", () => {
  it("failNextJobs: the next verify ends in error whatever the credentials", async () => {
    h.faults.failNextJobs(1);
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Injected failure" });
    const job = await waitForJob(h, (await verify(h, i.id)).job!.id);
    expect(job.state.current).toBe("error");
    expect(job.state.error?.message).toBeTruthy();
    const after = await get(i.id);
    expect(after.state.current).toBe("new");
    expect(after.state.error?.message).toBe(job.state.error!.message);
    // Only one: the next job succeeds.
    expect((await waitForJob(h, (await verify(h, i.id)).job!.id)).state.current).toBe("completed");
    expect((await get(i.id)).state.current).toBe("live");
  });

  it("a failed delete job rolls the integration back with state.error", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Undeletable one" });
    await waitForJob(h, (await verify(h, i.id)).job!.id);
    h.faults.failNextJobs(1, { method: "DELETE" });
    const d = dataOf<JobDescriptor>(await call(h, "DELETE", paths.integration(i.id)));
    expect((await get(i.id)).state.current).toBe("deleting");
    expect((await waitForJob(h, d.job!.id)).state.current).toBe("error");
    const after = await get(i.id);
    expect(after.state.current).toBe("live");
    expect(after.state.error).toBeDefined();
    expect(after.events.deleted).toBe(ZERO_TIME);
  });

  it("expireNextJobs: the job never starts and ends expired", async () => {
    h.faults.expireNextJobs(1);
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Expiring job" });
    const id = (await verify(h, i.id)).job!.id;
    const job = await waitForJob(h, id);
    expect(job.state.current).toBe("expired");
    expect(job.events.started).toBe(ZERO_TIME);
    expect(job.events.completed).toBe(ZERO_TIME);
    expect(job.tasks[0].state.current).toBe("pending");
    expect(job.expires).toBe(job.state.changed);
    const after = await get(i.id);
    expect(after.state.current).toBe("new");
    expect(after.state.error?.message).toMatch(/expired/);
  });
});

describe("controls", () => {
  it("reset clears every fault", async () => {
    h.faults.rateLimit(5);
    h.faults.serverErrors(5);
    h.faults.dropConnections(5);
    h.faults.latency(1000);
    h.faults.reset();
    const s = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - s).toBeLessThan(600);
  });

  it("refuses nonsense arguments", () => {
    expect(() => h.faults.rateLimit(-1)).toThrow(RangeError);
    expect(() => h.faults.latency(1.5)).toThrow(RangeError);
    expect(() => h.faults.serverErrors(1, 418 as 500)).toThrow(RangeError);
  });
});

describe("dateHeader", () => {
  it("by default the Date header reads the clock the API's timestamps are written in", async () => {
    const r = await list();
    const date = Date.parse(r.headers.get("date")!);
    const made = await create(h, SAMPLE_BODIES.aws);
    // Within the header's one-second resolution of the integration's own creation instant.
    expect(Math.abs(Date.parse(made.events.created) - date)).toBeLessThan(2_000);
  });

  it("skews the header only: the timestamps keep the server's clock", async () => {
    h.faults.dateHeader("server", 3 * 3_600_000, { method: "POST" });
    const r = await call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws });
    const made = dataOf<Integration>(r);
    const shown = Date.parse(r.headers.get("date")!);
    expect(shown - Date.parse(made.events.created)).toBeGreaterThan(3 * 3_600_000 - 2_000);
    expect(shown - Date.parse(made.events.created)).toBeLessThan(3 * 3_600_000 + 2_000);
    // Other requests are not matched.
    const listed = await list();
    expect(Math.abs(Date.parse(listed.headers.get("date")!) - Date.parse(made.events.created))).toBeLessThan(60_000);
  });

  it("leaves the header out, or writes one that is not a date", async () => {
    h.faults.dateHeader("missing");
    expect((await list()).headers.get("date")).toBeNull();
    h.faults.dateHeader("garbage");
    const garbled = (await list()).headers.get("date");
    expect(garbled).not.toBeNull();
    expect(Number.isNaN(Date.parse(garbled!))).toBe(true);
    h.faults.reset();
    expect(Number.isNaN(Date.parse((await list()).headers.get("date")!))).toBe(false);
  });

  it("is an option too, which reset keeps", async () => {
    const skewed = await startEmulator({ dateSkewMs: -3 * 3_600_000, jobStepMs: 10 });
    const missing = await startEmulator({ dateHeader: "missing", jobStepMs: 10 });
    try {
      skewed.faults.reset();
      const r = await call(skewed, "POST", paths.integrations, { body: SAMPLE_BODIES.aws });
      const made = dataOf<Integration>(r);
      expect(Date.parse(made.events.created) - Date.parse(r.headers.get("date")!)).toBeGreaterThan(3 * 3_600_000 - 2_000);
      expect((await call(missing, "GET", paths.integrations)).headers.get("date")).toBeNull();
    } finally {
      await skewed.close();
      await missing.close();
    }
    await expect(startEmulator({ dateHeader: "sometimes" as "missing" })).rejects.toThrow(/dateHeader/);
  });
});

describe("trickle", () => {
  it("sends the head at once and the body a few bytes a second", async () => {
    const made = await create(h, SAMPLE_BODIES.aws);
    h.faults.trickle(200, { path: /\/integrations\/[a-f0-9]{24}$/ });
    const started = Date.now();
    const res = await fetch(h.url + paths.integration(made.id), { headers: { Authorization: `Bearer ${h.keys.admin}`, "X-Hub-Id": h.hubs.primary } });
    const headAt = Date.now() - started;
    expect(res.status).toBe(200);
    const length = Number(res.headers.get("content-length"));
    const text = await res.text();
    const took = Date.now() - started;
    expect(headAt).toBeLessThan(500);
    expect(Buffer.byteLength(text)).toBe(length);
    // ceil(length / 200) writes, one a second, the first at once.
    expect(length).toBeGreaterThan(400);
    expect(took).toBeGreaterThanOrEqual((Math.ceil(length / 200) - 1) * 1000 - 50);
    expect(JSON.parse(text).data.id).toBe(made.id);
  }, 30_000);

  it("trickle(0) clears it; the option applies to every answer", async () => {
    h.faults.trickle(1);
    h.faults.trickle(0);
    const s = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - s).toBeLessThan(500);
    const slow = await startEmulator({ trickleBytesPerSecond: 300, jobStepMs: 10 });
    try {
      const made = slow.outOfBand.create(slow.hubs.primary, SAMPLE_BODIES.aws);
      const s2 = Date.now();
      const r = await call(slow, "GET", paths.integration(made.id));
      expect(r.status).toBe(200);
      expect(r.text.length).toBeGreaterThan(300);
      expect(Date.now() - s2).toBeGreaterThanOrEqual(900);
    } finally {
      await slow.close();
    }
  });
});

describe("gatewayErrors", () => {
  it("answers 502 after the delay without forwarding: nothing is created", async () => {
    h.faults.gatewayErrors(1, 300, { method: "POST", path: /\/integrations$/ });
    const before = h.integrations().length;
    const s = Date.now();
    const r = await call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws });
    expect(Date.now() - s).toBeGreaterThanOrEqual(290);
    expect(r.status).toBe(502);
    expect(r.headers.get("content-type")).toMatch(/text\/html/);
    expect(h.integrations().length).toBe(before);
    // Counted: the next one goes through.
    expect((await call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws })).status).toBe(201);
    expect(h.integrations().length).toBe(before + 1);
  });

  it("is reachable through the control plane, as are the other two", async () => {
    const post = (body: unknown) =>
      fetch(`${h.url}/_emulator/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ kind: "gatewayErrors", count: 1, delayMs: 10, match: { method: "GET" } })).status).toBeLessThan(300);
    expect((await list()).status).toBe(502);
    expect((await post({ kind: "dateHeader", mode: "missing" })).status).toBeLessThan(300);
    expect((await list()).headers.get("date")).toBeNull();
    expect((await post({ kind: "trickle", bytesPerSecond: 0 })).status).toBeLessThan(300);
    expect((await post({ kind: "dateHeader", mode: "tomorrow" })).status).toBe(422);
  });
});
