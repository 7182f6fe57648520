/**
 * `npm run emulator [-- --port 8765 --job-step-ms 300 --api-key KEY]`
 *
 * Starts the emulator in the foreground, prints where it is and how to talk
 * to it (a readable block, then one line of JSON for scripts), and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { startEmulator, EmulatorHandle, EmulatorOptions, DATE_HEADER_MODES, DateHeaderMode } from "./index";
import { ApiCreatorType, API_CREATOR_TYPES, BehaviourOptions, LENIENT_BEHAVIOUR, SEARCH_FIELDS, SearchField } from "./options";

const USAGE = `usage: emulator [--port N] [--host H] [--job-step-ms N] [--delete-grace-ms N]
                [--api-key KEY] [--hub-id ID] [--no-control-plane] [--lenient]
                [--echo-auth] [--max-page-size N] [--search-fields LIST]
                [--job-not-found-reads N] [--creator-type T] [--clock-offset-ms N] [--no-quote-credentials]
                [--date-header MODE] [--date-skew-ms N] [--trickle-bytes-per-second N]

  --port N                 port to listen on (default 0: a free port)
  --host H                 interface (default 127.0.0.1)
  --job-step-ms N          duration of each job step (default 300)
  --delete-grace-ms N      how long a deleted integration stays readable (default 5000)
  --api-key KEY            fix the admin API key instead of a random one
  --hub-id ID              fix the primary hub ID (24 lowercase hex)
  --no-control-plane       do not serve /_emulator/

Where the contract is open the defaults are the strictest choice:
  --echo-auth              answer stored auth values (default: every one null)
  --redact-auth            the default; accepted for old scripts
  --max-page-size N        most items per page, 1..100 (default 25)
  --search-fields LIST     what filter[search] matches, of name,identifier,vendor (default name)
  --job-not-found-reads N  reads of every new job answering 404.job (default 1)
  --creator-type T         creator of API creations: account | api-key (default account)
  --clock-offset-ms N      server clock minus machine clock, may be negative (default -90000)
  --no-quote-credentials   a failed verification names the field only (default: quotes the value)
  --date-header MODE       the Date header: server (default) | missing | garbage
  --date-skew-ms N         added to the Date header only, not to the API's timestamps (default 0)
  --trickle-bytes-per-second N  write every answer's body N bytes a second (default 0: at once)
  --lenient                the helpful values of all seven at once (later flags still win):
                           echo, 100, name,identifier,vendor, 0, api-key, 0`;

/** Defaults closer to the real API's pace than the test defaults. */
const CLI_JOB_STEP_MS = 300;
const CLI_DELETE_GRACE_MS = 5000;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { jobStepMs: CLI_JOB_STEP_MS, deleteGraceMs: CLI_DELETE_GRACE_MS, seed: {} };
  // Behaviour flags given one by one; they win over --lenient wherever it appears.
  const explicit: BehaviourOptions = {};
  let lenient = false;
  const value = (i: number, flag: string): string => argv[i + 1] ?? fail(`${flag} needs a value`);
  const int = (i: number, flag: string): number => {
    const v = value(i, flag);
    if (!/^[0-9]+$/.test(v)) fail(`${flag} must be a non-negative integer`);
    return Number(v);
  };
  const signedInt = (i: number, flag: string): number => {
    const v = value(i, flag);
    if (!/^-?[0-9]+$/.test(v)) fail(`${flag} must be an integer`);
    return Number(v);
  };
  const oneOf = <T extends string>(i: number, flag: string, allowed: readonly T[]): T => {
    const v = value(i, flag);
    if (!(allowed as readonly string[]).includes(v)) fail(`${flag} must be one of ${allowed.join(", ")}`);
    return v as T;
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
        explicit.echoAuth = false;
        break;
      case "--echo-auth":
        explicit.echoAuth = true;
        break;
      case "--max-page-size":
        explicit.maxPageSize = int(i++, flag);
        break;
      case "--search-fields": {
        const list = value(i++, flag).split(",");
        if (!list.every((f) => (SEARCH_FIELDS as readonly string[]).includes(f))) fail(`${flag} takes a comma-separated list of ${SEARCH_FIELDS.join(", ")}`);
        explicit.searchFields = list as SearchField[];
        break;
      }
      case "--job-not-found-reads":
        explicit.jobNotFoundReads = int(i++, flag);
        break;
      case "--creator-type":
        explicit.creatorType = oneOf<ApiCreatorType>(i++, flag, API_CREATOR_TYPES);
        break;
      case "--clock-offset-ms":
        explicit.clockOffsetMs = signedInt(i++, flag);
        break;
      case "--no-quote-credentials":
        explicit.quoteCredentials = false;
        break;
      case "--date-header":
        opts.dateHeader = oneOf<DateHeaderMode>(i++, flag, DATE_HEADER_MODES);
        break;
      case "--date-skew-ms":
        opts.dateSkewMs = signedInt(i++, flag);
        break;
      case "--trickle-bytes-per-second":
        opts.trickleBytesPerSecond = int(i++, flag);
        break;
      case "--lenient":
        lenient = true;
        break;
      case "--no-control-plane":
        opts.controlPlane = false;
        break;
      case "-h":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        return process.exit(0);
      default:
        fail(`unknown argument ${flag}`);
    }
  }
  return { ...opts, ...(lenient ? LENIENT_BEHAVIOUR : {}), ...explicit };
}

function describeBehaviour(b: EmulatorHandle["options"]): string {
  return [
    b.echoAuth ? "auth echoed" : "auth never echoed",
    `pages of at most ${b.maxPageSize}`,
    `search in ${b.searchFields.join(", ")}`,
    `${b.jobNotFoundReads} 404.job read(s) per new job`,
    `creator ${b.creatorType}`,
    `clock ${b.clockOffsetMs >= 0 ? "+" : ""}${b.clockOffsetMs} ms`,
  ].join("; ");
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
      `  behaviour:      ${describeBehaviour(emulator.options)}`,
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
