/**
 * The fault campaign: a program of 12 integrations, then 16 (exact
 * look-alikes, and a hand-made twin waiting in the hub) created, updated,
 * refreshed and destroyed under the real Pulumi CLI while the emulator loses
 * answers on every write route, answers reads with 5xx, fails a delete job
 * and outlives a verify deadline, and one `up` is killed (`kill -9`) half-way
 * and recovered with `pulumi-cycle recover`; the API's `Date` header goes
 * missing, then runs 3 h ahead, then 3 h behind its own timestamps; a
 * catalogue trickles in during a preview; and the listing goes down right
 * after a lost create answer, for longer than the search waits, so that the
 * create is recorded unsettled and the next `up` settles it. Seeded (CAMPAIGN_SEED) and bounded: every
 * fault is a counted rule, loopback only. It prints its figures and asserts
 * 0 orphans, 0 duplicates, 0 integrations touched that the stack did not
 * create, 0 credentials in any output, and an empty plan at the end.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";
import { audit as auditHub, CampaignFaults, CREDENTIALS, oursInHub, SECRET_VALUES, seeded } from "./campaignKit";
import {
  configure,
  createProject,
  declare,
  E2EProject,
  exportStack,
  killOperation,
  ok,
  OpResult,
  packageBin,
  pulumiCli,
  removeProject,
  run,
  start,
  emulatorConfig,
} from "./harness";

jest.setTimeout(600_000);

const SEED = Number(process.env.CAMPAIGN_SEED ?? 20261129);

const pick = seeded(SEED);

type Decl = { name: string; args: Record<string, unknown> };

/** Added later, and created by an `up` that is killed half-way. */
const LATE: Decl[] = [
  { name: "late-aws", args: { vendor: "aws", name: "Campaign late AWS", auth: CREDENTIALS.aws } },
  { name: "late-aws-twin", args: { vendor: "aws", name: "Campaign late AWS", auth: CREDENTIALS.aws } },
  { name: "late-vultr", args: { vendor: "vultr", name: "Campaign late Vultr", auth: CREDENTIALS.vultr } },
  { name: "late-backups", args: { vendor: "backblaze-b2", name: "Campaign late backups", auth: CREDENTIALS.b2, extra: { bucket: "late-bucket" } } },
];

function program(renamed = false, verifyDeadline = 1): Decl[] {
  const slow = { verifyTimeoutSeconds: verifyDeadline };
  return [
    { name: "aws-a", args: { vendor: "aws", name: "Campaign AWS", auth: CREDENTIALS.aws } },
    // An exact look-alike of aws-a, and of the hand-made twin in the hub.
    { name: "aws-b", args: { vendor: "aws", name: "Campaign AWS", auth: CREDENTIALS.aws } },
    { name: "b2-a", args: { vendor: "backblaze-b2", name: "Campaign backups", auth: CREDENTIALS.b2, extra: { bucket: "campaign-bucket" } } },
    { name: "b2-b", args: { vendor: "backblaze-b2", name: "Campaign backups", auth: CREDENTIALS.b2, extra: { bucket: "campaign-bucket" } } },
    { name: "zerossl", args: { vendor: "zerossl", name: renamed ? "Campaign ZeroSSL renamed" : "Campaign ZeroSSL", auth: CREDENTIALS.zerossl } },
    { name: "vultr", args: { vendor: "vultr", name: renamed ? "Campaign Vultr renamed" : "Campaign Vultr", auth: CREDENTIALS.vultr } },
    {
      name: "depot",
      args: { vendor: "depot", name: "Campaign builder", auth: CREDENTIALS.depot, extra: { project_id: renamed ? "fghij67890" : "abcde12345" } },
    },
    { name: "stripe", args: { vendor: "stripe", name: "Campaign billing", auth: CREDENTIALS.stripe } },
    { name: "certs", args: { vendor: "lets-encrypt", name: "Campaign certificates", extra: { email: "ops@example.com" } } },
    { name: "s3", args: { vendor: "aws-s3", name: "Campaign S3 backups", auth: CREDENTIALS.s3, extra: { bucket: "campaign.s3" } } },
    { name: "gcp", args: { vendor: "gcp", name: "Campaign GCP", auth: CREDENTIALS.gcp, extra: { project: "campaign-123" } } },
    // Verified past its deadline on the first up: the next up must follow the same job.
    { name: "slow", args: { vendor: "aws", name: "Campaign slow verify", auth: renamed ? CREDENTIALS.awsRotated : CREDENTIALS.aws, ...slow } },
  ];
}

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "campaign";
const outputs: string[] = [];
const figures = {
  ops: 0,
  timedOutVerifies: 0,
  killedUps: 0,
  recovered: 0,
  clockFaults: 0,
  trickles: 0,
  outages: 0,
  unsettledSettled: 0,
};
const HOURS_3 = 3 * 3_600_000;
let preExisting: Integration[] = [];
let faults: CampaignFaults;

