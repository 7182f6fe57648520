#!/usr/bin/env node
/**
 * `pulumi-cycle`: commands shipped with the package. Run from the Pulumi
 * program's directory, e.g. `npx pulumi-cycle recover --stack dev`.
 */
import { CliError } from "./pulumi";
import { recover } from "./recover";

const MAIN_HELP = `Usage: pulumi-cycle <command> [options]

Commands:
  recover   Record in state the integrations an interrupted \`pulumi up\` created

Options:
  -h, --help      Show help (\`pulumi-cycle <command> --help\` for a command)
  -v, --version   Show the version

Run from your Pulumi program's directory; uses \`pulumi\` on PATH (or PULUMI_CLI).`;

const RECOVER_HELP = `Usage: pulumi-cycle recover --stack <name> [--yes] [--since <time>]

After a \`pulumi up\` was interrupted (killed, crashed) while it created
Integrations, the stack holds pending creates. This finds, in the hub, the
integrations those creates made (exactly the vendor, name, identifier and extra
they sent, created after the update started, and not already in the stack),
shows the plan, and with --yes writes them into the stack's state with
\`pulumi stack import\` (after a backup) and drops the pending creates. Then run
\`pulumi up\`.

Options:
  -s, --stack <name>   The stack (required)
  -y, --yes            Write the new state (otherwise only show the plan)
      --since <time>   When the interrupted update started (RFC 3339, this
                       machine's clock), instead of reading it from the stack's
                       history and checkpoint
  -h, --help           Show this help

Connection: cycle:apiKey / CYCLE_API_KEY, cycle:hubId / CYCLE_HUB_ID (or each
resource's hubId), cycle:apiUrl / CYCLE_API_URL, as for the provider.

Exit codes: 0 done (or nothing to do), 1 failed, 2 wrong usage.`;

type Out = (text: string) => void;

function version(): string {
  try {
    // bin/provider/cli/main.js -> package.json
    return (require("../../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

interface RecoverArgs {
  stack?: string;
  yes: boolean;
  since?: string;
  help: boolean;
}

function parseRecoverArgs(args: string[]): RecoverArgs {
  const parsed: RecoverArgs = { yes: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined || v.startsWith("-")) throw new CliError(`${flag} needs a value\n\n${RECOVER_HELP}`, 2);
      return v;
    };
    switch (flag) {
      case "-s":
      case "--stack":
        parsed.stack = value();
        break;
      case "-y":
      case "--yes":
        parsed.yes = true;
        break;
      case "--since":
        parsed.since = value();
        break;
      case "-h":
      case "--help":
        parsed.help = true;
        break;
      default:
        throw new CliError(`unknown ${a.startsWith("-") ? "option" : "argument"} ${a}\n\n${RECOVER_HELP}`, 2);
    }
  }
  return parsed;
}

function isRfc3339(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s));
}

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[], out: Out = (t) => process.stdout.write(`${t}\n`), err: Out = (t) => process.stderr.write(`${t}\n`)): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      (command === undefined ? err : out)(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === "-v" || command === "--version") {
      out(version());
      return 0;
    }
    if (command !== "recover") throw new CliError(`unknown command ${command}\n\n${MAIN_HELP}`, 2);
    const args = parseRecoverArgs(rest);
    if (args.help) {
      out(RECOVER_HELP);
      return 0;
    }
    if (!args.stack) throw new CliError(`--stack is required\n\n${RECOVER_HELP}`, 2);
    if (args.since !== undefined && !isRfc3339(args.since)) throw new CliError(`--since: not an RFC 3339 time (e.g. 2026-01-31T14:05:00Z): ${args.since}`, 2);
    return await recover({ stack: args.stack, yes: args.yes, since: args.since, out });
  } catch (e) {
    if (e instanceof CliError) {
      err(`pulumi-cycle: ${e.message}`);
      return e.exitCode;
    }
    // Unexpected: still no stack trace (it could hold request details); CYCLE_DEBUG=1 shows it.
    err(`pulumi-cycle: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.CYCLE_DEBUG && e instanceof Error && e.stack) err(e.stack);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
