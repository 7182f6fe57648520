/**
 * `npm run bench`: what a user sees. The packed package is installed in a
 * fresh program directory and driven by the real Pulumi CLI, exactly as the
 * end-to-end tests do (`tests/e2e/harness.ts`), at the CLI's default
 * parallelism, against the emulator with 25 ms of latency on every request
 * and jobs of realistic length (a verify job is one queued step and three
 * running steps: `jobStepMs` 250 for 1 s jobs, 7,500 for 30 s jobs; a delete
 * job one queued and two running). In the same run a plain script makes the
 * same API calls (same client, as many at once, polling each job every
 * 100 ms) for comparison.
 *
 * For up / preview / refresh / destroy it prints the wall time of the CLI
 * operation, its API phase (first request to last answer), the script's time
 * and the ratio, requests by kind, how long after each job's completion the
 * provider had its answer and how many times it read the job, and the bytes
 * each integration takes in `pulumi stack export`. The native provider
 * plugin runs the same N integrations as a Pulumi YAML program, through the
 * same CLI, in the same run (`native.ts`): its figures stand beside the
 * dynamic provider's and the script's.
 *
 *   npm run bench                 1 s jobs at N = 20 and 100, 30 s jobs at N = 20
 *   npm run bench -- --full       also 30 s jobs at N = 100 (about 25 minutes more)
 *   npm run bench -- --quick      N = 5, 0.4 s jobs: what CI can afford
 *   npm run bench -- --n 50 --job-ms 1000
 *
 * Timings depend on the machine and its load: they are printed with both,
 * and asserted nowhere.
 */
import * as os from "os";
import { performance } from "perf_hooks";
import { startEmulator, EmulatorHandle } from "../emulator";
import type { RequestLogEntry } from "../emulator/log";
import { CycleClient } from "../provider/api/client";
import { configure, createProject, declare, E2EProject, exportStack, removeProject, run, emulatorConfig } from "../tests/e2e/harness";
import { AWS_GOOD } from "../tests/helpers/fixtures";
import { apiPhaseMs, byKind, describeWaits, formatKinds, jobWaits, median, WaitFigures } from "./measure";
import { nativeStack } from "./native";
import { Script } from "./script";

const LATENCY_MS = 25;
const VERIFY_STEPS = 4; // one queued + three running

interface Scenario {
  n: number;
  jobMs: number;
}

function parseArgs(argv: string[]): { scenarios: Scenario[]; mode: string } {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (get("--n") || get("--job-ms")) {
    return { mode: "custom", scenarios: [{ n: Number(get("--n") ?? 20), jobMs: Number(get("--job-ms") ?? 1000) }] };
  }
  if (argv.includes("--quick")) return { mode: "quick", scenarios: [{ n: 5, jobMs: 400 }] };
  const scenarios: Scenario[] = [
    { n: 20, jobMs: 1000 },
    { n: 100, jobMs: 1000 },
    { n: 20, jobMs: 30_000 },
  ];
  if (argv.includes("--full")) scenarios.push({ n: 100, jobMs: 30_000 });
  return { mode: argv.includes("--full") ? "full" : "default", scenarios };
}

interface OpFigures {
  op: string;
  wallMs: number;
  apiMs: number;
  kinds: Record<string, number>;
  scriptMs?: number;
  scriptKinds?: Record<string, number>;
  waits?: WaitFigures;
  scriptWaits?: WaitFigures;
  /** The same operation on the native plugin (a YAML program). */
  native?: { wallMs: number; apiMs: number; kinds: Record<string, number>; waits?: WaitFigures };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t };
}

interface ScenarioFigures {
  ops: OpFigures[];
  bytesPerIntegration: number;
  providerBytes: number;
  nativeBytesPerIntegration: number;
}

const perIntegration = (sizes: number[]) => (sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) : 0);

