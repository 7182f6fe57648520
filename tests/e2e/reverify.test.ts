/**
 * Re-verify on demand, under the real CLI: a changed `verifyTrigger` makes
 * `up` run a verify job for credentials that did not change, so a scheduled
 * workflow finds credentials that stopped working at the vendor. Here the
 * vendor (the emulator) has been told to reject the next verification.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD } from "../helpers/fixtures";
import { configure, createProject, declare, E2EProject, exportStack, ok, removeProject, run, emulatorConfig } from "./harness";

jest.setTimeout(300_000);

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "reverify";

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10 });
  project = createProject();
  await configure(project, stack, emulatorConfig(emu));
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

const program = (trigger: string) => [
  { name: "aws", args: { vendor: "aws", name: "Scheduled AWS check", auth: AWS_GOOD, verifyTrigger: trigger } },
  { name: "certs", args: { vendor: "lets-encrypt", name: "Scheduled certs", extra: { email: "ops@example.com" }, verifyTrigger: trigger } },
];
const verifyPosts = () => emu.requestLog.filter((e) => e.method === "POST" && e.path.includes("/tasks"));

test("a new trigger value verifies again; credentials the vendor now rejects fail the update, naming the integration", async () => {
  declare(project, stack, program("2026-11-28"));
  ok(await run(project, stack, "up"));
  emu.clearLog();
  expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: 3 });

  // The scheduled run: the same credentials, a new trigger, and the vendor has revoked the key.
  emu.faults.failNextJobs(1, { method: "POST", path: /\/tasks$/ });
  declare(project, stack, program("2026-11-29"));
  emu.clearLog();
  const failed = await run(project, stack, "up");
  expect(failed.ok).toBe(false);
  expect(failed.error).toMatch(/Verification of integration "Scheduled AWS check" \([a-f0-9]{24}\) failed/);
  // Only the integration whose vendor verifies was verified; no PATCH: nothing else changed.
  expect(verifyPosts()).toHaveLength(1);
  expect(emu.requestLog.filter((e) => e.method === "PATCH")).toEqual([]);
  const recorded = exportStack(project, stack).integrations.find((r) => (r.outputs as { name: string }).name === "Scheduled AWS check")!;
  expect(recorded.outputs).toMatchObject({ verified: false, state: "new" });
  expect(String((recorded.outputs as { stateError: string }).stateError)).toMatch(/job failed/);

  // The vendor accepts them again: the next up verifies once more and the plan is empty after.
  emu.faults.reset();
  const fixed = ok(await run(project, stack, "up"));
  expect((fixed.outputs!.aws.value as { verified: boolean }).verified).toBe(true);
  expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: 3 });
});
