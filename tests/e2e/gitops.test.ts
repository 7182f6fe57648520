/**
 * The commands the gitops workflows (examples/gitops/workflows) run, under
 * the real Pulumi CLI, behave as the workflows assume:
 *
 * - drift check (`pulumi-drift.yml`): `pulumi preview --refresh
 *   --expect-no-changes --diff` exits 0 when the hub matches the program and
 *   non-zero when something was changed out of band (a rename, an `extra`
 *   change), naming the property, and writes nothing to state;
 * - why not `pulumi refresh --preview-only`: it exits 0 with the same drift;
 * - pull requests (`pulumi-preview.yml`): `pulumi preview --refresh --diff`
 *   exits 0, names what would change (the PR's and the drift's) and writes
 *   nothing;
 * - main (`pulumi-up.yml`): `pulumi up --refresh` applies the program over
 *   the drift, and the drift check passes again.
 *
 * The operations run through the Automation API with the same flags, as
 * pulumi/actions itself does (see tools/pulumi-cli/README.md for why programs
 * are run inline here).
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD, B2_GOOD } from "../helpers/fixtures";
import * as path from "path";
import { CommandResult, runCommand, configure, createProject, declare, E2EProject, exportStack, ok, removeProject, run, emulatorConfig } from "./harness";
import { FileOpResult, runProgramFile } from "./programFile";

jest.setTimeout(600_000);

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "gitops";

/** The scheduled drift check of pulumi-drift.yml. */
export function driftCheck(p: E2EProject, stackName: string): Promise<FileOpResult> {
  return runProgramFile(p, stackName, "preview", "program.js", { refresh: true, expectNoChanges: true, diff: true });
}

/**
 * The Pulumi CLI in the program directory, with the project's backend but
 * without the harness's PULUMI_SKIP_CONFIRMATIONS (which counts as --yes, and
 * `refresh --preview-only` refuses --yes), as in a workflow step.
 */
function cli(args: string[]): Promise<CommandResult> {
  return runCommand(path.join(project.cliDir, "pulumi"), args, project.dir, { ...process.env, ...project.env, PULUMI_SKIP_CONFIRMATIONS: undefined });
}

const NO_CHANGES_EXPECTED = /no changes were expected (for preview )?but changes were proposed/;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 40 });
  project = createProject();
  await configure(project, stack, {
    ...emulatorConfig(emu),
    awsKeyId: { value: AWS_GOOD.keyId, secret: true },
    awsSecret: { value: AWS_GOOD.secret, secret: true },
  });
  declare(project, stack, [
    { name: "aws", args: { vendor: "aws", name: "GitOps AWS", identifier: "gitops-aws", auth: { keyId: "config:awsKeyId", secret: "config:awsSecret" } } },
    { name: "backups", args: { vendor: "backblaze-b2", name: "GitOps backups", auth: B2_GOOD, extra: { bucket: "gitops-backups" } } },
  ]);
  ok(await run(project, stack, "up"));
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

const idOf = (name: string): string => {
  const r = exportStack(project, stack).integrations.find((i) => String(i.urn).endsWith(`::${name}`));
  if (!r) throw new Error(`no ${name} in state`);
  return String(r.id);
};
const stateText = () => JSON.stringify(exportStack(project, stack).integrations.map((i) => i.outputs));

test("drift check: exit 0 without drift, non-zero after an out-of-band rename or extra change; state untouched", async () => {
  const clean = await driftCheck(project, stack);
  if (!clean.ok) throw new Error(clean.error);
  expect(clean.changes).toEqual({ same: 3 });

  const before = stateText();
  emu.outOfBand.rename(idOf("aws"), "Renamed in the portal");
  const drifted = await driftCheck(project, stack);
  expect(drifted.ok).toBe(false);
  expect(drifted.exitCode).toBeGreaterThan(0);
  expect(drifted.error).toMatch(NO_CHANGES_EXPECTED);
  expect(drifted.error).toMatch(/name/);
  expect(drifted.error).toContain("Renamed in the portal");
  // A preview, even with --refresh, writes nothing.
  expect(stateText()).toBe(before);

  emu.outOfBand.setExtra(idOf("backups"), { bucket: "changed-by-hand" });
  const both = await driftCheck(project, stack);
  expect(both.ok).toBe(false);
  expect(both.error).toMatch(NO_CHANGES_EXPECTED);
  expect(both.error).toContain("changed-by-hand");
});

