/**
 * Program directories run as users run them: `pulumi up`, `pulumi preview
 * --expect-no-changes` and `pulumi destroy` in the directory holding
 * Pulumi.yaml, the program started by a Node.js language host (the test host
 * of tests/langhost, first on PATH) through @pulumi/pulumi's own cmd/run.
 * The repository root (Pulumi.yaml, the README's real-API section and
 * `npm start`) and every example (`npm run example -- <name>`), each with
 * what it needs seeded, against one emulator with its strict defaults.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { EXAMPLES, ProgramName, ROOT, runProgram } from "../../scripts/examples";

jest.setTimeout(300_000);

let emu: EmulatorHandle;
let work: string;
// Unique per process: `pulumi stack init` writes Pulumi.<stack>.yaml into the
// program directory for a moment, and another run may share the checkout.
const STACK = `e2e-${process.pid}`;
const log = () => path.join(work, "langhost.jsonl");

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-programs-"));
});
afterAll(async () => {
  await emu?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

interface LogEntry {
  pid: number;
  method: string;
  argv?: string[];
  envAdded?: string[];
  exit?: number;
}

const entries = (): LogEntry[] =>
  fs.existsSync(log())
    ? fs
        .readFileSync(log(), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogEntry)
    : [];

async function run(name: ProgramName, extra: { refresh?: boolean; env?: Record<string, string> } = {}) {
  fs.rmSync(log(), { force: true });
  const before = new Set(emu.integrations().map((i) => i.id));
  const r = await runProgram(name, emu, {
    dir: path.join(work, name),
    stackName: STACK,
    languageHost: "test",
    skipPreview: true,
    refresh: extra.refresh,
    env: { PULUMI_CYCLE_LANGHOST_LOG: log(), CYCLE_QUIET: "1", ...extra.env },
  });
  // Everything the stack made is gone again (deleted, or deleted and purged).
  const unmanaged = new Set(r.prepared.unmanaged ?? []);
  const left = emu.integrations().filter((i) => !before.has(i.id) && !unmanaged.has(i.id) && i.state.current !== "deleted");
  expect(left.map((i) => `${i.vendor} ${i.id} ${i.state.current}`)).toEqual([]);
  expect(r.previewRequests.filter((q) => q.method !== "GET")).toEqual([]);
  return r;
}

/**
 * The arguments the official host v3.248.0 gives `node` (constructArguments
 * in sdk/nodejs/cmd/pulumi-language-nodejs/main.go), written out from its
 * source: the run module, then --monitor (its own proxy), --engine, --sync,
 * --organization, --project, --root-directory, --stack, --pwd, --dry-run
 * for a preview, --parallel (always), --tracing (when given), the entry point.
 */
function officialArguments(o: { programDir: string; rootDir: string; project: string; stack: string; entry: string; dryRun: boolean }): unknown[] {
  return [
    require.resolve("@pulumi/pulumi/cmd/run", { paths: [o.programDir] }),
    "--monitor",
    expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    "--engine",
    expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    "--sync",
    expect.stringMatching(/pulumi-node-pipes/),
    "--organization",
    "organization",
    "--project",
    o.project,
    "--root-directory",
    o.rootDir,
    "--stack",
    o.stack,
    "--pwd",
    o.programDir,
    ...(o.dryRun ? ["--dry-run"] : []),
    "--parallel",
    expect.stringMatching(/^\d+$/),
    o.entry,
  ];
}

test("the root program (Pulumi.yaml: examples/quickstart/index.ts): up, refresh, preview --expect-no-changes, destroy", async () => {
  // Type-checked by ts-node as a user's run is (cmd/run's default).
  const r = await run("root", { refresh: true });
  expect(r.refresh!.stdout).not.toMatch(/~ \d+ updated|- \d+ deleted/);
  expect(r.up.stdout).toMatch(/\+ 5 created/);
  expect(r.destroy!.stdout).toMatch(/- 5 deleted/);
  const outputs = r.outputs.integrations as Record<string, { state: string; verified: boolean }>;
  expect(outputs.aws).toMatchObject({ state: "live", verified: true });

  // The language host: which methods the CLI called, and how it started the program.
  const all = entries();
  const methods = new Set(all.map((e) => e.method));
  expect([...methods].sort()).toEqual(expect.arrayContaining(["GetPluginInfo", "GetRequiredPackages", "Run"]));
  // Whatever else a CLI calls must be a method the host implements (3.248 calls About and Cancel too).
  const implemented = [
    "(start)",
    "Handshake",
    "GetPluginInfo",
    "GetRequiredPackages",
    "Run",
    "About",
    "Cancel",
    "GetProgramDependencies",
    "InstallDependencies",
  ];
  expect([...methods].filter((m) => !implemented.includes(m))).toEqual([]);
  expect(all.filter((e) => (e as { error?: string }).error)).toEqual([]);
  const runs = all.filter((e) => e.method === "Run" && e.argv);
  // up --skip-preview runs the program once, refresh and destroy do not, preview once.
  expect(runs).toHaveLength(2);
  const expected = (dryRun: boolean) =>
    officialArguments({
      programDir: path.join(ROOT, "examples", "quickstart"),
      rootDir: ROOT,
      project: "cycle-quickstart",
      stack: STACK,
      entry: "index.ts",
      dryRun,
    });
  expect(runs[0].argv).toEqual(expected(false));
  expect(runs[1].argv).toEqual(expected(true));
  for (const e of runs) expect(e.envAdded).toEqual(["PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", "PULUMI_NODEJS_TYPESCRIPT"]);
  expect(all.filter((e) => e.exit !== undefined)).toEqual([]);
});

describe.each(EXAMPLES.map((e) => [e]))("examples/%s", (name) => {
  test("up, preview --expect-no-changes, destroy", async () => {
    // `npm run typecheck` type-checks the examples; here ts-node only transpiles them (faster).
    const r = await run(name, { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    expect(r.up.code).toBe(0);
    const runs = entries().filter((e) => e.method === "Run" && e.argv);
    expect(runs[0].argv).toEqual(
      officialArguments({
        programDir: path.join(ROOT, "examples", name),
        rootDir: path.join(ROOT, "examples", name),
        project: `cycle-${name}`,
        stack: STACK,
        entry: "index.ts",
        dryRun: false,
      }),
    );
  });
});
