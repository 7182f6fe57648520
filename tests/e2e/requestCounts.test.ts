/**
 * What a preview and a refresh cost, in API requests, under the real CLI
 * (default parallelism) against the strict emulator, whose pages hold at
 * most 25 items: a preview with nothing to do makes no request; a refresh of
 * N integrations lists the hub once (⌈N / 25⌉ pages and the empty one that
 * ends it) instead of N GETs; a refresh after an out-of-band delete gives the
 * missing integration its own GET before it is declared gone.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD } from "../helpers/fixtures";
import { configure, createProject, declare, E2EProject, ok, removeProject, run, emulatorConfig } from "./harness";

jest.setTimeout(300_000);

const N = 30;
const PAGE = 25; // The emulator's strict default page cap.

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "counts";

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10, deleteGraceMs: 100 });
  project = createProject();
  await configure(project, stack, emulatorConfig(emu));
  declare(
    project,
    stack,
    Array.from({ length: N }, (_, n) => ({ name: `aws-${n}`, args: { vendor: "aws", name: `Counted AWS ${n}`, auth: AWS_GOOD, verify: false } })),
  );
  ok(await run(project, stack, "up"));
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

const calls = () => emu.requestLog.map((e) => `${e.method} ${e.path.split("?")[0].replace(/[a-f0-9]{24}/g, ":id")}`);

test("a preview with nothing to do makes no API request", async () => {
  emu.clearLog();
  expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: N + 1 });
  expect(calls()).toEqual([]);
});

test("a preview with one change checks that one resource only (one catalogue read)", async () => {
  declare(
    project,
    stack,
    Array.from({ length: N }, (_, n) => ({
      name: `aws-${n}`,
      args: { vendor: "aws", name: n === 0 ? "Counted AWS renamed" : `Counted AWS ${n}`, auth: AWS_GOOD, verify: false },
    })),
  );
  emu.clearLog();
  expect(ok(await run(project, stack, "preview")).changes).toMatchObject({ update: 1 });
  expect(calls()).toEqual(["GET /v1/hubs/current/integrations/available"]);
});

test(`a refresh of ${N} integrations lists the hub once: ⌈N / ${PAGE}⌉ + 1 pages, no GET each`, async () => {
  emu.clearLog();
  ok(await run(project, stack, "refresh"));
  const made = calls();
  console.log(
    `refresh of ${N}: ${made.length} requests (${made.filter((c) => c.endsWith("/integrations")).length} list pages, ${made.filter((c) => c.endsWith("/:id")).length} GETs)`,
  );
  expect(made.length).toBeLessThanOrEqual(Math.ceil(N / PAGE) + 1);
  expect(made.every((c) => c === "GET /v1/hubs/current/integrations")).toBe(true);
});

test("an integration deleted outside Pulumi gets its own GET before it is declared gone", async () => {
  const victim = emu.integrations(emu.hubs.primary).find((i) => i.name === "Counted AWS 7")!;
  emu.outOfBand.delete(victim.id);
  emu.clearLog();
  const r = ok(await run(project, stack, "refresh"));
  expect(r.changes).toMatchObject({ delete: 1 });
  const made = calls();
  expect(made.filter((c) => c === "GET /v1/hubs/current/integrations/:id")).toHaveLength(1);
  expect(made.length).toBeLessThanOrEqual(Math.ceil(N / PAGE) + 2);
});
