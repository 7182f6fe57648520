/**
 * `npm start [-- --keep]`: the quick start, end to end, on this machine.
 *
 * Starts the Cycle API emulator and runs the program `Pulumi.yaml` names
 * (examples/quickstart/index.ts) from the repository root, exactly as the
 * README's real-API section does against api.cycle.io: `pulumi config set`
 * (credentials with --secret), `pulumi up`, then `pulumi preview
 * --expect-no-changes`. The stack (`emulator`) lives in .cache/quickstart.
 *
 * --keep  keep the emulator running afterwards (Ctrl-C stops it) and print
 *         the commands to look at the stack meanwhile.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../emulator";
import { DEMO_STACK, ROOT, runProgram } from "./examples";

const DIR = path.join(ROOT, ".cache", "quickstart");

function heading(text: string): void {
  console.log(`\n=== ${text} ===`);
}

/** One line per integration when its verify job starts, by name: what `pulumi up` is waiting for. */
function watchVerifications(emulator: EmulatorHandle): () => void {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const e of emulator.requestLog) {
      const m = /^\/v1\/hubs\/current\/integrations\/([0-9a-f]+)\/tasks/.exec(e.path);
      if (e.method !== "POST" || !m || seen.has(m[1])) continue;
      seen.add(m[1]);
      const i = emulator.integrations().find((x) => x.id === m[1]);
      if (i) console.log(`    ... ${i.name} (${i.vendor}): waiting for its verify job`);
    }
  }, 100);
  return () => clearInterval(timer);
}

/**
 * The CLI's output, less the warning that the language host comes from PATH
 * (said once, in plain words, at the end), and less a Diagnostics section
 * left empty without it.
 */
function echoFiltered(): (chunk: string) => void {
  let pending = "";
  let diagnostics: string[] | undefined;
  const emit = (line: string): void => {
    if (/using pulumi-language-nodejs from \$PATH/.test(line)) return;
    if (line === "Diagnostics:") {
      diagnostics = [line];
      return;
    }
    if (diagnostics) {
      // The section ends at the next unindented, non-empty line.
      if (line === "" || line.startsWith(" ")) {
        diagnostics.push(line);
        return;
      }
      const body = diagnostics.slice(1).filter((l) => l.trim() !== "" && !/^ {2}\S.*:$/.test(l));
      if (body.length > 0) process.stdout.write(`${diagnostics.join("\n")}\n`);
      diagnostics = undefined;
    }
    process.stdout.write(`${line}\n`);
  };
  return (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) emit(line);
  };
}

async function main(argv: string[]): Promise<void> {
  const keep = argv.includes("--keep");
  const unknown = argv.filter((a) => a !== "--keep");
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown.join(" ")}\nusage: npm start [-- --keep]`);
    process.exit(2);
  }
  const emulator = await startEmulator({ jobStepMs: Number(process.env.CYCLE_EMULATOR_JOB_STEP_MS ?? 250) });
  heading(`Cycle API emulator at ${emulator.url} (hub ${emulator.hubs.primary})`);
  if (fs.existsSync(path.join(DIR, "state"))) {
    console.log("A stack from an earlier `npm start` is in .cache/quickstart; its emulator is gone (and with it its integrations), so this run starts afresh.");
  }
  let stopWatching = (): void => undefined;
  try {
    const run = await runProgram("root", emulator, {
      dir: DIR,
      stackName: DEMO_STACK,
      keep: true, // no destroy: the stack is there to look at
      skipPreview: true, // the preview comes after: it must show no changes
      env: { CYCLE_QUIET: "1" },
      say: (line) => {
        if (line.startsWith("pulumi up")) stopWatching = watchVerifications(emulator);
        if (line.startsWith("pulumi preview")) {
          stopWatching();
          return; // its result is printed below
        }
        heading(line.startsWith("pulumi up") ? `${line} (the program Pulumi.yaml names: examples/quickstart/index.ts)` : line);
      },
      echo: echoFiltered(),
    });
    stopWatching();
    if (run.stack.languageHost.startsWith("test")) {
      console.log(
        "\n(This Pulumi CLI, built from Go modules, has no Node.js language host: the program ran through the test host of tests/langhost, which starts it the way the official one does.)",
      );
    }

    heading("What happened in the hub");
    const integrations = emulator.integrations(emulator.hubs.primary);
    const verifyJobs = emulator.jobs().filter((j) => j.caption === "Verify integration");
    console.log(`${integrations.length} integrations created, ${verifyJobs.length} verify jobs run`);
    for (const i of integrations) {
      const note = i.state.current === "new" ? "  <- no verification for this vendor: `new` is its final state, and it is usable" : "";
      console.log(`  ${i.id}  ${i.vendor.padEnd(14)} ${i.state.current.padEnd(9)} ${i.name}${note}`);
    }
    const failedJobs = emulator.jobs().filter((j) => j.state.current !== "completed");
    if (failedJobs.length > 0) throw new Error(`${failedJobs.length} jobs did not complete`);

    heading("pulumi preview --expect-no-changes: the result");
    const writes = run.previewRequests.filter((r) => r.method !== "GET").length;
    console.log(
      `no changes (${run.previewRequests.length === 0 ? "no API calls" : `${run.previewRequests.length} API calls, ${writes === 0 ? "all reads" : `${writes} writes`}`})`,
    );

    heading("Next");
    console.log(`The stack "${DEMO_STACK}" is in .cache/quickstart; the next \`npm start\` starts it afresh.`);
    if (keep) {
      console.log(
        `The emulator keeps running. In another shell, from the repository root:\n\n  ${run.stack.inspectCommands().join("\n  ")}\n\nCtrl-C stops the emulator.`,
      );
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    } else {
      console.log("To look at the stack with the emulator still running: npm start -- --keep");
      console.log("To run the same program against the real Cycle API: see the README (Against the real Cycle API).");
      console.log("Other examples: npm run example -- <quickstart|adoption|catalogue|multi-hub>");
    }
  } finally {
    stopWatching();
    await emulator.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`\nquick start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
