/**
 * `pulumi-cycle import`: read a hub's integrations and write a Pulumi program
 * module (TypeScript) that adopts each of them (`adoptId`), since `pulumi
 * import` does not work for dynamic resources. Credentials cannot be read
 * back from the API: the module reads them from secret stack config, and the
 * command prints the `pulumi config set --secret` commands to run (never a
 * value). The key comes from the stack config or `CYCLE_API_KEY` and is never
 * printed. See `importPlan.ts` for the names it chooses.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_API_URL } from "../api/baseUrl";
import { ID_PATTERN, Integration } from "../api/types";
import { Catalogue, toCatalogue } from "../catalogue";
import { commandHub, connect } from "./connection";
import { buildImportPlan, shellWord } from "./importPlan";
import { CliError } from "./pulumi";
import { StackConfig } from "./stackConfig";
import { packageVersion } from "./version";

export interface ImportOptions {
  /** The hub (otherwise cycle:hubId, then CYCLE_HUB_ID). */
  hub?: string;
  /** The API URL (otherwise cycle:apiUrl, then CYCLE_API_URL, then the public API). */
  apiUrl?: string;
  /** The module to write. */
  outFile: string;
  /** Overwrite `outFile` if it exists. */
  force: boolean;
  /** The stack whose config is read, and named in the printed commands (otherwise the selected stack, if any). */
  stack?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
}

export const DEFAULT_IMPORT_FILE = "integrations.ts";

/** Runs the command; returns the exit code. Throws CliError for expected failures. */
export async function importHub(opts: ImportOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const target = path.resolve(cwd, opts.outFile);
  if (!opts.force && fs.existsSync(target)) throw new CliError(`${opts.outFile} exists: choose another --out, or pass --force to overwrite it.`, 2);
  if (opts.hub !== undefined && !ID_PATTERN.test(opts.hub)) throw new CliError(`--hub: not a Cycle hub ID (24 lowercase hex characters): ${opts.hub}`, 2);

  // 1. The connection, as the provider resolves it, the flags first. The
  // stack need not exist yet: its config is then read as empty.
  const config = new StackConfig({ stack: opts.stack, required: false, cwd, env });
  const connected = await connect(config, env, { apiUrl: opts.apiUrl });
  const { fromConfig, client, redactor } = connected;
  const hubId = commandHub(connected, opts.hub);

  // 2. Every integration (every page) and the catalogue.
  let integrations: Integration[];
  let catalogue: Catalogue;
  try {
    integrations = await client.listIntegrations({}, { hubId });
    catalogue = toCatalogue(await client.getAvailableIntegrations({ hubId }));
  } catch (err) {
    throw new CliError(`Reading hub ${hubId} failed: ${redactor.redact(err instanceof Error ? err.message : String(err))}`);
  }

  // 3. The module.
  const plan = buildImportPlan({
    hubId,
    apiUrl: client.baseUrl,
    integrations,
    catalogue,
    packageVersion: packageVersion(),
    stack: opts.stack,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, plan.source);

  // 4. The report.
  out(`Hub ${hubId} (${client.baseUrl}): ${integrations.length} integration(s).`);
  out(
    `Wrote ${opts.outFile}: ${plan.emitted.length} Integration(s) to adopt${plan.emitted.length > 0 ? ` (${plan.emitted.map((e) => e.resource).join(", ")})` : ""}.`,
  );
  if (plan.skipped.length > 0) {
    out("");
    out(`Left out (${plan.skipped.length}):`);
    for (const s of plan.skipped) out(`  ${s.integration.id} ${s.integration.vendor} "${s.integration.name}": ${s.reason}.`);
  }
  const stackFlag = opts.stack ? ` --stack ${shellWord(opts.stack)}` : "";
  const setup: string[] = [];
  if (opts.stack && config.missingStack) setup.push(`pulumi stack init ${shellWord(opts.stack)}`);
  if (fromConfig.apiKey === undefined) setup.push(`pulumi config set --secret${stackFlag} cycle:apiKey '<your Cycle API key>'`);
  if (client.baseUrl !== DEFAULT_API_URL && fromConfig.apiUrl === undefined)
    setup.push(`pulumi config set${stackFlag} cycle:apiUrl ${shellWord(client.baseUrl)}`);
  const commands = [...setup, ...plan.commands];
  if (commands.length > 0) {
    out("");
    out("The API does not give credentials back: set each one in the stack config, replacing each <...> with the value");
    out("(or leave out the value to be prompted for it):");
    out("");
    for (const c of commands) out(`  ${c}`);
  }
  out("");
  out(
    `Then use the module as your program (or import it from it) and run \`pulumi preview\`: it lists each integration as a create, which \`pulumi up\` carries out by taking over the existing integration (adoptId), creating none.`,
  );
  return 0;
}
