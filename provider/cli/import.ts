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
import { CycleClient } from "../api/client";
import { Redactor } from "../api/redact";
import { ID_PATTERN, Integration, IntegrationDefinition } from "../api/types";
import { buildImportPlan, shellWord } from "./importPlan";
import { CliError, runPulumi } from "./pulumi";
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

  // 1. The connection: flags, then stack config, then the environment (the key: stack config, then CYCLE_API_KEY).
  const config = new StackConfig(opts.stack, { cwd, env });
  const fromConfig = await config.get("cycle:apiKey");
  const apiKey = fromConfig ?? nonEmpty(env.CYCLE_API_KEY);
  if (!apiKey) {
    const where = opts.stack ? `--stack ${opts.stack}` : "the selected stack";
    throw new CliError(
      `No Cycle API key: set the environment variable CYCLE_API_KEY, or \`pulumi config set --secret cycle:apiKey <key>\` in ${where}${config.problem ? ` (reading its config failed: ${config.problem})` : ""}.`,
    );
  }
  const redactor = new Redactor([apiKey]);
  const hubId = opts.hub ?? (await config.get("cycle:hubId")) ?? nonEmpty(env.CYCLE_HUB_ID);
  if (!hubId) throw new CliError("No hub: pass --hub <hub ID>, or set cycle:hubId in the stack config, or CYCLE_HUB_ID.", 2);
  if (!ID_PATTERN.test(hubId)) throw new CliError(`The hub ID is not a Cycle ID (24 lowercase hex characters): ${hubId}`);
  const apiUrlFromConfig = opts.apiUrl === undefined ? await config.get("cycle:apiUrl") : undefined;
  const apiUrl = opts.apiUrl ?? apiUrlFromConfig ?? nonEmpty(env.CYCLE_API_URL) ?? DEFAULT_API_URL;

  let client: CycleClient;
  try {
    client = new CycleClient({ apiKey, baseUrl: apiUrl, hubId });
  } catch (err) {
    throw new CliError(`Cannot connect to the Cycle API: ${redactor.redact(err instanceof Error ? err.message : String(err))}`);
  }

  // 2. Every integration (every page) and the catalogue.
  let integrations: Integration[];
  const definitions = new Map<string, IntegrationDefinition>();
  try {
    integrations = await client.listIntegrations({}, { hubId });
    const available = await client.getAvailableIntegrations({ hubId });
    for (const defs of Object.values(available)) for (const d of defs ?? []) definitions.set(d.vendor, d);
  } catch (err) {
    throw new CliError(`Reading hub ${hubId} failed: ${redactor.redact(err instanceof Error ? err.message : String(err))}`);
  }

  // 3. The module.
  const plan = buildImportPlan({
    hubId,
    apiUrl: client.baseUrl,
    integrations,
    definitions,
    packageVersion: packageVersion(),
    stack: opts.stack,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, plan.source);

  // 4. The report.
  out(`Hub ${hubId} (${client.baseUrl}): ${integrations.length} integration(s).`);
  out(`Wrote ${opts.outFile}: ${plan.emitted.length} Integration(s) to adopt${plan.emitted.length > 0 ? ` (${plan.emitted.map((e) => e.resource).join(", ")})` : ""}.`);
  if (plan.skipped.length > 0) {
    out("");
    out(`Left out (${plan.skipped.length}):`);
    for (const s of plan.skipped) out(`  ${s.integration.id} ${s.integration.vendor} "${s.integration.name}": ${s.reason}.`);
  }
  const stackFlag = opts.stack ? ` --stack ${shellWord(opts.stack)}` : "";
  const setup: string[] = [];
  if (opts.stack && config.missingStack) setup.push(`pulumi stack init ${shellWord(opts.stack)}`);
  if (!fromConfig) setup.push(`pulumi config set --secret${stackFlag} cycle:apiKey '<your Cycle API key>'`);
  if (client.baseUrl !== DEFAULT_API_URL && apiUrlFromConfig === undefined) setup.push(`pulumi config set${stackFlag} cycle:apiUrl ${shellWord(client.baseUrl)}`);
  const commands = [...setup, ...plan.commands];
  if (commands.length > 0) {
    out("");
    out("The API does not give credentials back: set each one in the stack config, replacing each <...> with the value");
    out("(or leave out the value to be prompted for it):");
    out("");
    for (const c of commands) out(`  ${c}`);
  }
  out("");
  out(`Then use the module as your program (or import it from it) and run \`pulumi preview\`: it lists each integration as a create, which \`pulumi up\` carries out by taking over the existing integration (adoptId), creating none.`);
  return 0;
}

/** Stack config read with the user's `pulumi` (the given stack, else the selected one); failures are kept, not thrown. */
class StackConfig {
  problem?: string;
  /** The stack given does not exist (yet). */
  missingStack = false;
  private unavailable = false;

  constructor(
    private readonly stack: string | undefined,
    private readonly run: { cwd: string; env: NodeJS.ProcessEnv },
  ) {}

  async get(key: string): Promise<string | undefined> {
    if (this.unavailable) return undefined;
    const args = ["config", "get", key, "--json", ...(this.stack ? ["--stack", this.stack] : [])];
    let r;
    try {
      r = await runPulumi(args, this.run);
    } catch (err) {
      // No Pulumi CLI: the flags and the environment may still give everything.
      this.unavailable = true;
      this.problem = err instanceof Error ? err.message : String(err);
      return undefined;
    }
    if (r.code !== 0) {
      if (/not found/i.test(r.stderr) && !/no stack/i.test(r.stderr)) return undefined;
      // No project, no stack (yet), no stack selected, a wrong passphrase...: the
      // flags and the environment may still give everything. The error output of
      // a failed `config get` holds no value.
      this.unavailable = true;
      this.problem = r.stderr.trim().replace(/^error:\s*/i, "") || `exit code ${r.code}`;
      this.missingStack = /no stack named/i.test(r.stderr);
      return undefined;
    }
    try {
      const doc = JSON.parse(r.stdout) as { value?: unknown };
      return typeof doc.value === "string" && doc.value.trim() !== "" ? doc.value.trim() : undefined;
    } catch {
      throw new CliError(`\`pulumi ${args.join(" ")}\` did not print JSON`);
    }
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}
