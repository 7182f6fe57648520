/**
 * `npm run test:live` (tests/live), the check against the real Cycle API,
 * run here against the emulator with its strict defaults: the whole
 * lifecycle under the real Pulumi CLI, and a report that must show what the
 * emulator is known to do where the contract leaves the API open (its clock
 * an hour behind, pages of at most 25, search by name only, credentials never
 * echoed, creations recorded as the account's, a new job's first read
 * `404.job`). Also: the one-line skip, and the clean-up after a destroy that
 * failed, which deletes by ID only what this run recorded under its names.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { CycleClient } from "../../provider/api/client";
import { Redactor } from "../../provider/api/redact";
import { cleanUp, DestroyableStack } from "../live/cleanup";
import { timeJob } from "../live/jobs";
import { main } from "../live/main";
import type { LiveReport } from "../live/report";

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, "..", "..");
const AWS_AUTH = { key_id: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const HOUR_BEHIND = -3_600_000;

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-live-"));
});
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** The environment without any Cycle setting of the person running the tests. */
function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("CYCLE_")) delete env[k];
  return env;
}

describe("skipped", () => {
  test("npm run test:live without CYCLE_LIVE prints one line saying why, and exits 0", async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn("npm", ["run", "--silent", "test:live"], { cwd: ROOT, env: cleanEnv() });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(r).toEqual({ code: 0, stdout: expect.any(String), stderr: "" });
    expect(r.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^live check skipped: CYCLE_LIVE is not 1 \(/)]);
  });

  test("CYCLE_LIVE=1 without a key: one line naming it, exit 0, nothing written", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const reportFile = path.join(work, "never.json");
    const code = await main(
      { CYCLE_LIVE: "1", CYCLE_HUB_ID: "0123456789abcdef01234567", CYCLE_LIVE_REPORT: reportFile },
      { build: false, out: (t) => out.push(t), err: (t) => err.push(t) },
    );
    expect({ code, out, err }).toEqual({ code: 0, out: ["live check skipped: CYCLE_LIVE=1 but CYCLE_API_KEY is not set"], err: [] });
    expect(fs.existsSync(reportFile)).toBe(false);
  });

  test("a hub ID that cannot be one: exit 2 before any request", async () => {
    const err: string[] = [];
    const code = await main(
      { CYCLE_LIVE: "1", CYCLE_API_KEY: "k-0123456789", CYCLE_HUB_ID: "my-hub" },
      { build: false, out: () => undefined, err: (t) => err.push(t) },
    );
    expect({ code, err }).toEqual({ code: 2, err: ["live check: CYCLE_HUB_ID must be a hub ID: 24 lowercase hexadecimal characters"] });
  });
});

