/**
 * `npm run emulator [-- --port 8765 --job-step-ms 300 --api-key KEY]`
 *
 * Starts the emulator in the foreground, prints where it is and how to talk
 * to it (a readable block, then one line of JSON for scripts), and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { startEmulator, EmulatorOptions } from "./index";

const USAGE = `usage: emulator [--port N] [--host H] [--job-step-ms N] [--delete-grace-ms N]
                [--api-key KEY] [--hub-id ID] [--redact-auth] [--no-control-plane]

  --port N             port to listen on (default 0: a free port)
  --host H             interface (default 127.0.0.1)
  --job-step-ms N      duration of each job step (default 300)
  --delete-grace-ms N  how long a deleted integration stays readable (default 5000)
  --api-key KEY        fix the admin API key instead of a random one
  --hub-id ID          fix the primary hub ID (24 lowercase hex)
  --redact-auth        answer auth values as null
  --no-control-plane   do not serve /_emulator/`;

/** Defaults closer to the real API's pace than the test defaults. */
const CLI_JOB_STEP_MS = 300;
const CLI_DELETE_GRACE_MS = 5000;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { jobStepMs: CLI_JOB_STEP_MS, deleteGraceMs: CLI_DELETE_GRACE_MS, seed: {} };
  const value = (i: number, flag: string): string => argv[i + 1] ?? fail(`${flag} needs a value`);
  const int = (i: number, flag: string): number => {
    const v = value(i, flag);
    if (!/^[0-9]+$/.test(v)) fail(`${flag} must be a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case "--port":
        opts.port = int(i++, flag);
        break;
      case "--host":
        opts.host = value(i++, flag);
        break;
      case "--job-step-ms":
        opts.jobStepMs = int(i++, flag);
        break;
      case "--delete-grace-ms":
        opts.deleteGraceMs = int(i++, flag);
        break;
      case "--api-key":
        opts.seed!.keys = { admin: value(i++, flag) };
        break;
      case "--hub-id":
        opts.seed!.hubs = { primary: value(i++, flag) };
        break;
      case "--redact-auth":
        opts.redactAuth = true;
        break;
      case "--no-control-plane":
        opts.controlPlane = false;
        break;
      case "-h":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        fail(`unknown argument ${flag}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
  const k = emulator.keys;
  process.stdout.write(
    [
      "Cycle API emulator (emulator-only keys: never valid against api.cycle.io)",
      `  URL:            ${emulator.url}`,
      `  Hub ID:         ${emulator.hubs.primary}`,
      `  API key:        ${k.admin}   (admin: view, manage, jobs-view)`,
      `  other keys:     viewOnly ${k.viewOnly} | noJobsView ${k.noJobsView}`,
      `                  otherHub ${k.otherHub} (hub ${emulator.hubs.secondary}) | expired ${k.expired}`,
      `  verification fails when an auth value contains "invalid"`,
      "",
      JSON.stringify({ url: emulator.url, apiKey: k.admin, hubId: emulator.hubs.primary }),
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`emulator: ${signal}, shutting down\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${(e as Error).message}\n`);
  process.exit(1);
});
