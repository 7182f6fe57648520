/**
 * The fault campaign's YAML leg: the guarantees of campaign.test.ts under
 * the native provider plugin. A Pulumi YAML program of `cycle:index:Integration`
 * resources (six, then nine: look-alikes of each other and of a hand-made
 * twin waiting in the hub, credentials from secret config and as literals)
 * run by the real CLI and its YAML language host, through up, an update (a rename, a changed
 * `extra`, a rotated credential), a killed `up` recovered with
 * `npx pulumi-cycle recover`, refresh and destroy, while the emulator loses
 * answers on every write route (create, PATCH, DELETE, the verify job's
 * POST), answers reads with 5xx, fails a delete job and outlives a verify
 * deadline. Seeded (CAMPAIGN_SEED), every fault a counted rule, loopback
 * only. It prints its figures and asserts 0 orphans, 0 duplicates, 0
 * integrations touched that the stack did not create, 0 credentials in any
 * command's output or stack export, an empty plan, and a hub empty of ours
 * after destroy with the twin intact.
 *
 * The package is this checkout, linked into the programs' directory as
 * `npm link` would (the build jest's global setup makes): packing and
 * installing it would cost more than the campaign itself, and the YAML
 * suites already run the packed package.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";
import { audit as auditHub, CampaignFaults, CREDENTIALS, dealtFaults, oursInHub, SECRET_VALUES, seeded } from "./campaignKit";
import { killAll, processTree, runCommand } from "./harness";
import { CommandRecord, credentialHits, emulatorConnection, INTEGRATION_TYPE, must, transcriptTexts, YamlProgram, YamlWorkspace } from "./yaml/harness";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
const SEED = Number(process.env.CAMPAIGN_SEED ?? 20261206);
const pick = seeded(SEED);

type Decl = { name: string; properties: Record<string, unknown> };

/** Credentials from secret stack config, as the quick start takes them; the others are literals in the program. */
const CONFIG_SECRETS = {
  awsKeyId: CREDENTIALS.aws.keyId,
  awsSecret: CREDENTIALS.aws.secret,
  awsRotatedKeyId: CREDENTIALS.awsRotated.keyId,
  awsRotatedSecret: CREDENTIALS.awsRotated.secret,
};
const awsAuth = { keyId: "${awsKeyId}", secret: "${awsSecret}" };
const awsRotatedAuth = { keyId: "${awsRotatedKeyId}", secret: "${awsRotatedSecret}" };

function integrations(phase: { updated?: boolean; verifyTimeoutSeconds?: number; late?: boolean } = {}): Decl[] {
  const base: Decl[] = [
    // Exact look-alikes of each other and of the hand-made twin in the hub.
    { name: "awsA", properties: { vendor: "aws", name: "Campaign AWS", auth: awsAuth } },
    { name: "awsB", properties: { vendor: "aws", name: "Campaign AWS", auth: awsAuth } },
    {
      name: "backups",
      properties: {
        vendor: "backblaze-b2",
        name: "Campaign backups",
        auth: CREDENTIALS.b2,
        extra: { bucket: phase.updated ? "campaign-bucket-2" : "campaign-bucket" },
      },
    },
    { name: "zerossl", properties: { vendor: "zerossl", name: phase.updated ? "Campaign ZeroSSL renamed" : "Campaign ZeroSSL", auth: CREDENTIALS.zerossl } },
    { name: "certs", properties: { vendor: "lets-encrypt", name: "Campaign certificates", extra: { email: "ops@example.com" } } },
    // Its credential rotated by the update, whose verify outlives the deadline.
    {
      name: "slow",
      properties: {
        vendor: "aws",
        name: "Campaign slow verify",
        auth: phase.updated ? awsRotatedAuth : awsAuth,
        ...(phase.verifyTimeoutSeconds === undefined ? {} : { verifyTimeoutSeconds: phase.verifyTimeoutSeconds }),
      },
    },
  ];
  const late: Decl[] = [
    // Look-alikes again of awsA, awsB and the hand-made twin: recover must tell them apart by when they were made.
    { name: "lateAws", properties: { vendor: "aws", name: "Campaign AWS", auth: awsAuth } },
    { name: "lateAwsTwin", properties: { vendor: "aws", name: "Campaign AWS", auth: awsAuth } },
    { name: "lateVultr", properties: { vendor: "vultr", name: "Campaign late Vultr", auth: CREDENTIALS.vultr } },
  ];
  return phase.late ? [...base, ...late] : base;
}

