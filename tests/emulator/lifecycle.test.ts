/** Verify and delete jobs, the integration states they drive, and the job timeline. */
import { ID_PATTERN, Integration, Job, JobDescriptor, ZERO_TIME } from "../../provider/api/contract";
import { EmulatorHandle, startEmulator, VENDORS, VERIFY_FAIL_MARKER } from "../../emulator";
import { AWS_SECRET, call, create, dataOf, expectError, paths, SAMPLE_BODIES, sleep, verify, waitFor, waitForJob } from "./helpers";

const STEP = 50;
const GRACE = 300;
const SLOW_STEP = 150;
let h: EmulatorHandle;

beforeAll(async () => {
  h = await startEmulator({ jobStepMs: STEP, deleteGraceMs: GRACE });
});
afterAll(() => h.close());

const get = async (id: string): Promise<Integration> => dataOf<Integration>(await call(h, "GET", paths.integration(id)));
const t = (s: string): number => Date.parse(s);

describe("verify", () => {
  it("answers 202 with a JobDescriptor and goes new → verifying → live", async () => {
    const i = await create(h, SAMPLE_BODIES.aws);
    expect(i.state.current).toBe("new");
    const r = await call(h, "POST", paths.tasks(i.id), { body: { action: "verify" } });
    expect(r.status).toBe(202);
    const d = dataOf<JobDescriptor>(r);
    expect(d.action).toBe("verify");
    expect(d.job).toMatchObject({ accepted: true, parallel: { tasks: false } });
    expect(d.job!.id).toMatch(ID_PATTERN);
    expect(typeof d.job!.queue).toBe("string");
    expect(t(d.job!.schedule)).not.toBeNaN();
    expect(d.job!.tasks).toHaveLength(1);
    expect(d.job!.tasks![0]).toMatchObject({ caption: expect.any(String), header: "verify", input: { integration_id: i.id } });

    expect((await get(i.id)).state.current).toBe("verifying");
    const job = await waitForJob(h, d.job!.id);
    expect(job.state.current).toBe("completed");
    const live = await get(i.id);
    expect(live.state.current).toBe("live");
    expect(live.state.error).toBeUndefined();
    // The integration changed state when the job completed.
    expect(live.state.changed).toBe(job.events.completed);
  });

  it(`fails when an auth value contains "${VERIFY_FAIL_MARKER}", recording state.error`, async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Bad creds AWS", auth: { key_id: "AKIAINVALID000000000", secret: AWS_SECRET } });
    const d = await verify(h, i.id);
    const job = await waitForJob(h, d.job!.id);
    expect(job.state.current).toBe("error");
    expect(job.state.error?.message).toMatch(/auth\/key_id/);
    expect(job.tasks[0].state.current).toBe("error");
    expect(job.tasks[0].error?.message).toBeTruthy();
    const after = await get(i.id);
    expect(after.state.current).toBe("new");
    expect(after.state.error).toEqual({ message: job.state.error!.message, time: job.events.completed });
  });

  it("a later successful verify clears state.error; a re-verify of a live one is allowed", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.vultr, auth: { api_key: "INVALIDKEY0000000000000000000000000A" } });
    await waitForJob(h, (await verify(h, i.id)).job!.id);
    expect((await get(i.id)).state.error).toBeDefined();
    await call(h, "PATCH", paths.integration(i.id), { body: { auth: { api_key: "GOODKEY00000000000000000000000000000" } } });
    await waitForJob(h, (await verify(h, i.id)).job!.id);
    const live = await get(i.id);
    expect(live.state).toEqual({ current: "live", changed: expect.any(String) });
    const again = await verify(h, i.id);
    expect((await get(i.id)).state.current).toBe("verifying");
    await waitForJob(h, again.job!.id);
    expect((await get(i.id)).state.current).toBe("live");
  });

  it("is refused for a vendor that does not support verification (403.not-allowed)", async () => {
    const le = await create(h, SAMPLE_BODIES[VENDORS.letsEncrypt]);
    expectError(await call(h, "POST", paths.tasks(le.id), { body: { action: "verify" } }), "403.not-allowed");
    expect((await get(le.id)).state.current).toBe("new");
  });

  it("is refused while verifying or deleting (403.invalid-state)", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Busy AWS account" });
    await verify(h, i.id);
    expectError(await call(h, "POST", paths.tasks(i.id), { body: { action: "verify" } }), "403.invalid-state");
    await call(h, "DELETE", paths.integration(i.id));
    expectError(await call(h, "POST", paths.tasks(i.id), { body: { action: "verify" } }), "403.invalid-state");
  });

  it.each<[string, unknown, string, string | undefined]>([
    ["another action", { action: "start" }, "422.invalid-argument", "/action"],
    ["no action", {}, "422.missing-argument", "/action"],
    ["an action of the wrong type", { action: 1 }, "422.invalid-input", "/action"],
    ["extra properties", { action: "verify", contents: {} }, "422.invalid-input", "/contents"],
  ])("refuses %s", async (_what, body, code, source) => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Task body checks" });
    expectError(await call(h, "POST", paths.tasks(i.id), { body }), code, source);
    expect((await get(i.id)).state.current).toBe("new");
  });
});