async function scenario(project: E2EProject, sc: Scenario): Promise<ScenarioFigures> {
  const stepMs = Math.round(sc.jobMs / VERIFY_STEPS);
  const emu: EmulatorHandle = await startEmulator({ jobStepMs: stepMs, deleteGraceMs: 2_000 });
  emu.faults.latency(LATENCY_MS);
  const stack = `bench-${sc.jobMs}-${sc.n}-${Date.now().toString(36)}`;
  const ops: OpFigures[] = [];
  try {
    await configure(project, stack, {
      ...emulatorConfig(emu),
      awsKeyId: { value: AWS_GOOD.keyId, secret: true },
      awsSecret: { value: AWS_GOOD.secret, secret: true },
    });
    declare(
      project,
      stack,
      Array.from({ length: sc.n }, (_, i) => ({
        name: `i${i}`,
        args: { vendor: "aws", name: `Bench integration ${i}`, auth: { keyId: "config:awsKeyId", secret: "config:awsSecret" } },
      })),
    );
    const cli = async (op: string): Promise<{ wallMs: number; log: RequestLogEntry[] }> => {
      emu.clearLog();
      const r = await timed(() => run(project, stack, op));
      if (!r.value.ok) throw new Error(`${op} failed: ${r.value.error}`);
      return { wallMs: r.ms, log: [...emu.requestLog] };
    };
    const stackIds = () =>
      new Set(
        emu
          .integrations(emu.hubs.primary)
          .filter((i) => i.name.startsWith("Bench integration"))
          .map((i) => i.id),
      );

    const up = await cli("up");
    ops.push({ op: "up", wallMs: up.wallMs, apiMs: apiPhaseMs(up.log), kinds: byKind(up.log), waits: jobWaits(emu, up.log, "Verify integration", stackIds()) });
    const preview = await cli("preview");
    ops.push({ op: "preview", wallMs: preview.wallMs, apiMs: apiPhaseMs(preview.log), kinds: byKind(preview.log) });
    const refresh = await cli("refresh");
    ops.push({ op: "refresh", wallMs: refresh.wallMs, apiMs: apiPhaseMs(refresh.log), kinds: byKind(refresh.log) });
    const exported = exportStack(project, stack);
    const sizes = exported.integrations.map((r) => JSON.stringify(r).length);
    const provider = (exported.integrations[0]?.inputs as Record<string, unknown> | undefined)?.__provider;
    const providerBytes = typeof provider === "string" ? provider.length : 0;
    const ids = stackIds();
    const destroy = await cli("destroy");
    ops.push({
      op: "destroy",
      wallMs: destroy.wallMs,
      apiMs: apiPhaseMs(destroy.log),
      kinds: byKind(destroy.log),
      waits: jobWaits(emu, destroy.log, "Delete integration", ids),
    });

    // The same integrations on the native plugin, as a YAML program.
    const nativeIds = () =>
      new Set(
        emu
          .integrations(emu.hubs.primary)
          .filter((i) => i.name.startsWith("Native integration"))
          .map((i) => i.id),
      );
    const native = await nativeStack(project, `native-${stack}`, sc.n, "Native integration", {
      ...emulatorConfig(emu),
      awsKeyId: { value: AWS_GOOD.keyId, secret: true },
      awsSecret: { value: AWS_GOOD.secret, secret: true },
    });
    let nativeSizes: number[] = [];
    let nativeCreated = new Set<string>();
    for (const [i, op] of ["up", "preview", "refresh", "destroy"].entries()) {
      if (op === "destroy") {
        const exportedNative = JSON.parse(await native.exportText()) as { deployment: { resources?: Array<{ type: string }> } };
        nativeSizes = (exportedNative.deployment.resources ?? []).filter((r) => r.type === "cycle:index:Integration").map((r) => JSON.stringify(r).length);
        nativeCreated = nativeIds();
      }
      emu.clearLog();
      const r = await timed(() => native.run(op));
      const log = [...emu.requestLog];
      const waits =
        op === "up"
          ? jobWaits(emu, log, "Verify integration", nativeIds())
          : op === "destroy"
            ? jobWaits(emu, log, "Delete integration", nativeCreated)
            : undefined;
      ops[i].native = { wallMs: r.ms, apiMs: apiPhaseMs(log), kinds: byKind(log), waits };
    }

    // The same API work from a plain script.
    const script = new Script(new CycleClient({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, baseUrl: emu.url }), os.cpus().length * 4);
    const names = Array.from({ length: sc.n }, (_, i) => `Script integration ${i}`);
    emu.clearLog();
    const sUp = await timed(() => script.up(names));
    const scriptIds = new Set(sUp.value);
    const sUpLog = [...emu.requestLog];
    Object.assign(ops[0], { scriptMs: apiPhaseMs(sUpLog), scriptKinds: byKind(sUpLog), scriptWaits: jobWaits(emu, sUpLog, "Verify integration", scriptIds) });
    Object.assign(ops[1], { scriptMs: 0, scriptKinds: {} });
    emu.clearLog();
    await script.refresh(sUp.value);
    Object.assign(ops[2], { scriptMs: apiPhaseMs(emu.requestLog), scriptKinds: byKind(emu.requestLog) });
    emu.clearLog();
    await script.destroy(sUp.value);
    const sDelLog = [...emu.requestLog];
    Object.assign(ops[3], {
      scriptMs: apiPhaseMs(sDelLog),
      scriptKinds: byKind(sDelLog),
      scriptWaits: jobWaits(emu, sDelLog, "Delete integration", scriptIds),
    });
    return { ops, bytesPerIntegration: perIntegration(sizes), providerBytes, nativeBytesPerIntegration: perIntegration(nativeSizes) };
  } finally {
    await emu.close();
  }
}

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : "—");