/** YAML of a value: block mappings, JSON-quoted scalars (valid YAML; `${...}` interpolates inside them). */
function yaml(value: unknown, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      v !== null && typeof v === "object" ? [`${pad}${k}:`, ...yaml(v, indent + 2)] : [`${pad}${k}: ${JSON.stringify(v)}`],
    );
  }
  return [`${pad}${JSON.stringify(value)}`];
}

/** The program's body: its secret config, the resources, and each one's ID and verified flag as outputs. */
function programBody(decls: Decl[]): string {
  const config = Object.fromEntries(Object.keys(CONFIG_SECRETS).map((k) => [k, { type: "string", secret: true }]));
  const resources = Object.fromEntries(decls.map((d) => [d.name, { type: "cycle:Integration", properties: d.properties }]));
  const outputs = Object.fromEntries(decls.map((d) => [d.name, { id: `\${${d.name}.id}`, verified: `\${${d.name}.verified}` }]));
  return ["config:", ...yaml(config, 2), "resources:", ...yaml(resources, 2), "outputs:", ...yaml(outputs, 2)].join("\n");
}

/**
 * A programs' directory whose `node_modules/pulumi-cycle` is this checkout:
 * `packages: cycle: ../node_modules/pulumi-cycle/bin` finds its plugin, and
 * `npx pulumi-cycle` its CLI (a launcher in `node_modules/.bin`, as npm
 * makes one for a package's bin).
 */