describe("job timeline", () => {
  it("goes queued → running → completed with consistent timestamps", async () => {
    // A slower emulator of its own, so that each phase is observable even on a busy machine.
    // Jobs readable at once, the machine's clock and key creators, so each phase can be read and compared with Date.now() and the key.
    const slow = await startEmulator({ jobStepMs: SLOW_STEP, jobNotFoundReads: 0, clockOffsetMs: 0, creatorType: "api-key" });
    try {
      await timeline(slow);
    } finally {
      await slow.close();
    }
  });

  async function timeline(h: EmulatorHandle): Promise<void> {
    const STEP = SLOW_STEP;
    const readJob = async (id: string): Promise<Job> => dataOf<Job>(await call(h, "GET", paths.job(id)));
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Timeline AWS" });
    const before = Date.now();
    const id = (await verify(h, i.id)).job!.id;

    const queued = await readJob(id);
    expect(queued.state.current).toBe("queued");
    expect(queued.events.started).toBe(ZERO_TIME);
    expect(queued.events.completed).toBe(ZERO_TIME);
    expect(queued.tasks[0].state.current).toBe("pending");
    expect(queued.tasks[0].steps!.every((s) => s.started === ZERO_TIME && s.completed === ZERO_TIME)).toBe(true);
    expect(t(queued.events.queued)).toBeGreaterThanOrEqual(before - 5);

    const running = await waitFor(async () => {
      const j = await readJob(id);
      return j.state.current === "running" ? j : undefined;
    });
    expect(running.events.started).not.toBe(ZERO_TIME);
    expect(running.events.completed).toBe(ZERO_TIME);
    expect(running.tasks[0].state.current).toBe("running");
    expect(running.tasks[0].steps![0].started).toBe(running.events.started);

    const done = await waitForJob(h, id);
    expect(done).toMatchObject({
      id,
      hub_id: h.hubs.primary,
      limit_duplicates: true,
      creator: { type: "api-key", id: h.keyIds.admin },
      state: { current: "completed", error: null },
    });
    expect(done.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t(done.events.queued)).toBeLessThan(t(done.events.started));
    expect(t(done.events.started)).toBeLessThan(t(done.events.completed));
    expect(t(done.events.started) - t(done.events.queued)).toBe(STEP);
    expect(done.state.changed).toBe(done.events.completed);
    expect(t(done.expires)).toBeGreaterThan(t(done.events.completed));
    expect(done.schedule).toBe(done.events.queued);

    const task = done.tasks[0];
    expect(task.state.current).toBe("completed");
    expect(task.error).toBeNull();
    expect(task.output).not.toBeNull();
    expect(task.steps!.map((s) => s.caption)).toEqual(["Validating credentials", "Contacting vendor API", "Recording result"]);
    let last = t(done.events.started);
    for (const s of task.steps!) {
      expect(t(s.started)).toBe(last);
      expect(t(s.completed)).toBe(last + STEP);
      last = t(s.completed);
    }
    expect(last).toBe(t(done.events.completed));
  }

  it("a failed job stops at the failing step", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.vultr, name: "Failing steps", auth: { api_key: "XXXXXXXINVALIDXXXXXXXXXXXXXXXXXXXXXX" } });
    const done = await waitForJob(h, (await verify(h, i.id)).job!.id);
    const steps = done.tasks[0].steps!;
    expect(steps[0].completed).not.toBe(ZERO_TIME);
    expect(steps[1].started).not.toBe(ZERO_TIME);
    expect(steps[1].completed).toBe(ZERO_TIME);
    expect(steps[2].started).toBe(ZERO_TIME);
    expect(done.tasks[0].output).toBeNull();
  });
});

