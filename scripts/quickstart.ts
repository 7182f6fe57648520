/**
 * `npm start`: the quick start, end to end, on this machine.
 *
 * Starts the Cycle API emulator, points a local stack of
 * examples/quickstart at it (config set as a user would), runs `pulumi up`,
 * prints the outputs and what happened in the hub, then runs a preview that
 * must show no changes.
 */
import * as path from "path";
import { startEmulator } from "../emulator";
import { localStack } from "./localStack";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".cache", "quickstart");

/** Demo credentials that pass the emulator catalogue's checks. Never real ones. */
const DEMO_SECRETS: Record<string, string> = {
  awsAccessKeyId: "AKIAIOSFODNN7EXAMPLE",
  awsSecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  b2KeyId: "0012ab34cd56ef7890",
  b2ApplicationKey: "K0123456789abcdefghijABCDEFGHIJ",
  depotToken: "depot_org_0123456789abcdefghijKLMN",
};

function heading(text: string): void {
  console.log(`\n=== ${text} ===`);
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ jobStepMs: Number(process.env.CYCLE_EMULATOR_JOB_STEP_MS ?? 250) });
  heading(`Cycle API emulator at ${emulator.url} (hub ${emulator.hubs.primary})`);
  try {
    const stack = await localStack({
      dir: DIR,
      workDir: path.join(DIR, "work"),
      programFile: path.join(ROOT, "examples", "quickstart", "index.ts"),
      projectName: "cycle-quickstart",
      stackName: "dev",
      fresh: true, // The emulator starts empty, so the stack does too.
    });

    heading("pulumi config set (as a user would)");
    await stack.setConfig("cycle:apiUrl", { value: emulator.url });
    await stack.setConfig("cycle:hubId", { value: emulator.hubs.primary });
    await stack.setConfig("cycle:apiKey", { value: emulator.keys.admin, secret: true });
    for (const [key, value] of Object.entries(DEMO_SECRETS)) await stack.setConfig(key, { value, secret: true });
    console.log(Object.keys(await stack.getAllConfig()).sort().join("\n"));

    heading("pulumi up");
    const up = await stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" });

    heading("Outputs");
    console.log(JSON.stringify(Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])), null, 2));

    heading("What happened in the hub");
    const log = emulator.requestLog;
    const created = log.filter((e) => e.method === "POST" && /\/integrations(\?|$)/.test(e.path) && e.status === 201).length;
    const verifyJobs = log.filter((e) => e.method === "POST" && e.path.includes("/tasks")).length;
    const jobPolls = log.filter((e) => e.method === "GET" && e.path.startsWith("/v1/jobs/")).length;
    console.log(`${created} integrations created, ${verifyJobs} verify jobs run (${jobPolls} job polls), ${log.length} API calls in all`);
    for (const i of emulator.integrations(emulator.hubs.primary)) {
      console.log(`  ${i.id}  ${i.vendor.padEnd(14)} ${i.state.current.padEnd(9)} ${i.name}`);
    }
    const failedJobs = emulator.jobs().filter((j) => j.state.current !== "completed");
    if (failedJobs.length > 0) throw new Error(`${failedJobs.length} jobs did not complete`);

    heading("pulumi preview (expect no changes)");
    emulator.clearLog();
    const preview = await stack.preview({ expectNoChanges: true, color: "never" });
    console.log(`changes: ${JSON.stringify(preview.changeSummary)}; API calls during preview: ${emulator.requestLog.length} (all reads: ${emulator.requestLog.every((e) => e.method === "GET")})`);
    console.log("\nDone. The stack state is in .cache/quickstart; see the README to run the same program against the real Cycle API.");
  } finally {
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(`\nquick start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
