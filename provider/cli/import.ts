/**
 * `pulumi-cycle import`: read a hub's integrations and write, by `format`,
 * a Pulumi program module (TypeScript, the dynamic `Integration`) or a Pulumi
 * YAML program (the native `cycle:index:Integration`) that adopts each of
 * them (`adoptId`), or a file for `pulumi import --file` that reads each into
 * a stack of the native resource, sending nothing (`pulumi import` does not
 * work for dynamic resources). Credentials cannot be read back from the API:
 * the programs read them from secret stack config, and the command prints
 * the `pulumi config set --secret` commands to run (never a value). The key
 * comes from the stack config or `CYCLE_API_KEY` and is never printed. See
 * `importPlan.ts` for the names it chooses.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_API_URL } from "../api/baseUrl";
import { ID_PATTERN, Integration } from "../api/types";
import { Catalogue, toCatalogue } from "../catalogue";
import { commandHub, connect } from "./connection";
import { buildImportPlan, ImportFormat, shellWord } from "./importPlan";
import { parseExport } from "./exportedStack";
import { planMigration } from "./migratePlan";
import { CliError, mustRunPulumi } from "./pulumi";
import { StackConfig } from "./stackConfig";
import { packageVersion } from "./version";

export interface ImportOptions {
  /** The hub (otherwise cycle:hubId, then CYCLE_HUB_ID). */
  hub?: string;
  /** The API URL (otherwise cycle:apiUrl, then CYCLE_API_URL, then the public API). */
  apiUrl?: string;
  /** What to write (default `typescript`). */
  format?: ImportFormat;
  /** The file to write (default: `defaultImportFile(format)`). */
  outFile?: string;
  /** Overwrite `outFile` if it exists. */
  force: boolean;
  /** The stack whose config is read, and named in the printed commands (otherwise the selected stack, if any). */
  stack?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
}

export const DEFAULT_IMPORT_FILES: Record<ImportFormat, string> = { typescript: "integrations.ts", yaml: "Main.yaml", bulk: "integrations.json" };

/** Runs the command; returns the exit code. Throws CliError for expected failures. */
export async function importHub(opts: ImportOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const format = opts.format ?? "typescript";
  const outFile = opts.outFile ?? DEFAULT_IMPORT_FILES[format];
  const target = path.resolve(cwd, outFile);
  if (!opts.force && fs.existsSync(target)) throw new CliError(`${outFile} exists: choose another --out, or pass --force to overwrite it.`, 2);
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
    format,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, plan.source);

  // 4. The report.
  out(`Hub ${hubId} (${client.baseUrl}): ${integrations.length} integration(s).`);
  const listed = plan.emitted.length > 0 ? ` (${plan.emitted.map((e) => e.resource).join(", ")})` : "";
  out(`Wrote ${outFile}: ${plan.emitted.length} ${format === "bulk" ? "cycle:index:Integration(s) to import" : "Integration(s) to adopt"}${listed}.`);
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
  if (format === "bulk") {
    out("");
    out("`pulumi import` reads each integration and sends nothing (no credential: the stack records none, and the");
    out("program Pulumi writes declares none). In a project using the native provider (e.g. a Pulumi.yaml with");
    out("`runtime: yaml` and `packages: {cycle: ./node_modules/pulumi-cycle/bin}`), run:");
    out("");
    for (const c of setup) out(`  ${c}`);
    out(`  pulumi import${stackFlag} --file ${shellWord(outFile)} --yes --out <program file, e.g. Main.yaml>`);
    out("");
    out("Pulumi writes the program in the project's language; `pulumi preview` then shows no changes.");
    return 0;
  }
  const commands = [...setup, ...plan.commands];
  if (commands.length > 0) {
    out("");
    out("The API does not give credentials back: set each one in the stack config, replacing each <...> with the value");
    out("(or leave out the value to be prompted for it):");
    out("");
    for (const c of commands) out(`  ${c}`);
  }
  out("");
  const usage =
    format === "yaml"
      ? "Then use it as your program (Main.yaml beside a Pulumi.yaml with `runtime: yaml` and `packages: {cycle: ./node_modules/pulumi-cycle/bin}`)"
      : "Then use the module as your program (or import it from it)";
  out(
    `${usage} and run \`pulumi preview\`: it lists each integration as a create, which \`pulumi up\` carries out by taking over the existing integration (adoptId), creating none.`,
  );
  return 0;
}

export interface ImportFromStackOptions {
  /** The stack of dynamic Integrations (otherwise the selected stack). */
  stack?: string;
  outFile?: string;
  force: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
}

/**
 * `pulumi-cycle import --from-stack`: the bulk-import file that moves a
 * stack's dynamic Integrations to the native `cycle:index:Integration`, and
 * the recipe around it. Reads the state with the user's `pulumi stack export`
 * (secrets stay encrypted, and none is used); makes no API call.
 */
export async function importFromStack(opts: ImportFromStackOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const outFile = opts.outFile ?? DEFAULT_IMPORT_FILES.bulk;
  const target = path.resolve(cwd, outFile);
  if (!opts.force && fs.existsSync(target)) throw new CliError(`${outFile} exists: choose another --out, or pass --force to overwrite it.`, 2);

  const stackArgs = opts.stack ? ["--stack", opts.stack] : [];
  let plan;
  try {
    plan = planMigration(parseExport(await mustRunPulumi(["stack", "export", ...stackArgs], { cwd, env })));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`Cannot move the stack's Integrations: ${err instanceof Error ? err.message : String(err)}`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, plan.source);

  const stackName = opts.stack ? `Stack ${opts.stack}` : "The selected stack";
  out(`${stackName}: ${plan.moved.length + plan.kept.length} dynamic Integration(s).`);
  out(
    `Wrote ${outFile}: ${plan.moved.length} to import as cycle:index:Integration${plan.moved.length > 0 ? ` (${plan.moved.map((m) => m.name).join(", ")})` : ""}.`,
  );
  if (plan.kept.length > 0) {
    out("");
    out(`Left as they are (${plan.kept.length}):`);
    for (const k of plan.kept) out(`  ${k.urn}: ${k.reason}.`);
  }
  if (plan.moved.length === 0) return 0;
  const stackFlag = opts.stack ? ` --stack ${shellWord(opts.stack)}` : "";
  out("");
  out("Then, with no API write (`pulumi import` reads each integration; `pulumi state delete` edits the state only):");
  out("");
  out("  1. Switch the project to the native provider, e.g. to Pulumi YAML: in Pulumi.yaml set `runtime: yaml` and add");
  out("     `packages: {cycle: ./node_modules/pulumi-cycle/bin}`, and move the old program out of the way. The stack");
  out("     config (cycle:apiKey, cycle:hubId, cycle:apiUrl) stays as it is.");
  out(`  2. pulumi import${stackFlag} --file ${shellWord(outFile)} --protect=false --yes --out imported.yaml`);
  out("     Pulumi reads each integration and writes the program that declares it as the hub has it, without");
  out("     credentials, in the project's language. Make it the program: `mv imported.yaml Main.yaml` (or merge its");
  out("     resources into yours). Not `--out Main.yaml` directly: the CLI empties that file before the YAML host reads it.");
  out(`  3. pulumi state delete${stackFlag} --yes ${plan.stateDeletes.map(shellWord).join(" ")}`);
  out(`  4. pulumi preview${stackFlag} --expect-no-changes`);
  out("");
  out("The state then records no credential for them: declaring `auth` again sends it with the next `pulumi up`.");
  return 0;
}