function print(sc: Scenario, r: ScenarioFigures, parallel: number): void {
  console.log(
    `\n## ${sc.n} integrations, ${sc.jobMs / 1000} s verify jobs (jobStepMs ${Math.round(sc.jobMs / VERIFY_STEPS)}), ${LATENCY_MS} ms per request, parallelism ${parallel} (CLI default)\n`,
  );
  console.log("Wall time of the CLI operation and its API phase (first request to last answer); the script's API phase; ratios of API phases.\n");
  console.log("| op | dynamic: wall | dynamic: API | native: wall | native: API | script | dynamic / script | native / script | native / dynamic (wall) |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const o of r.ops) {
    const n = o.native;
    console.log(
      `| ${o.op} | ${s(o.wallMs)} | ${s(o.apiMs)} | ${n ? s(n.wallMs) : "—"} | ${n ? s(n.apiMs) : "—"} | ${o.scriptMs ? s(o.scriptMs) : "—"} | ${ratio(o.apiMs, o.scriptMs)} | ${ratio(n?.apiMs, o.scriptMs)} | ${ratio(n?.wallMs, o.wallMs)} |`,
    );
  }
  console.log("\n| op | requests (dynamic) | requests (native) | requests (script) |");
  console.log("|---|---|---|---|");
  for (const o of r.ops) {
    console.log(
      `| ${o.op} | ${formatKinds(o.kinds)} | ${o.native ? formatKinds(o.native.kinds) : "—"} | ${o.scriptKinds ? formatKinds(o.scriptKinds) : "—"} |`,
    );
  }
  const up = r.ops[0];
  const del = r.ops[3];
  const total = (k: Record<string, number>) => Object.values(k).reduce((a, b) => a + b, 0);
  console.log("");
  console.log(`- verify wait, dynamic: ${up.waits ? describeWaits(up.waits) : "—"}`);
  console.log(`- verify wait, native:  ${up.native?.waits ? describeWaits(up.native.waits) : "—"}`);
  console.log(`- verify wait, script:  ${up.scriptWaits ? describeWaits(up.scriptWaits) : "—"}`);
  console.log(
    `- delete wait, dynamic: ${del.waits ? describeWaits(del.waits) : "—"}; requests per delete ${del.waits ? median(del.waits.requests) + 1 : "—"} (median, the DELETE included)`,
  );
  console.log(`- delete wait, native:  ${del.native?.waits ? describeWaits(del.native.waits) : "—"}`);
  console.log(`- delete wait, script:  ${del.scriptWaits ? describeWaits(del.scriptWaits) : "—"}`);
  console.log(
    `- destroy: ${total(del.kinds)} requests for ${sc.n} integrations (${(total(del.kinds) / sc.n).toFixed(2)} per integration)${del.native ? `; native ${total(del.native.kinds)} (${(total(del.native.kinds) / sc.n).toFixed(2)})` : ""}`,
  );
  console.log(
    `- state: ${r.bytesPerIntegration.toLocaleString("en")} B per integration in \`pulumi stack export\` (its \`__provider\`: ${r.providerBytes.toLocaleString("en")} B, stored in inputs and outputs); native: ${r.nativeBytesPerIntegration.toLocaleString("en")} B`,
  );
}

async function main(): Promise<void> {
  const { scenarios, mode } = parseArgs(process.argv.slice(2));
  const cpus = os.cpus();
  const parallel = cpus.length * 4;
  console.log(`# pulumi-cycle benchmark (${mode})\n`);
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model ?? "?"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  const project = createProject();
  try {
    for (const sc of scenarios) print(sc, await scenario(project, sc), parallel);
  } finally {
    removeProject(project);
  }
  console.log(
    `\nload average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