function linkedWorkspace(): YamlWorkspace {
  const linked = YamlWorkspace.empty();
  const modules = path.join(linked.root, "node_modules");
  fs.mkdirSync(path.join(modules, ".bin"), { recursive: true });
  fs.symlinkSync(ROOT, path.join(modules, "pulumi-cycle"), "dir");
  const cli = path.join(modules, ".bin", "pulumi-cycle");
  fs.writeFileSync(cli, '#!/bin/sh\nexec node "$(dirname "$0")/../pulumi-cycle/bin/provider/cli/main.js" "$@"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(linked.root, "package.json"), JSON.stringify({ name: "cycle-yaml-campaign", private: true }));
  return linked;
}

let emu: EmulatorHandle;
let ws: YamlWorkspace;
let prog: YamlProgram;
let faults: CampaignFaults;
let preExisting: Integration[] = [];
const stateExports: Array<{ label: string; text: string }> = [];
const figures = { ops: 0, timedOutVerifies: 0, killedUps: 0, pendingCreates: 0, recovered: 0 };

beforeAll(async () => {
  // Steps long enough that a 1 s verify deadline passes (a verify job is 4 steps).
  emu = await startEmulator({ jobStepMs: 300, deleteGraceMs: 300 });
  faults = new CampaignFaults(emu, pick);
  ws = linkedWorkspace();
  prog = ws.program("campaign", "campaign");
  prog.write(programBody(integrations()));
  await prog.init();
  await prog.setConfig({
    ...emulatorConnection(emu),
    ...Object.fromEntries(Object.entries(CONFIG_SECRETS).map(([k, value]) => [k, { value, secret: true }])),
  });
}, 300_000);
afterAll(async () => {
  await emu?.close();
  ws?.remove();
});

const ours = () => oursInHub(emu, emu.hubs.primary, preExisting);
async function exportState(label: string): Promise<string[]> {
  const s = await prog.exportState();
  stateExports.push({ label: `stack export after ${label}`, text: s.text });
  return s.resources.filter((r) => r.type === INTEGRATION_TYPE).map((r) => r.id as string);
}
const audit = async (label: string) => auditHub(emu, emu.hubs.primary, preExisting, await exportState(label));
const clean = { orphans: [], duplicates: [], touched: [] };

async function op(run: () => Promise<CommandRecord>): Promise<CommandRecord> {
  figures.ops += 1;
  return run();
}
const failed = (r: CommandRecord) => `${r.stdout}\n${r.stderr}`;

/** Verify jobs started for one integration so far. */
const verifyJobsOf = (id: string) => emu.requestLog.filter((e) => e.method === "POST" && e.path.endsWith(`/integrations/${id}/tasks`)).length;

/**
 * `pulumi up`, and once `ready()` holds, `kill -9` of the CLI (nothing more
 * is recorded), then the plugin (nothing more is sent), then whatever else
 * it started. Its output goes to the transcript like any command's.
 */
async function killedUp(ready: () => boolean): Promise<void> {
  const cli = path.join(ws.cliDir, "pulumi");
  const up = prog.up(["--skip-preview"]);
  for (let waited = 0; !ready() && waited < 120_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  if (!ready()) throw new Error("the up never got half-way");
  const [running] = processTree(process.pid).filter((t) => t.args.startsWith(`${cli} up `) && t.args.includes(` ${prog.stack} `));
  if (!running) throw new Error("the up is not running any more");
  const started = processTree(running.pid);
  const plugins = started.filter((t) => t.args.includes("pulumi-resource-cycle"));
  killAll([running, ...plugins, ...started]);
  expect((await up).code).not.toBe(0);
  expect(plugins.length).toBeGreaterThan(0);
}

test("the campaign, YAML on the native plugin", async () => {
  const started = Date.now();
  console.log(`campaign (YAML) seed ${SEED}`);
  // A hand-made twin of awsA/awsB, waiting in the hub before the campaign.
  preExisting = [
    emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: "Campaign AWS", auth: { key_id: CREDENTIALS.aws.keyId, secret: CREDENTIALS.aws.secret } },
      { state: "live" },
    ),
  ];
  await new Promise((r) => setTimeout(r, 1100)); // Beyond the Date header's one-second resolution.

  // 1. Create under lost answers (creates and verify jobs) and 5xx on reads.
  faults.loseAnswers(pick(2, 4), "POST", /\/integrations$/);
  faults.loseAnswers(pick(1, 3), "POST", /\/tasks$/);
  faults.failReads(pick(2, 4));
  const first = must(await op(() => prog.up(["--skip-preview"])));
  expect(first.stdout).toMatch(/\+ 7 created/); // the stack and six integrations
  expect(Object.values(await prog.outputs()).map((o) => (o as { verified: boolean }).verified)).toEqual(Array(6).fill(true));
  expect(await audit("up")).toEqual(clean);
  expect(ours()).toHaveLength(6);

  // 2. Update under lost PATCH and verify answers and 5xx on reads: a rename, a changed extra, a rotated
  // credential whose verify outlives its 1 s deadline (the up fails, naming it).
  emu.faults.reset();
  prog.write(programBody(integrations({ updated: true, verifyTimeoutSeconds: 1 })));
  faults.loseAnswers(pick(1, 3), "PATCH");
  faults.loseAnswers(1, "POST", /\/tasks$/);
  faults.failReads(pick(2, 4));
  figures.timedOutVerifies += 1;
  const update = await op(() => prog.up(["--skip-preview", "--diff"]));
  expect(update.code).not.toBe(0);
  expect(failed(update)).toMatch(/still running after 1 s \(verifyTimeoutSeconds\)/);
  expect(await audit("update")).toEqual(clean);
  const slowId = ours().find((i) => i.name === "Campaign slow verify")!.id;
  const slowJobs = verifyJobsOf(slowId);
  expect(ours().map((i) => i.name)).toContain("Campaign ZeroSSL renamed");
  // The diff names the rotated credential without showing it.
  expect(update.stdout).toMatch(/~ auth\s*:/);

  // 3. kill -9 of an up half-way through creating three more (a lost create answer too), then
  // `pulumi cancel`, `npx pulumi-cycle recover --yes`, `up`; the slow verify is followed, not started again.
  emu.faults.reset();
  prog.write(programBody(integrations({ updated: true, verifyTimeoutSeconds: 60, late: true })));
  faults.loseAnswers(1, "POST", /\/integrations$/);
  // Each create answered 300 ms after the hub made it: the kill lands while one is made and not yet recorded.
  emu.faults.latency(300, { method: "POST", path: /\/integrations$/ });
  const madeBefore = ours().map((i) => i.id);
  const lateMade = () => ours().filter((i) => !madeBefore.includes(i.id));
  figures.ops += 1;
  await killedUp(() => lateMade().length >= 2);
  figures.killedUps += 1;
  await new Promise((r) => setTimeout(r, 500));
  must(await prog.pulumi(["cancel", "--stack", prog.stack, "--yes"]));
  emu.faults.reset();
  const killedState = await prog.exportState();
  stateExports.push({ label: "stack export after the kill", text: killedState.text });
  const pending = (JSON.parse(killedState.text) as { deployment: { pending_operations?: Array<{ type: string; resource: { type: string } }> } }).deployment
    .pending_operations;
  figures.pendingCreates = (pending ?? []).filter((o) => o.type === "creating" && o.resource.type === INTEGRATION_TYPE).length;
  const inStateBefore = killedState.resources.filter((r) => r.type === INTEGRATION_TYPE).length;
  expect(figures.pendingCreates).toBeGreaterThan(0);
  const recover = await runCommand("npx", ["pulumi-cycle", "recover", "--stack", prog.stack, "--yes"], prog.dir, ws.env);
  ws.transcript.push({ ...recover, command: "npx pulumi-cycle recover --yes" });
  expect({ code: recover.code, out: recover.code === 0 ? "" : `${recover.stdout}\n${recover.stderr}` }).toEqual({ code: 0, out: "" });
  figures.recovered = (await exportState("recover")).length - inStateBefore;
  expect(figures.recovered).toBeGreaterThan(0);
  must(await op(() => prog.up(["--skip-preview", "--diff"])));
  expect(await audit("the up after recover")).toEqual(clean);
  expect(lateMade()).toHaveLength(3);
  expect(ours()).toHaveLength(9);
  expect(verifyJobsOf(slowId)).toBe(slowJobs);
  expect(Object.values(await prog.outputs()).map((o) => (o as { verified: boolean }).verified)).toEqual(Array(9).fill(true));

  // 4. Refresh under 5xx on reads, then the plan is empty.
  emu.faults.reset();
  faults.failReads(pick(1, 4));
  must(await op(() => prog.refresh(["--skip-preview", "--diff"])));
  expect(await audit("refresh")).toEqual(clean); // and its export joins the credential sweep: refresh rewrites the inputs
  emu.faults.reset();
  const beforePreview = emu.requestLog.length;
  must(await op(() => prog.preview(["--expect-no-changes"])));
  expect(emu.requestLog.slice(beforePreview).filter((e) => e.method !== "GET")).toEqual([]);

  // 5. Destroy under lost DELETE answers and a failing delete job: it fails and keeps that one; the next destroy finishes.
  faults.loseAnswers(pick(1, 3), "DELETE");
  faults.failDeleteJob();
  const destroy = await op(() => prog.destroy());
  expect(destroy.code).not.toBe(0);
  expect(failed(destroy)).toMatch(/the hub kept it/);
  expect(await audit("failed destroy")).toEqual(clean);
  emu.faults.reset();
  must(await op(() => prog.destroy()));

  const final = await audit("destroy");
  // What the emulator dealt, from its log: every rule set was used up, and every kind of fault occurred.
  const dealt = dealtFaults(emu.requestLog);
  const lost = dealt.lost;
  const secrets = [...SECRET_VALUES, emu.keys.admin];
  const leaks = credentialHits([...transcriptTexts(ws), ...stateExports], secrets);
  console.log(
    `campaign (YAML, native plugin): seed ${SEED}, ${figures.ops} CLI operations, ${faults.lostAnswers} lost answers (create ${lost.create}, verify job ${lost.verify}, PATCH ${lost.patch}, DELETE ${lost.delete}), ${dealt.readErrors} 5xx on reads, ` +
      `${faults.failedDeleteJobs} failed delete job, ${figures.timedOutVerifies} timed-out verify, ${figures.killedUps} up killed (${figures.pendingCreates} pending creates, ${figures.recovered} recovered into state); ` +
      `orphans ${final.orphans.length}, duplicates ${final.duplicates.length}, touched ${final.touched.length}, credentials in output or state ${leaks.length}, ` +
      `left in hub ${ours().length}; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  expect({ lost: lost.create + lost.verify + lost.patch + lost.delete, readErrors: dealt.readErrors }).toEqual({
    lost: faults.lostAnswers,
    readErrors: faults.serverErrors,
  });
  expect(Math.min(lost.create, lost.verify, lost.patch, lost.delete, dealt.readErrors)).toBeGreaterThan(0);
  expect(final).toEqual(clean);
  expect(ours()).toEqual([]);
  expect(leaks).toEqual([]);
  // The sweep looked where it should: every command's output and a stack export after each phase.
  expect(ws.transcript.length).toBeGreaterThan(12);
  expect(stateExports.length).toBeGreaterThanOrEqual(6);
  // The hand-made twin is still there, untouched.
  expect(emu.integrations(emu.hubs.primary).filter((i) => i.id === preExisting[0].id && i.state.current === "live")).toHaveLength(1);
});