beforeAll(async () => {
  // Steps long enough that a 1 s verify deadline passes (a verify job is 4 steps).
  emu = await startEmulator({ jobStepMs: 300, deleteGraceMs: 300 });
  faults = new CampaignFaults(emu, pick);
  project = createProject();
  // The search after a lost answer waits this long for a listing that fails (30 s by default).
  project.env.CYCLE_RECONCILE_TIMEOUT_SECONDS = "5";
  await configure(project, stack, emulatorConfig(emu));
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

async function op(name: string, opts: Record<string, unknown> = {}): Promise<OpResult> {
  figures.ops += 1;
  const r = await run(project, stack, name, opts);
  outputs.push(r.stdout ?? "", r.error ?? "");
  return r;
}

const loseAnswers = (count: number, method: string, path?: RegExp) => faults.loseAnswers(count, method, path);
const failReads = (count: number) => faults.failReads(count);

/** What the hub holds now, not counting what was there before the campaign. */
const ours = () => oursInHub(emu, emu.hubs.primary, preExisting);
const stateIds = () => exportStack(project, stack).integrations.map((r) => r.id as string);
const audit = () => auditHub(emu, emu.hubs.primary, preExisting, stateIds());

test("the campaign", async () => {
  console.log(`campaign seed ${SEED}`);
  // A hand-made twin of aws-a/aws-b, and an unrelated hand-made integration.
  preExisting = [
    emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: "Campaign AWS", auth: { key_id: CREDENTIALS.aws.keyId, secret: CREDENTIALS.aws.secret } },
      { state: "live" },
    ),
    emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "backblaze-b2", name: "Hand-made backups", auth: { key_id: CREDENTIALS.b2.keyId, secret: CREDENTIALS.b2.secret }, extra: { bucket: "portal" } },
      { state: "live" },
    ),
  ];
  await new Promise((r) => setTimeout(r, 1100)); // Beyond the Date header's one-second resolution.
  declare(project, stack, program());

  // 1. Create under lost answers (creates and verify tasks) and failing reads, with no Date header at all; one verify outlives its deadline.
  emu.faults.dateHeader("missing");
  figures.clockFaults += 1;
  loseAnswers(pick(2, 4), "POST", /\/integrations$/);
  loseAnswers(pick(1, 3), "POST", /\/tasks$/);
  failReads(pick(2, 4));
  figures.timedOutVerifies += 1;
  const first = await op("up");
  expect(first.ok).toBe(false);
  expect(first.error).toMatch(/still running after 1 s \(verifyTimeoutSeconds\)/);

  // 2. The next up, with a longer deadline, converges: it follows the running verify instead of starting another.
  emu.faults.reset();
  declare(project, stack, program(false, 60));
  const slowId = () => emu.integrations(emu.hubs.primary).find((i) => i.name === "Campaign slow verify")!.id;
  const slowJobsBefore = emu.requestLog.filter((e) => e.method === "POST" && e.path.includes(`${slowId()}/tasks`)).length;
  const second = ok(await op("up"));
  expect(emu.requestLog.filter((e) => e.method === "POST" && e.path.includes(`${slowId()}/tasks`)).length).toBe(slowJobsBefore);
  expect(Object.values(second.outputs ?? {}).map((o) => (o.value as { verified: boolean }).verified)).toEqual(Array(12).fill(true));
  expect(audit()).toEqual({ orphans: [], duplicates: [], touched: [] });
  expect(ours()).toHaveLength(12);

  // 3. Update under lost answers on PATCH and verify, failing reads, a Date header 3 h ahead: renames, an extra change, rotated credentials.
  declare(project, stack, program(true, 60));
  emu.faults.dateHeader("server", HOURS_3);
  figures.clockFaults += 1;
  loseAnswers(pick(1, 3), "PATCH");
  loseAnswers(1, "POST", /\/tasks$/);
  failReads(pick(2, 4));
  ok(await op("up"));
  expect(audit()).toEqual({ orphans: [], duplicates: [], touched: [] });

  // 4. kill -9 of an up half-way through creating 4 more (lost answers too), then `pulumi cancel`, `recover --yes`, `up`.
  emu.faults.reset();
  declare(project, stack, [...program(true, 60), ...LATE]);
  loseAnswers(1, "POST", /\/integrations$/);
  const lateNames = LATE.map((d) => d.args.name as string);
  const lateMade = () => ours().filter((i) => lateNames.includes(i.name));
  const interrupted = start(project, stack, "up");
  figures.ops += 1;
  for (let waited = 0; lateMade().length < 2 && waited < 120_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  killOperation(interrupted);
  figures.killedUps += 1;
  expect(await interrupted.result).toMatchObject({ ok: false });
  await new Promise((r) => setTimeout(r, 500));
  expect((await pulumiCli(project, ["cancel", "--stack", stack, "--yes"])).code).toBe(0);
  const recovered = await packageBin(project, "pulumi-cycle", ["recover", "--stack", stack, "--yes"]);
  outputs.push(recovered.stdout, recovered.stderr);
  expect(recovered.code).toBe(0);
  figures.recovered = exportStack(project, stack).integrations.length - 12;
  ok(await op("up"));
  expect(audit()).toEqual({ orphans: [], duplicates: [], touched: [] });
  expect(lateMade()).toHaveLength(4);

  // 5. Refresh with failing reads, then the plan is empty.
  emu.faults.reset();
  failReads(pick(1, 4));
  ok(await op("refresh"));
  emu.faults.reset();
  const plan = ok(await op("preview"));
  expect(plan.changes).toEqual({ same: 17 });

  // 5b. A preview whose catalogue trickles in at 1 byte a second ends, naming the deadline, instead of hanging.
  const outageDecl: Decl = {
    name: "outage",
    args: { vendor: "backblaze-b2", name: "Campaign outage backups", auth: CREDENTIALS.b2, extra: { bucket: "outage-bucket" } },
  };
  declare(project, stack, [...program(true, 60), ...LATE, outageDecl]);
  emu.faults.trickle(1, { method: "GET", path: /\/available$/ });
  figures.trickles += 1;
  const trickleStarted = Date.now();
  const trickled = await op("preview");
  expect(trickled.ok).toBe(false);
  expect(trickled.error).toMatch(/no complete answer within 15000 ms/);
  expect(Date.now() - trickleStarted).toBeLessThan(90_000);
  emu.faults.reset();

  // 5c. A lost create answer, then the listing down for longer than the search waits: the create is recorded
  // unsettled (under a placeholder ID), and the next up settles it to the one integration it made.
  const outageMade = () => ours().filter((i) => i.name === "Campaign outage backups");
  loseAnswers(1, "POST", /\/integrations$/);
  emu.faults.latency(300, { method: "POST", path: /\/integrations$/ });
  const outageUp = start(project, stack, "up");
  figures.ops += 1;
  for (let waited = 0; outageMade().length === 0 && waited < 120_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
  emu.faults.serverErrors(1000, 503, { method: "GET", path: /\/integrations$/ });
  figures.outages += 1;
  const outageResult = await outageUp.result;
  if (!outageResult) throw new Error("the up printed no result");
  outputs.push(outageResult.stdout ?? "", outageResult.error ?? "");
  expect(outageResult.ok).toBe(false);
  expect(outageResult.error).toMatch(/could not be searched for it within 5 s/);
  emu.faults.reset();
  expect(stateIds().filter((id) => id.startsWith("unsettled-create-"))).toHaveLength(1);
  expect(outageMade()).toHaveLength(1);
  ok(await op("up"));
  figures.unsettledSettled += 1;
  expect(stateIds().filter((id) => id.startsWith("unsettled-create-"))).toEqual([]);
  expect(outageMade()).toHaveLength(1);
  expect(audit()).toEqual({ orphans: [], duplicates: [], touched: [] });

  // 6. Destroy under lost DELETE answers and a failing delete job: it fails and keeps that one; the next destroy finishes.
  loseAnswers(pick(1, 3), "DELETE");
  faults.failDeleteJob();
  const destroy = await op("destroy");
  expect(destroy.ok).toBe(false);
  expect(destroy.error).toMatch(/the hub kept it/);
  expect(audit()).toEqual({ orphans: [], duplicates: [], touched: [] });
  // The last destroy under a Date header 3 h behind: deletes follow their jobs' own clock, not the deadline (300 s).
  emu.faults.reset();
  emu.faults.dateHeader("server", -HOURS_3);
  figures.clockFaults += 1;
  const destroyStarted = Date.now();
  ok(await op("destroy"));
  const destroySeconds = Math.round((Date.now() - destroyStarted) / 1000);
  expect(destroySeconds).toBeLessThan(120);

  const final = audit();
  const leaks = SECRET_VALUES.concat(emu.keys.admin).filter((s) => outputs.some((o) => o.includes(s)) || exportStack(project, stack).text.includes(s));
  console.log(
    `campaign: seed ${SEED}, ${figures.ops} CLI operations, ${faults.lostAnswers} lost answers, ${faults.serverErrors} 5xx on reads, ` +
      `${faults.failedDeleteJobs} failed delete job, ${figures.timedOutVerifies} timed-out verify, ${figures.killedUps} up killed (${figures.recovered} integrations recovered into state), ` +
      `${figures.clockFaults} Date faults (missing, +3 h, -3 h; last destroy ${destroySeconds} s), ${figures.trickles} trickled preview, ${figures.outages} listing outage after a lost answer (${figures.unsettledSettled} unsettled create settled); ` +
      `orphans ${final.orphans.length}, duplicates ${final.duplicates.length}, touched ${final.touched.length}, credentials in output ${leaks.length}, left in hub ${ours().length}`,
  );
  expect(final).toEqual({ orphans: [], duplicates: [], touched: [] });
  expect(ours()).toEqual([]);
  expect(leaks).toEqual([]);
  // The hand-made ones are still there, untouched.
  expect(emu.integrations(emu.hubs.primary).filter((i) => preExisting.some((p) => p.id === i.id) && i.state.current === "live")).toHaveLength(2);
});
