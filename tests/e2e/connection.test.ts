/**
 * A connection per resource: one program manages two hubs with two keys
 * (no single key reaches both). The second resource brings its own
 * `apiKey` and `hubId`; the key is stored encrypted in state, and refresh
 * and destroy use it from there.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD, B2_GOOD } from "../helpers/fixtures";
import { configure, createProject, declare, E2EProject, exportStack, ok, removeProject, run, emulatorConfig } from "./harness";

jest.setTimeout(300_000);

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "two-hubs";

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10, deleteGraceMs: 100 });
  project = createProject();
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

test("two hubs, two keys, one program: each integration lands in its hub; neither key in state in plain text", async () => {
  await configure(project, stack, emulatorConfig(emu));
  declare(project, stack, [
    { name: "primary", args: { vendor: "aws", name: "Primary hub AWS", auth: AWS_GOOD } },
    // Passed plain on purpose: the resource stores its key as a secret all the same.
    {
      name: "secondary",
      args: {
        vendor: "backblaze-b2",
        name: "Secondary hub backups",
        auth: B2_GOOD,
        extra: { bucket: "other-hub-backups" },
        hubId: emu.hubs.secondary,
        apiKey: emu.keys.otherHub,
      },
    },
  ]);
  const up = ok(await run(project, stack, "up"));
  const ids = Object.fromEntries(Object.entries(up.outputs!).map(([k, v]) => [k, (v.value as { id: string }).id]));
  expect(emu.integrations(emu.hubs.primary).map((i) => i.id)).toContain(ids.primary);
  expect(emu.integrations(emu.hubs.secondary).map((i) => i.id)).toEqual([ids.secondary]);
  // The requests for the second hub carried the second key: the admin key cannot reach that hub at all.
  expect(emu.requestLog.filter((e) => e.hubId === emu.hubs.secondary && (e.status === 401 || e.status === 403))).toEqual([]);

  const state = exportStack(project, stack);
  expect(state.text).not.toContain(emu.keys.otherHub);
  expect(state.text).not.toContain(emu.keys.admin);
  const second = state.integrations.find((r) => r.id === ids.secondary)!;
  for (const bag of [second.inputs, second.outputs] as Array<Record<string, unknown>>) expect(JSON.stringify(bag.apiKey)).toMatch(/ciphertext/);

  expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: 3 });
  emu.outOfBand.rename(ids.secondary, "Renamed in the other hub");
  const refreshed = ok(await run(project, stack, "refresh"));
  expect(refreshed.changes).toMatchObject({ update: 1 });
  ok(await run(project, stack, "up"));
  expect(emu.integrations(emu.hubs.secondary)[0].name).toBe("Secondary hub backups");

  ok(await run(project, stack, "destroy"));
  expect(emu.integrations(emu.hubs.secondary).filter((i) => i.state.current !== "deleted")).toEqual([]);
});
