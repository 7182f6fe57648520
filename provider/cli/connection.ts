/**
 * The connection of a `pulumi-cycle` command, resolved exactly as the
 * provider resolves it (`resolveConnection` in ../config): the command's
 * flags first, then the stack config (read with the user's `pulumi`), then
 * the environment. Only how a setting is named in messages differs.
 */
import { CycleClient } from "../api/client";
import { Redactor } from "../api/redact";
import { Connection, CycleConfigError, OverrideNames, ProviderSettings, readSettings, requireHub, resolveConnection } from "../config";
import { CliError } from "./pulumi";
import { StackConfig } from "./stackConfig";

/** The flags that stand in for settings (a command may have none; `--hub` is read by `commandHub`). */
export interface ConnectionFlags {
  apiUrl?: string;
}

/** A command's flags, as messages name them; a setting with no flag is left out. */
const FLAG_NAMES: OverrideNames = { hubId: "`--hub <hub ID>`", apiUrl: "`--api-url <url>`" };

export interface CommandConnection {
  connection: Connection;
  config: StackConfig;
  /** What the stack config itself set (a command says which settings still need setting there). */
  fromConfig: ProviderSettings;
  client: CycleClient;
  /** Removes the key from anything shown. */
  redactor: Redactor;
}

/**
 * Resolves the connection and makes the client. A missing or malformed
 * setting is a CliError naming every way to set it (and, when the stack
 * config could not be read, why).
 */
export async function connect(config: StackConfig, env: NodeJS.ProcessEnv, flags: ConnectionFlags = {}): Promise<CommandConnection> {
  const fromConfig = await readSettings((key) => config.get(key));
  const connection = configured(config, () => resolveConnection(fromConfig, env, { apiUrl: flags.apiUrl }, FLAG_NAMES));
  const redactor = new Redactor([connection.apiKey]);
  try {
    const client = new CycleClient({ apiKey: connection.apiKey, baseUrl: connection.apiUrl });
    return { connection, config, fromConfig, client, redactor };
  } catch (err) {
    throw new CliError(`Cannot connect to the Cycle API: ${redactor.redact(err instanceof Error ? err.message : String(err))}`);
  }
}

/** The one hub a command works on: `--hub`, else the configured one; none is a CliError naming every way to set it. */
export function commandHub(c: CommandConnection, flag: string | undefined): string {
  return configured(c.config, () => requireHub(c.connection, flag, FLAG_NAMES));
}

/** Runs a resolution; its configuration mistake becomes a CliError that also names the stack, and why its config could not be read. */
function configured<T>(config: StackConfig, resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    if (!(err instanceof CycleConfigError)) throw err;
    const stack = config.stack ? ` (stack ${config.stack}: add \`--stack ${config.stack}\` to \`pulumi config set\`)` : "";
    const unread = config.problem ? ` (reading the stack config failed: ${config.problem})` : "";
    throw new CliError(`${err.message}${stack}${unread}.`);
  }
}