describe("against the emulator", () => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulator({ jobStepMs: 100, deleteGraceMs: 2_000, clockOffsetMs: HOUR_BEHIND });
  });
  afterAll(async () => {
    await emu?.close();
  });

  test("create, refresh, rename, read back and destroy under the CLI; the report shows what the emulator does", async () => {
    // Someone else's integrations: more than a page holds, with credentials.
    const seeded = Array.from({ length: 30 }, (_, n) =>
      emu.outOfBand.create(emu.hubs.primary, { vendor: "aws", name: `Seeded AWS ${n}`, auth: AWS_AUTH }, { state: "live" }),
    );
    const reportFile = path.join(work, "live-report.json");
    const out: string[] = [];
    const err: string[] = [];
    const env = { CYCLE_LIVE: "1", CYCLE_API_URL: emu.url, CYCLE_API_KEY: emu.keys.admin, CYCLE_HUB_ID: emu.hubs.primary, CYCLE_LIVE_REPORT: reportFile };
    const code = await main(env, { build: false, languageHost: "test", out: (t) => out.push(t), err: (t) => err.push(t) });

    const text = fs.readFileSync(reportFile, "utf8");
    const report = JSON.parse(text) as LiveReport;
    expect({ code, outcome: report.outcome, failure: report.failure }).toEqual({ code: 0, outcome: "passed", failure: undefined });
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(report.steps.map((s) => s.name)).toEqual([
      "Date header against this machine's clock",
      "choose a vendor that needs no credentials",
      "pulumi stack init and config",
      "pulumi up: create lets-encrypt",
      "read it back through the API",
      "filter[search]",
      "page sizes",
      "pulumi refresh",
      "rename (pulumi up: an update in place)",
      "read back after the rename; pulumi preview --expect-no-changes",
      "pulumi destroy",
    ]);
    expect(report.vendor).toMatchObject({ chosen: "lets-encrypt", supportsVerification: false, extraKeys: ["email"] });

    // The clock: an hour behind, by the Date header; events.created on that clock.
    const offset = report.clock!.offsetMs!;
    expect(offset.low).toBeLessThanOrEqual(HOUR_BEHIND);
    expect(offset.high).toBeGreaterThan(HOUR_BEHIND);
    expect(report.creation).toMatchObject({ withinUpOnMachineClock: false, withinUpOnServerClock: true });

    // Pages: 25 at most, paging on until an empty page loses nothing; 101 refused.
    expect(report.paging).toMatchObject({ total: seeded.length + 1, cap: 25, seenAtSize100: seeded.length + 1 });
    expect(report.paging!.answers.find((a) => a.asked === 101)?.refused).toMatch(/^422 /);
    expect(report.paging!.answers.find((a) => a.asked === 20)?.served).toBe(20);

    expect(report.search).toMatchObject({ byName: true, byNameOtherCase: true, byIdentifier: false, byVendor: false });
    expect(report.authEcho).toMatchObject({ ours: "null", hubWithValues: 0, hubRead: seeded.length + 1 });
    expect(report.creatorType).toBe("account");

    // The delete job: timed on the API's clock; its first read (the provider's, or this check's) answered 404.
    expect(report.jobs).toHaveLength(1);
    const [job] = report.jobs;
    expect(job).toMatchObject({ kind: "delete", state: "completed" });
    expect(job.queuedToCompletedMs).toBeGreaterThan(0);
    expect(job.providerReads.length > 0 ? job.providerReads[0] : job.checkReads[0]).toEqual(job.providerReads.length > 0 ? 404 : "404.job");
    expect(report.requests!.count).toBeGreaterThan(0);
    expect(report.answers).toHaveLength(10);

    // Clean: the integration is gone, nothing else was changed, the stack directory removed.
    expect(report.cleanup).toEqual({ destroyed: true, deletedById: [], leftBehind: [] });
    const ours = emu.integrations(emu.hubs.primary).find((i) => i.id === report.integrationId);
    expect(ours === undefined || ours.state.current === "deleted").toBe(true);
    const writes = emu.requestLog.filter((r) => r.method !== "GET");
    expect(writes.filter((r) => r.method === "POST").map((r) => r.path.split("?")[0])).toEqual(["/v1/hubs/current/integrations"]);
    expect(writes.filter((r) => r.method !== "POST").every((r) => r.path.includes(report.integrationId!))).toBe(true);
    for (const s of seeded) expect(emu.integrations(emu.hubs.primary).find((i) => i.id === s.id)).toMatchObject({ name: s.name, state: { current: "live" } });
    expect(fs.existsSync(path.join(ROOT, ".cache", "live", report.runName))).toBe(false);

    // What it printed: the report, never the key.
    const printed = out.join("\n");
    expect(printed).toContain(`Live check against ${emu.url}, hub ${emu.hubs.primary}: PASSED`);
    expect(printed).toContain("a page holds at most 25 items whatever page[size] asks");
    for (const t of [text, printed, err.join("\n")]) expect(t).not.toContain(emu.keys.admin);
  });
});