test("why not `pulumi refresh --preview-only`: it exits 0 with the same drift (non-zero only with --expect-no-changes)", async () => {
  // The CLI itself, as a workflow step runs it: a refresh does not run the program.
  const r = await cli(["refresh", "--preview-only", "--stack", stack, "--color", "never", "--non-interactive"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/2 to update/);
  const strict = await cli(["refresh", "--preview-only", "--expect-no-changes", "--stack", stack, "--color", "never", "--non-interactive"]);
  expect(strict.code).toBeGreaterThan(0);
  expect(strict.stdout + strict.stderr).toMatch(/no changes were expected for refresh but changes were proposed/);
});

test("pull request preview (--refresh --diff) exits 0 and names every change; up (--refresh) on main applies them; the drift check passes again", async () => {
  // A pull request that renames an integration, on top of the drift left by the tests above.
  declare(project, stack, [
    {
      name: "aws",
      args: { vendor: "aws", name: "GitOps AWS (renamed in a PR)", identifier: "gitops-aws", auth: { keyId: "config:awsKeyId", secret: "config:awsSecret" } },
    },
    { name: "backups", args: { vendor: "backblaze-b2", name: "GitOps backups", auth: B2_GOOD, extra: { bucket: "gitops-backups" } } },
  ]);
  const before = stateText();
  const pr = await runProgramFile(project, stack, "preview", "program.js", { refresh: true, diff: true });
  if (!pr.ok) throw new Error(pr.error);
  expect(pr.changes).toEqual({ same: 1, update: 2 });
  expect(pr.stdout).toContain("GitOps AWS (renamed in a PR)");
  expect(pr.stdout).toContain("gitops-backups");
  expect(stateText()).toBe(before);

  // Merged: up on main applies the program over the drift.
  const up = await runProgramFile(project, stack, "up", "program.js", { refresh: true });
  if (!up.ok) throw new Error(up.error);
  const live = emu.integrations(emu.hubs.primary);
  expect(live.find((i) => i.id === idOf("aws"))?.name).toBe("GitOps AWS (renamed in a PR)");
  expect(live.find((i) => i.id === idOf("backups"))?.extra).toEqual({ bucket: "gitops-backups" });
  const after = await driftCheck(project, stack);
  if (!after.ok) throw new Error(after.error);
  expect(after.changes).toEqual({ same: 3 });
});

test("re-verify step (pulumi config set verifyTrigger, pulumi up): verifies unchanged credentials; a key the vendor now rejects fails it, naming the integration", async () => {
  // The program passes `verifyTrigger: config.get("verifyTrigger")`, as `pulumi-cycle import` writes it.
  const program = [
    {
      name: "aws",
      args: {
        vendor: "aws",
        name: "GitOps AWS (renamed in a PR)",
        identifier: "gitops-aws",
        auth: { keyId: "config:awsKeyId", secret: "config:awsSecret" },
        verifyTrigger: "config:verifyTrigger",
      },
    },
    {
      name: "backups",
      args: { vendor: "backblaze-b2", name: "GitOps backups", auth: B2_GOOD, extra: { bucket: "gitops-backups" }, verifyTrigger: "config:verifyTrigger" },
    },
  ];
  declare(project, stack, program);
  const verifies = () => emu.requestLog.filter((e) => e.method === "POST" && e.path.includes("/tasks")).length;

  // The scheduled run: the drift check is clean, then a new trigger and `up`; the vendor has revoked the AWS key.
  await configure(project, stack, { verifyTrigger: { value: "2026-11-29T06:17:00Z" } });
  emu.faults.failNextJobs(1, { method: "POST", path: /\/tasks$/ });
  emu.clearLog();
  const revoked = await runProgramFile(project, stack, "up", "program.js", {});
  expect(revoked.ok).toBe(false);
  expect(revoked.error).toMatch(/Verification of integration "GitOps (AWS \(renamed in a PR\)|backups)" \([a-f0-9]{24}\) failed/);
  expect(verifies()).toBe(2);
  expect(emu.requestLog.filter((e) => e.method === "PATCH")).toEqual([]);

  // The next day, with the key fixed at the vendor: the step passes, and the drift check after it too.
  emu.faults.reset();
  await configure(project, stack, { verifyTrigger: { value: "2026-11-30T06:17:00Z" } });
  emu.clearLog();
  const fixed = await runProgramFile(project, stack, "up", "program.js", {});
  if (!fixed.ok) throw new Error(fixed.error);
  expect(verifies()).toBe(2);
  const after = await driftCheck(project, stack);
  if (!after.ok) throw new Error(after.error);
  expect(after.changes).toEqual({ same: 3 });
});
