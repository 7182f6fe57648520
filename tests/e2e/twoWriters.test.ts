/**
 * Two stacks of one program on one hub, under the real Pulumi CLI (repro 6
 * of issue 15): stack A's create is answered by a gateway 502 after 14 s
 * (within the client's 15 s deadline, so it is an answer, not a timeout)
 * without being carried out, while stack B creates the same integration.
 * A must not record B's: it fails naming it, under a placeholder that its
 * next `up` does not turn into B's integration, and whose destroy deletes
 * nothing. With the placeholder gone, A makes its own. Both stacks then
 * destroy what they hold, and nothing else.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { configure, createProject, declare, E2EProject, emulatorConfig, exportStack, ok, removeProject, run, start } from "./harness";

jest.setTimeout(600_000);

const B2 = { keyId: "005a1b2c3d4e5f60000000001", secret: "K005abcdefghijklmnopqrstuvwxyz1" };
const SHARED = [{ name: "shared", args: { vendor: "backblaze-b2", name: "Shared backups", auth: B2, extra: { bucket: "shared-bucket" } } }];

let emu: EmulatorHandle;
let project: E2EProject;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 50, deleteGraceMs: 200 });
  project = createProject();
  for (const s of ["a", "b"]) {
    await configure(project, s, emulatorConfig(emu));
    declare(project, s, SHARED);
  }
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

const shared = () => emu.integrations(emu.hubs.primary).filter((i) => i.name === "Shared backups" && i.state.current !== "deleted");
const ids = (s: string) => exportStack(project, s).integrations.map((r) => r.id as string);

test("stack A does not record the integration stack B made while A's create was at a gateway", async () => {
  emu.faults.gatewayErrors(1, 14_000, { method: "POST", path: /\/integrations$/ });
  const aUp = start(project, "a", "up");
  // A lists the hub, then its POST waits at the gateway; B runs its whole up meanwhile.
  for (let i = 0; i < 6000 && !emu.requestLog.some((e) => e.method === "GET" && /\/integrations(\?|$)/.test(e.path)); i++)
    await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  const bStarted = Date.now();
  ok(await run(project, "b", "up"));
  console.log(`stack B's up took ${Date.now() - bStarted} ms while A's create waited at the gateway`);
  emu.clearLog();
  const bIds = ids("b");
  expect(bIds).toHaveLength(1);
  expect(shared().map((i) => i.id)).toEqual(bIds);

  const a = await aUp.result;
  expect(a?.ok).toBe(false);
  expect(a?.error).toMatch(/may be another program's/);
  expect(a?.error).toContain(bIds[0]);
  expect(ids("a")).toHaveLength(1);
  expect(ids("a")[0]).toMatch(/^unsettled-create-/);

  // A's next up does not take it either, and creates nothing.
  const again = await run(project, "a", "up");
  expect(again.ok).toBe(false);
  expect(again.error).toContain(bIds[0]);
  expect(shared().map((i) => i.id)).toEqual(bIds);
  expect(ids("a").every((id) => id.startsWith("unsettled-create-"))).toBe(true);

  expect(again.error).toMatch(/`pulumi destroy --target` this resource/);

  // As the message says: A's destroy of it deletes nothing of B's, and drops the placeholders from A's state.
  ok(await run(project, "a", "destroy"));
  expect(ids("a")).toEqual([]);
  expect(shared().map((i) => i.id)).toEqual(bIds);
  expect(emu.requestLog.filter((e) => e.method !== "GET" && e.path.includes(bIds[0]))).toEqual([]);

  // A's next up makes its own.
  ok(await run(project, "a", "up"));
  const aIds = ids("a");
  expect(aIds).toHaveLength(1);
  expect(aIds[0]).not.toBe(bIds[0]);
  expect(
    shared()
      .map((i) => i.id)
      .sort(),
  ).toEqual([...aIds, ...bIds].sort());
  // B sees nothing to do; each destroy removes its own.
  expect(ok(await run(project, "b", "preview")).changes).toEqual({ same: 2 });
  ok(await run(project, "a", "destroy"));
  expect(shared().map((i) => i.id)).toEqual(bIds);
  ok(await run(project, "b", "destroy"));
  expect(shared()).toEqual([]);
});