describe("clean-up and job timing, against the emulator without the CLI", () => {
  let emu: EmulatorHandle;
  let client: CycleClient;
  beforeAll(async () => {
    emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
    client = new CycleClient({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, baseUrl: emu.url });
  });
  afterAll(async () => {
    await emu?.close();
  });

  const NAMES = ["pulumi-cycle-live-20260101000000-abcd", "pulumi-cycle-live-20260101000000-abcd-renamed"];
  const aws = (name: string) => ({ vendor: "aws", name, auth: AWS_AUTH });
  const stackThat = (code: number, inState: string[]): DestroyableStack => ({
    destroy: async () => ({
      result: { code, stdout: "", stderr: code ? "error: the delete job failed" : "", command: "pulumi destroy" },
      ms: 5,
      output: code ? "error: the delete job failed" : "",
    }),
    integrationIdsInState: async () => inState,
  });
  const state = (id: string) => emu.integrations(emu.hubs.primary).find((i) => i.id === id)?.state.current;

  test("after a failed destroy: what this run recorded under its names is deleted by ID; nothing else is touched", async () => {
    const ours = await client.createIntegration(aws(NAMES[1]));
    const renamedByOthers = await client.createIntegration(aws("Renamed in the portal"));
    const lookAlike = await client.createIntegration(aws(NAMES[0]));
    const r = await cleanUp(stackThat(1, [renamedByOthers.id]), {
      client,
      createdIds: new Set([ours.id]),
      names: NAMES,
      redactor: new Redactor([emu.keys.admin]),
      deleteWaitMs: 10_000,
    });

    expect(r.step).toMatchObject({ name: "pulumi destroy", ok: false, note: "error: the delete job failed" });
    expect(r.cleanup).toEqual({
      destroyed: false,
      deletedById: [ours.id],
      leftBehind: [`${renamedByOthers.id} (named "Renamed in the portal", not one of this run's names: not touched)`],
    });
    expect(r.failure).toBe("pulumi destroy failed");
    expect(["deleting", "deleted", undefined]).toContain(state(ours.id));
    expect(state(renamedByOthers.id)).toBe("new");
    // Named like this run's, but recorded nowhere by it: never matched by name.
    expect(state(lookAlike.id)).toBe("new");
  });

  test("a destroy that reports success while the integration stays is a failure, and the integration is deleted", async () => {
    const ours = await client.createIntegration(aws(NAMES[0]));
    const r = await cleanUp(stackThat(0, []), {
      client,
      createdIds: new Set([ours.id]),
      names: NAMES,
      redactor: new Redactor([emu.keys.admin]),
      deleteWaitMs: 10_000,
    });
    expect(r.cleanup).toEqual({ destroyed: true, deletedById: [ours.id], leftBehind: [] });
    expect(r.failure).toBe(`pulumi destroy succeeded, but the hub still has ${ours.id} (new)`);
  });

  test("a verify job's timeline, read again after the 404.job of its first read", async () => {
    const i = await client.createIntegration(aws("Timed verification"));
    const jobId = (await client.createVerifyJob(i.id)).job!.id;
    await new Promise((r) => setTimeout(r, 300));
    const slept: number[] = [];
    const t = await timeJob(
      client,
      { kind: "verify", jobId },
      [{ method: "GET", path: `/v1/jobs/${jobId}`, status: 200, ms: 3 }],
      async (ms) => void slept.push(ms),
    );
    expect(t).toMatchObject({ kind: "verify", jobId, state: "completed", providerReads: [200], checkReads: ["404.job", 200] });
    expect(slept).toEqual([1000]);
    expect(t.startedToCompletedMs).toBeGreaterThan(0);
    expect(t.queuedToCompletedMs).toBe(t.queuedToStartedMs! + t.startedToCompletedMs!);
  });

  test("already gone: nothing to do", async () => {
    const ours = await client.createIntegration(aws(NAMES[0]));
    emu.outOfBand.purge(ours.id);
    const r = await cleanUp(stackThat(0, [ours.id]), { client, createdIds: new Set([ours.id]), names: NAMES, redactor: new Redactor([]) });
    expect(r).toMatchObject({ cleanup: { destroyed: true, deletedById: [], leftBehind: [] }, failure: undefined });
  });
});
