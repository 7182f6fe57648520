/**
 * The poller over HTTP against the (strict) emulator, with 25 ms of latency
 * per request: how many times it reads a job, and what a delete costs.
 * Request counts are asserted; timings never.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { CycleClient } from "../../provider/api/client";
import { JobHistory, waitForJob } from "../../provider/api/jobs";
import { remove } from "../../provider/resource/deletion";
import { ProviderSession } from "../../provider/resource/session";
import { AWS_GOOD } from "../helpers/fixtures";

jest.setTimeout(90_000);

const jobReads = (emu: EmulatorHandle, jobId?: string) => emu.requestLog.filter((e) => e.path.startsWith(jobId ? `/v1/jobs/${jobId}` : "/v1/jobs/")).length;

/** Each test starts with nothing learned: a fresh history, which every wait of the test shares (as a provider session's waits do). */
async function withEmulator(stepMs: number, body: (emu: EmulatorHandle, c: CycleClient, history: JobHistory) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ jobStepMs: stepMs, deleteGraceMs: 60_000 });
  emu.faults.latency(25);
  try {
    await body(emu, new CycleClient({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, baseUrl: emu.url }), new JobHistory());
  } finally {
    await emu.close();
  }
}

let n = 0;
async function verifyJob(c: CycleClient): Promise<string> {
  const i = await c.createIntegration({ vendor: "aws", name: `Poll target ${++n}`, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } });
  return (await c.createVerifyJob(i.id)).job!.id;
}

/** Runs `work` on every item, `parallel` at a time (Pulumi's engine bounds its parallelism the same way). */
async function pool<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

describe("verify jobs of 1 s (4 steps of 250 ms)", () => {
  test("the first of its kind is read at most 4 times (its 404 included); each later one twice: the 404 and at its end", async () => {
    await withEmulator(250, async (emu, c, history) => {
      const first = await verifyJob(c);
      await waitForJob(c, first, { kind: "verify", history });
      expect(jobReads(emu, first)).toBeLessThanOrEqual(4);
      for (let i = 0; i < 5; i++) {
        const id = await verifyJob(c);
        expect((await waitForJob(c, id, { kind: "verify", history })).state.current).toBe("completed");
        expect(jobReads(emu, id)).toBe(2);
      }
    });
  });

  test("eight at once, first of their kind: one explores, the others wait for what it learns", async () => {
    await withEmulator(250, async (emu, c, history) => {
      const ids = await Promise.all(Array.from({ length: 8 }, () => verifyJob(c)));
      emu.clearLog();
      const jobs = await Promise.all(ids.map((id) => waitForJob(c, id, { kind: "verify", history })));
      expect(jobs.every((j) => j.state.current === "completed")).toBe(true);
      const reads = ids.map((id) => jobReads(emu, id)).sort((a, b) => a - b);
      expect(reads.slice(0, 7)).toEqual([2, 2, 2, 2, 2, 2, 2]);
      expect(reads[7]).toBeLessThanOrEqual(4);
    });
  });

  test("a 404.job right after creation is still tolerated, and a failing job still fails", async () => {
    await withEmulator(250, async (emu, c, history) => {
      emu.faults.jobNotFoundFor(3);
      const id = await verifyJob(c);
      expect((await waitForJob(c, id, { kind: "verify", history })).state.current).toBe("completed");
      expect(
        emu.requestLog
          .filter((e) => e.path.startsWith(`/v1/jobs/${id}`))
          .slice(0, 3)
          .map((e) => e.status),
      ).toEqual([404, 404, 404]);
      emu.faults.jobNotFoundFor(0);
      emu.faults.failNextJobs(1);
      const bad = await verifyJob(c);
      await expect(waitForJob(c, bad, { kind: "verify", history })).rejects.toMatchObject({ name: "CycleJobError", reason: "error" });
    });
  });
});

describe("destroy", () => {
  // One session per test, shared by its deletes, as one provider process's are.
  const context = (emu: EmulatorHandle) => ({
    settings: { apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url },
    env: {},
    session: new ProviderSession(),
  });

  test("of N integrations, 8 at a time, first deletes of the process: at most 3N requests", async () => {
    await withEmulator(250, async (emu) => {
      const ctx = context(emu);
      const N = 20;
      const ids = Array.from(
        { length: N },
        (_, i) =>
          emu.outOfBand.create(
            emu.hubs.primary,
            { vendor: "aws", name: `Destroy me ${i}`, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
            { state: "live" },
          ).id,
      );
      emu.clearLog();
      await pool(ids, 8, (id) => remove(ctx, id, { hubId: emu.hubs.primary, integrationId: id }));
      expect(
        emu
          .integrations(emu.hubs.primary)
          .filter((i) => ids.includes(i.id))
          .every((i) => i.state.current === "deleted"),
      ).toBe(true);
      expect(emu.requestLog.filter((e) => e.method === "DELETE")).toHaveLength(N);
      expect(emu.requestLog.length).toBeLessThanOrEqual(3 * N);
    });
  });

  test("a delete job that fails is still a failure, and the integration stays", async () => {
    await withEmulator(100, async (emu) => {
      const ctx = context(emu);
      const id = emu.outOfBand.create(
        emu.hubs.primary,
        { vendor: "aws", name: "Keep me please", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
        { state: "live" },
      ).id;
      emu.faults.failNextJobs(1);
      await expect(remove(ctx, id, { hubId: emu.hubs.primary, integrationId: id })).rejects.toThrow(/failed, and the hub kept it/);
      expect(emu.integrations(emu.hubs.primary).find((i) => i.id === id)?.state.current).toBe("live");
    });
  });
});

describe("a 30 s verify job (4 steps of 7.5 s)", () => {
  test("the first of its kind: at most 8 reads, the 404 included; three others at once: 2 reads each", async () => {
    await withEmulator(7500, async (emu, c, history) => {
      const ids = await Promise.all(Array.from({ length: 4 }, () => verifyJob(c)));
      emu.clearLog();
      await Promise.all(ids.map((id) => waitForJob(c, id, { kind: "verify", history })));
      const reads = ids.map((id) => jobReads(emu, id)).sort((a, b) => a - b);
      expect(reads.slice(0, 3)).toEqual([2, 2, 2]);
      expect(reads[3]).toBeLessThanOrEqual(8);
    });
  });
});
