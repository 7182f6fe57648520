#!/usr/bin/env node
/**
 * `pulumi-cycle`: commands shipped with the package. Run from the Pulumi
 * program's directory, e.g. `npx pulumi-cycle recover --stack dev`.
 */
import { parseFlags } from "./args";
import { DEFAULT_IMPORT_FILES, importFromStack, importHub } from "./import";
import { IMPORT_FORMATS, parseImportFormat } from "./importPlan";
import { CliError } from "./pulumi";
import { recover } from "./recover";
import { packageVersion } from "./version";

const MAIN_HELP = `Usage: pulumi-cycle <command> [options]

Commands:
  import    Write a program that adopts a hub's existing integrations, or a
            file for \`pulumi import\` that reads them into a stack
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

const IMPORT_HELP = `Usage: pulumi-cycle import [--format typescript|yaml|bulk] [--hub <id>] [--api-url <url>]
                          [--out <file>] [--stack <name>] [--force]
       pulumi-cycle import --from-stack [--format bulk] [--out <file>] [--stack <name>] [--force]

Reads every integration of a hub and writes, by --format:

  typescript (default)  A Pulumi program module with one dynamic Integration
                        per integration.
  yaml                  A Pulumi YAML program with one cycle:index:Integration
                        (the native provider plugin) per integration.
  bulk                  A file for \`pulumi import --file <file>\`, which reads
                        each integration into a stack of the native provider
                        and writes the program itself, in the project's
                        language.

The programs declare each integration's vendor, name, identifier and extra as
they are, \`adoptId\` set (so \`pulumi up\` takes it over instead of creating
one), and each credential field its vendor has read from the secret stack
config value "<resource name>.<field>" (e.g. "aws-prod.keyId"). Resource names
come from the identifiers. Prints the \`pulumi config set --secret\` commands
to run: the API does not give credentials back, so no value is ever printed.
Integrations being deleted or deleted, those whose vendor is deprecated, not
usable or not editable (adopting would send credentials), and those whose
current values the provider's check refuses today (a value an older pattern
allowed, a short name), are listed with the reason and left out, so that the
program written previews.

The bulk file leaves out only integrations being deleted or deleted: \`pulumi
import\` sends nothing, so integrations of non-editable vendors come in too.
Its IDs are "<hubId>/<integrationId>".

With --from-stack, no hub is read: the bulk file lists the dynamic
Integrations of the stack's state (\`pulumi stack export\`) under their own
names, to move the stack to the native provider without an API write, and the
command prints the steps (\`pulumi import --file\`, then \`pulumi state
delete\` of the dynamic resources). Those it cannot move (never settled, their
own apiKey or apiUrl, protected, depended on) are listed and left as they are.

Options:
      --format <f>      typescript, yaml or bulk (default: typescript; bulk
                        with --from-stack)
      --from-stack      Read the stack's dynamic Integrations instead of a hub
      --hub <id>        The hub (default: cycle:hubId, then CYCLE_HUB_ID)
      --api-url <url>   The Cycle API (default: cycle:apiUrl, then
                        CYCLE_API_URL, then https://api.cycle.io)
  -o, --out <file>      The file to write (default: ${DEFAULT_IMPORT_FILES.typescript},
                        ${DEFAULT_IMPORT_FILES.yaml} or ${DEFAULT_IMPORT_FILES.bulk}, by format)
  -s, --stack <name>    The stack whose config is read and that the printed
                        commands name (default: the selected stack, if any)
  -f, --force           Overwrite the file if it exists
  -h, --help            Show this help

The API key: cycle:apiKey in the stack config, else CYCLE_API_KEY. It is never
printed.

Exit codes: 0 done, 1 failed, 2 wrong usage.`;

type Out = (text: string) => void;

interface RecoverArgs {
  stack?: string;
  yes: boolean;
  since?: string;
  help: boolean;
}

function parseRecoverArgs(args: string[]): RecoverArgs {
  const { values, help } = parseFlags(
    args,
    [
      { long: "--stack", short: "-s", value: true },
      { long: "--yes", short: "-y", value: false },
      { long: "--since", value: true },
    ],
    RECOVER_HELP,
  );
  return { stack: values.stack, yes: values.yes === "true", since: values.since, help };
}

function isRfc3339(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s));
}

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(
  argv: string[],
  out: Out = (t) => process.stdout.write(`${t}\n`),
  err: Out = (t) => process.stderr.write(`${t}\n`),
): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      (command === undefined ? err : out)(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === "-v" || command === "--version") {
      out(packageVersion());
      return 0;
    }
    if (command === "import") {
      const { values, help } = parseFlags(
        rest,
        [
          { long: "--format", value: true },
          { long: "--from-stack", value: false },
          { long: "--hub", value: true },
          { long: "--api-url", value: true },
          { long: "--out", short: "-o", value: true },
          { long: "--stack", short: "-s", value: true },
          { long: "--force", short: "-f", value: false },
        ],
        IMPORT_HELP,
      );
      if (help) {
        out(IMPORT_HELP);
        return 0;
      }
      if (values["from-stack"] === "true") {
        for (const flag of ["hub", "api-url"]) {
          if (values[flag] !== undefined) throw new CliError(`--${flag}: not with --from-stack, which reads no hub\n\n${IMPORT_HELP}`, 2);
        }
        if (values.format !== undefined && values.format !== "bulk") {
          throw new CliError(`--format: --from-stack writes a bulk-import file only (got ${values.format})\n\n${IMPORT_HELP}`, 2);
        }
        return await importFromStack({ stack: values.stack, outFile: values.out, force: values.force === "true", out });
      }
      const format = parseImportFormat(values.format ?? "typescript");
      if (!format) throw new CliError(`--format: one of ${IMPORT_FORMATS.join(", ")} (got ${values.format})\n\n${IMPORT_HELP}`, 2);
      return await importHub({
        format,
        hub: values.hub,
        apiUrl: values["api-url"],
        outFile: values.out,
        force: values.force === "true",
        stack: values.stack,
        out,
      });
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