describe("delete", () => {
  it("goes deleting → deleted (readable for the grace period) → 404", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Doomed AWS account" });
    const r = await call(h, "DELETE", paths.integration(i.id));
    expect(r.status).toBe(202);
    const d = dataOf<JobDescriptor>(r);
    expect(d.action).toBe("delete");
    expect(d.job?.accepted).toBe(true);

    const deleting = await get(i.id);
    expect(deleting.state.current).toBe("deleting");
    expect(deleting.events.deleted).toBe(ZERO_TIME);
    // Still listed while deleting.
    expect(dataOf<Integration[]>(await call(h, "GET", `${paths.integrations}?page[size]=100`)).map((x) => x.id)).toContain(i.id);

    const job = await waitForJob(h, d.job!.id);
    expect(job.state.current).toBe("completed");
    const deleted = await get(i.id);
    expect(deleted.state.current).toBe("deleted");
    expect(deleted.events.deleted).toBe(job.events.completed);
    expect(dataOf<Integration[]>(await call(h, "GET", `${paths.integrations}?page[size]=100`)).map((x) => x.id)).not.toContain(i.id);

    // A second delete of a deleted integration is refused.
    expectError(await call(h, "DELETE", paths.integration(i.id)), "403.invalid-state");

    // The server's clock is not ours: convert its instant before waiting on it.
    await sleep(t(job.events.completed) - h.options.clockOffsetMs + GRACE - Date.now() + 20);
    expectError(await call(h, "GET", paths.integration(i.id)), "404.hub.integration");
    expectError(await call(h, "DELETE", paths.integration(i.id)), "404.hub.integration");
    expect(h.integrations().map((x) => x.id)).not.toContain(i.id);
  });

  it("a second delete while deleting is refused (403.invalid-state)", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Deleted twice" });
    await call(h, "DELETE", paths.integration(i.id));
    expectError(await call(h, "DELETE", paths.integration(i.id)), "403.invalid-state");
  });

  it("a delete during verification wins over the verify job", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Verify then delete" });
    const v = await verify(h, i.id);
    const del = dataOf<JobDescriptor>(await call(h, "DELETE", paths.integration(i.id)));
    await waitForJob(h, v.job!.id);
    expect((await get(i.id)).state.current).toBe("deleting");
    await waitForJob(h, del.job!.id);
    expect((await get(i.id)).state.current).toBe("deleted");
  });
});

describe("task steps (the spec's TaskStep)", () => {
  const STEP_KEYS = ["caption", "completed", "description", "started"];

  it("every JobDescriptor, verify and delete, has steps with caption, description and zero started/completed", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Described steps" });
    const v = await verify(h, i.id);
    await waitForJob(h, v.job!.id);
    const d = dataOf<JobDescriptor>(await call(h, "DELETE", paths.integration(i.id)));
    for (const desc of [v, d]) {
      const steps = desc.job!.tasks![0].steps ?? [];
      expect(steps.length).toBeGreaterThan(0);
      for (const s of steps) {
        expect(Object.keys(s).sort()).toEqual(STEP_KEYS);
        expect(s.caption).toEqual(expect.any(String));
        expect(s.description).toEqual(expect.any(String));
        // A job is never started in the instant it is created.
        expect([s.started, s.completed]).toEqual([ZERO_TIME, ZERO_TIME]);
      }
    }
  });

  it("a finished job's steps have real times, in order, on the job's timeline", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Timed steps" });
    const v = await verify(h, i.id);
    const job = await waitForJob(h, v.job!.id);
    const steps = job.tasks[0].steps!;
    expect(steps.map((s) => s.caption)).toEqual((v.job!.tasks![0].steps as Array<{ caption: string }>).map((s) => s.caption));
    expect(steps[0].started).toBe(job.events.started);
    expect(steps.at(-1)!.completed).toBe(job.events.completed);
    for (let k = 0; k < steps.length; k++) {
      expect(t(steps[k].completed)).toBeGreaterThan(t(steps[k].started));
      if (k > 0) expect(steps[k].started).toBe(steps[k - 1].completed);
    }
  });
});
