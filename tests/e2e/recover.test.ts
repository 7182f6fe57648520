/**
 * `pulumi-cycle recover` end to end: a `pulumi up` of 10 verifiable
 * integrations is killed (`kill -9` of the CLI and the dynamic provider)
 * while it creates them; the package's own command, run through its `bin`
 * in the program directory with the real CLI and file backend, writes what
 * the creates made into state; the next `up` ends with exactly 10
 * integrations, an empty plan, and `destroy` empties the hub. A hand-made
 * look-alike of one resource, made before the `up`, is never taken.
 */
import * as fs from "fs";
import { startEmulator, EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";
import { AWS_GOOD, B2_GOOD, STRIPE_GOOD, ALL_SECRETS } from "../helpers/fixtures";
import {
  configure,
  createProject,
  declare,
  E2EProject,
  exportStack,
  killOperation,
  ok,
  packageBin,
  processTree,
  pulumiCli,
  removeProject,
  run,
  stackLocks,
  start,
  emulatorConfig,
} from "./harness";

jest.setTimeout(600_000);

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "interrupted";

const ZEROSSL = { keyId: "zEroSSLkeyId_012345678", secret: "hmacKey_0123456789abcdefghijABCDEFGHIJ_-xyzXYZ" };
const VULTR = { apiKey: "VULTRKEY0123456789ABCDEFGHIJKLMNOPQR" };
const CREDENTIALS = [...ALL_SECRETS, ZEROSSL.keyId, ZEROSSL.secret, VULTR.apiKey];

const awsAuth = { keyId: "config:awsKeyId", secret: "config:awsSecret" };
/** Ten integrations whose vendors verify; two are declared alike (same vendor and name, no identifier). */
const PROGRAM = [
  { name: "aws-one", args: { vendor: "aws", name: "Recover AWS one", auth: awsAuth } },
  { name: "twin-a", args: { vendor: "aws", name: "Recover AWS twin", auth: awsAuth } },
  { name: "twin-b", args: { vendor: "aws", name: "Recover AWS twin", auth: awsAuth } },
  { name: "aws-three", args: { vendor: "aws", name: "Recover AWS three", identifier: "recover-aws-3", auth: awsAuth } },
  {
    name: "backups",
    args: { vendor: "backblaze-b2", name: "Recover backups", identifier: "recover-backups", auth: B2_GOOD, extra: { bucket: "recover-backups" } },
  },
  { name: "archive", args: { vendor: "backblaze-b2", name: "Recover archive", auth: B2_GOOD, extra: { bucket: "recover-archive" } } },
  { name: "zerossl", args: { vendor: "zerossl", name: "Recover ZeroSSL", auth: ZEROSSL } },
  { name: "vultr", args: { vendor: "vultr", name: "Recover Vultr", auth: VULTR } },
  { name: "s3", args: { vendor: "aws-s3", name: "Recover S3", auth: { ...awsAuth, region: "us-east-1" }, extra: { bucket: "recover-s3-bucket" } } },
  { name: "billing", args: { vendor: "stripe", name: "Recover billing", auth: STRIPE_GOOD } },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const createPosts = () => emu.requestLog.filter((e) => e.method === "POST" && /\/integrations$/.test(e.path.split("?")[0]));
const intentKey = (i: Integration) => JSON.stringify([i.vendor, i.name, i.identifier, Object.entries(i.extra ?? {}).sort()]);
const present = () => emu.integrations(emu.hubs.primary).filter((i) => i.state.current !== "deleted" && i.state.current !== "deleting");

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

beforeAll(async () => {
  // Verify jobs of 4 steps of 1.5 s: the up is still creating and verifying when it is killed.
  emu = await startEmulator({ jobStepMs: 1500, deleteGraceMs: 300 });
  project = createProject();
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

test("kill -9 mid-create of 10, recover, up: exactly 10 integrations, an empty plan; a look-alike is never taken", async () => {
  await configure(project, stack, {
    ...emulatorConfig(emu),
    awsKeyId: { value: AWS_GOOD.keyId, secret: true },
    awsSecret: { value: AWS_GOOD.secret, secret: true },
  });
  // Made by hand in the portal before the up: same vendor and name (so the same derived identifier) as aws-one.
  const lookAlike = emu.outOfBand.create(emu.hubs.primary, {
    vendor: "aws",
    name: "Recover AWS one",
    auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret },
  });
  // The API's Date header has one-second resolution: the look-alike is clearly older than the update.
  await sleep(2000);
  declare(project, stack, PROGRAM);

  // --- the interrupted up -------------------------------------------------
  emu.clearLog();
  const up = start(project, stack, "up");
  await waitFor("3 create POSTs to reach the emulator", () => createPosts().length >= 3, 240_000);
  const { cli, providers } = killOperation(up);
  expect(cli.length).toBeGreaterThanOrEqual(1);
  expect(providers.length).toBeGreaterThanOrEqual(1);
  const killedAt = createPosts().length;
  expect(await up.result).toMatchObject({ ok: false });
  await sleep(500);
  expect(processTree(up.child.pid!).filter((t) => providers.some((p) => p.pid === t.pid))).toEqual([]);
  const postsAfterKill = createPosts().length;

  // State: pending creates, no Integration recorded; the file backend kept the killed update's lock.
  const killed = JSON.parse(exportStack(project, stack).text) as {
    deployment: { pending_operations?: Array<{ type: string; resource: { type: string; urn: string } }> };
  };
  const pending = (killed.deployment.pending_operations ?? []).filter(
    (o) => o.type === "creating" && o.resource.type === "pulumi-nodejs:dynamic/cycle:Integration",
  );
  expect(pending.length).toBeGreaterThanOrEqual(3);
  expect(exportStack(project, stack).integrations).toEqual([]);
  expect(stackLocks(project, stack)).toHaveLength(1);
  // ... and no history entry for it.
  const history = await pulumiCli(project, ["stack", "history", "--stack", stack, "--json"]);
  expect(JSON.parse(history.stdout || "[]")).toEqual([]);
  const made = present().filter((i) => i.id !== lookAlike.id);
  expect(made.length).toBeGreaterThanOrEqual(3);
  console.log(`killed after ${killedAt} create POSTs (${postsAfterKill} in all); ${pending.length} pending creates in state; ${made.length} integrations made`);

  // The verify jobs the killed provider started may still run in the hub: the next up follows them instead of starting others.

  // --- recover: the plan -------------------------------------------------
  const plan = await packageBin(project, "pulumi-cycle", ["recover", "--stack", stack]);
  expect(plan.stderr).toBe("");
  expect(plan.code).toBe(0);
  expect(plan.stdout).toMatch(new RegExp(`${pending.length} pending create\\(s\\)`));
  expect(plan.stdout).toMatch(/root resource was created/);
  expect(plan.stdout).toMatch(/Nothing was changed/);
  expect(plan.stdout).not.toContain(lookAlike.id);
  for (const text of [plan.stdout, plan.stderr]) {
    expect(text).not.toContain(emu.keys.admin);
    for (const s of CREDENTIALS) expect(text).not.toContain(s);
  }

  // --- recover --yes while the killed update's lock is still there: refused, nothing changed ---
  const locked = await packageBin(project, "pulumi-cycle", ["recover", "--stack", stack, "--yes"]);
  expect(locked.code).toBe(1);
  expect(locked.stderr).toMatch(/The stack is locked.*pulumi cancel --stack interrupted/s);
  expect(locked.stderr).not.toMatch(/\n\s+at /);
  expect(pendingOperations(exportStack(project, stack).text)).toHaveLength(killed.deployment.pending_operations!.length);

  // What the user does (README): no pulumi runs on the stack any more, so remove the stale lock.
  const cancel = await pulumiCli(project, ["cancel", "--stack", stack, "--yes"]);
  expect(cancel.code).toBe(0);
  expect(stackLocks(project, stack)).toEqual([]);

  const rec = await packageBin(project, "pulumi-cycle", ["recover", "--stack", stack, "--yes"]);
  console.log(rec.stdout);
  expect(rec.stderr).toBe("");
  expect(rec.code).toBe(0);
  const backup = /Backup of the state before recovery: (\S+)/.exec(rec.stdout)?.[1];
  expect(backup && fs.existsSync(backup)).toBeTruthy();
  expect(rec.stdout).toMatch(/Next: run `pulumi up --stack interrupted`/);
  expect(rec.stdout).not.toContain(lookAlike.id);
  expect(rec.stdout).not.toContain(emu.keys.admin);

  const recovered = exportStack(project, stack);
  expect(pendingOperations(recovered.text)).toEqual([]);
  const recoveredIds = recovered.integrations.map((r) => r.id as string);
  expect(recoveredIds).not.toContain(lookAlike.id);
  // Every integration the killed up made is now in state (their creates had reached the hub before the kill was seen).
  expect(recoveredIds.sort()).toEqual(made.map((i) => i.id).sort());
  expect(recovered.text).not.toContain(emu.keys.admin);
  for (const s of CREDENTIALS) expect(recovered.text).not.toContain(s);
  for (const r of recovered.integrations) {
    expect(JSON.stringify((r.outputs as Record<string, unknown>).auth)).toMatch(/ciphertext/);
    expect(String((r.outputs as Record<string, unknown>).__provider).length).toBeGreaterThan(100);
  }

  // --- up, preview, destroy ------------------------------------------------
  const after = ok(await run(project, stack, "up"));
  const ids = Object.values(after.outputs!).map((o) => (o.value as { id: string }).id);
  expect(ids).toHaveLength(10);
  expect(new Set(ids).size).toBe(10);
  for (const id of recoveredIds) expect(ids).toContain(id);
  const ours = present().filter((i) => i.id !== lookAlike.id);
  expect(ours.map((i) => i.id).sort()).toEqual([...ids].sort());
  // No duplicates: one integration per declared intent, two for the twins.
  const byIntent = new Map<string, number>();
  for (const i of ours) byIntent.set(intentKey(i), (byIntent.get(intentKey(i)) ?? 0) + 1);
  expect([...byIntent.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
  expect(ours.every((i) => i.state.current === "live")).toBe(true);
  expect(Object.values(after.outputs!).every((o) => (o.value as { verified: boolean }).verified)).toBe(true);
  expect(emu.integrations().find((i) => i.id === lookAlike.id)?.name).toBe("Recover AWS one");

  expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: 11 });

  ok(await run(project, stack, "destroy"));
  expect(present().map((i) => i.id)).toEqual([lookAlike.id]);
});

/** The pending operations of an exported stack (none: an empty list). */
function pendingOperations(exported: string): unknown[] {
  const parsed = JSON.parse(exported) as { deployment: { pending_operations?: unknown[] } };
  return parsed.deployment.pending_operations ?? [];
}
