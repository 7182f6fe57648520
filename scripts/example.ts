/**
 * `npm run example -- <name> [--keep]`: one example, end to end, against
 * the embedded emulator: the emulator is started, what the example needs is
 * seeded, the stack config is set as a user would, then `pulumi up`, the
 * outputs, `pulumi preview --expect-no-changes` and `pulumi destroy`.
 *
 * --keep  skip the destroy and keep the emulator running (Ctrl-C to stop),
 *         printing the commands to look at the stack meanwhile.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../emulator";
import { EXAMPLES, ExampleName, ROOT, runProgram, YAML_EXAMPLES } from "./examples";

const ALL: readonly string[] = [...EXAMPLES, ...YAML_EXAMPLES];
const USAGE = `usage: npm run example -- <${ALL.join("|")}> [--keep]`;

async function main(argv: string[]): Promise<void> {
  const keep = argv.includes("--keep");
  const rest = argv.filter((a) => a !== "--keep");
  if (rest.length !== 1 || !ALL.includes(rest[0])) {
    console.error(rest.length === 0 ? USAGE : `unknown example ${rest.join(" ")}\n${USAGE}`);
    process.exit(2);
  }
  const name = rest[0] as ExampleName;
  const emulator = await startEmulator({ jobStepMs: Number(process.env.CYCLE_EMULATOR_JOB_STEP_MS ?? 250) });
  console.log(`\n=== examples/${name} against the Cycle API emulator at ${emulator.url} ===`);
  if (fs.existsSync(path.join(ROOT, ".cache", "examples", name, "state"))) {
    console.log(`A stack from an earlier run is in .cache/examples/${name}; its emulator is gone, so this run starts afresh.`);
  }
  let kept = false;
  try {
    const run = await runProgram(name, emulator, {
      keep,
      say: (line) => console.log(`\n=== ${line} ===`),
      echo: (chunk) => process.stdout.write(chunk),
    });
    const host = (YAML_EXAMPLES as readonly string[]).includes(name)
      ? "the YAML language host ran the program, on the provider plugin in bin/"
      : run.stack.languageHost.startsWith("test")
        ? "the test language host of tests/langhost ran the program: this Pulumi CLI has no Node.js language host"
        : "the official Node.js language host ran the program";
    console.log(`\n(${host})`);
    const writes = run.previewRequests.filter((r) => r.method !== "GET").length;
    console.log(
      `\npreview: no changes (${run.previewRequests.length === 0 ? "no API calls" : `${run.previewRequests.length} API calls, ${writes === 0 ? "all reads" : `${writes} writes!`}`})`,
    );
    if (keep) {
      kept = true;
      console.log(
        `\nThe emulator keeps running and the stack is kept. In another shell:\n\n  ${run.stack.inspectCommands().join("\n  ")}\n\nCtrl-C stops the emulator (the next run starts afresh).`,
      );
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    } else {
      console.log("\ndestroyed: the hub holds nothing from this stack.");
    }
  } finally {
    await emulator.close();
    if (kept) console.log("emulator stopped");
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`\nexample failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
