/**
 * `pulumi-cycle recover`: after an `up` was interrupted (killed, crashed)
 * while it created Integrations, find the integrations its pending creates
 * made and write them into the stack's state, so that the next `pulumi up`
 * manages them instead of creating duplicates.
 *
 * It works with the user's own Pulumi CLI and backend, from the program's
 * directory: `pulumi stack export`, `pulumi stack history`, `pulumi config
 * get`, and with `--yes` `pulumi stack import`.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_API_URL } from "../api/baseUrl";
import { CycleClient } from "../api/client";
import { Redactor } from "../api/redact";
import type { Integration, IntegrationDefinition } from "../api/types";
import { CliError, configGet, mustRunPulumi, runPulumi } from "./pulumi";
import {
  claimedIds,
  ExportedStack,
  matchPendingCreates,
  parseExport,
  parseHistory,
  pendingIntegrationCreates,
  Recovery,
  rewriteState,
  StartBound,
  updateStartBound,
} from "./recoverPlan";

export interface RecoverOptions {
  stack: string;
  yes: boolean;
  /** Overrides the update's start time (local clock, RFC 3339). */
  since?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
}

/** Runs the command; returns the exit code. Throws CliError for expected failures. */
export async function recover(opts: RecoverOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const run = { cwd, env };

  // 1. The state, and its pending creates.
  const exportedText = await mustRunPulumi(["stack", "export", "--stack", opts.stack], run);
  const state = parseExport(exportedText);
  const pending = pendingIntegrationCreates(state);
  if (pending.length === 0) {
    out(`Stack ${opts.stack} has no pending creates of Integrations: nothing to recover.`);
    const others = (state.deployment.pending_operations ?? []).length;
    if (others > 0) out(`(It has ${others} other pending operation(s), which this command leaves to Pulumi.)`);
    return 0;
  }
  const claimed = claimedIds(state);

  // 2. When the interrupted update started.
  const bound = await startBound(opts, state, run);

  // 3. The connection, as the provider resolves it: stack config, then environment.
  const apiKey = (await configGet("cycle:apiKey", opts.stack, run)) ?? nonEmpty(env.CYCLE_API_KEY);
  if (!apiKey) {
    throw new CliError(`No Cycle API key: set it with \`pulumi config set --secret cycle:apiKey <key> --stack ${opts.stack}\` or the environment variable CYCLE_API_KEY.`);
  }
  const defaultHub = (await configGet("cycle:hubId", opts.stack, run)) ?? nonEmpty(env.CYCLE_HUB_ID);
  const apiUrl = (await configGet("cycle:apiUrl", opts.stack, run)) ?? nonEmpty(env.CYCLE_API_URL) ?? DEFAULT_API_URL;
  const redactor = new Redactor([apiKey]);
  let client: CycleClient;
  try {
    client = new CycleClient({ apiKey, baseUrl: apiUrl });
  } catch (err) {
    throw new CliError(`Cannot connect to the Cycle API: ${redactor.redact(err instanceof Error ? err.message : String(err))}`);
  }

  // 4. Every integration of each hub involved, and its catalogue.
  const hubOf = (p: { hubId?: string }) => p.hubId ?? defaultHub;
  // Only hubs a pending create can be matched in: one that cannot (its own connection, secret inputs) lists nothing.
  const hubs = [...new Set(pending.filter((p) => !("error" in p.intent)).map(hubOf).filter((h): h is string => h !== undefined))];
  const lists = new Map<string, Integration[]>();
  const catalogues = new Map<string, Map<string, IntegrationDefinition>>();
  for (const hub of hubs) {
    try {
      lists.set(hub, await client.listIntegrations({}, { hubId: hub }));
      catalogues.set(hub, catalogueOf(await client.getAvailableIntegrations({ hubId: hub })));
    } catch (err) {
      throw new CliError(`Reading hub ${hub} failed: ${redactor.redact(err instanceof Error ? err.message : String(err))}`);
    }
  }
  // The bound in the server's clock: `created` times are the API's.
  const serverBound = client.serverClock.earliestAt(bound.localMs);
  const notBefore = serverBound ?? bound.localMs;

  const { matches, unmatched } = matchPendingCreates(pending, hubOf, (h) => lists.get(h) ?? [], notBefore, claimed);

  // 5. The plan.
  out(`Stack ${opts.stack}: ${pending.length} pending create(s) of Integrations from an interrupted update.`);
  out(`The update started no earlier than ${new Date(bound.localMs).toISOString()} (${bound.source}).`);
  if (serverBound === undefined) out("Warning: the API's answers carry no Date header; its clock is assumed to agree with this machine's.");
  if (bound.loose) {
    out(
      "Warning: this is a loose bound; an integration made by someone else between then and the interrupted update, with exactly the same vendor, name, identifier and extra, would look like one of ours. If you know when the update started, pass --since <RFC 3339 time>.",
    );
  }
  out("");
  if (matches.length > 0) {
    out(`Found (${matches.length}):`);
    for (const m of matches) {
      out(`  ${m.urn}`);
      out(`    -> integration ${m.integration.id} (${m.integration.vendor} "${m.integration.name}", ${m.integration.state.current}, created ${m.integration.events.created})${m.paired ? " [paired in creation order with identical declarations]" : ""}`);
    }
  }
  if (unmatched.length > 0) {
    if (matches.length > 0) out("");
    out(`Not matched (${unmatched.length}):`);
    for (const u of unmatched) {
      out(`  ${u.urn}`);
      out(`    ${u.reason}.`);
      if (u.candidates.length > 0) {
        out(`    Candidates: ${u.candidates.join(", ")}.`);
        out(`    To take over the right one instead of creating another, set \`adoptId: "<id>"\` on this resource before \`pulumi up\`; delete the others in the hub if they are leftovers.`);
      } else {
        out("    Its pending create is dropped; the next `pulumi up` creates it.");
      }
    }
  }
  out("");

  const handled = new Set(pending.map((p) => p.urn));
  const others = (state.deployment.pending_operations ?? []).filter((o) => !(o.type === "creating" && handled.has(o.resource.urn))).length;
  if (others > 0) out(`${others} other pending operation(s) (not creates of Integrations) are left as they are, to Pulumi.`);
  if (!opts.yes) {
    out(`Nothing was changed. Run again with --yes to write ${matches.length} integration(s) into the state and drop the ${handled.size} pending create(s).`);
    out("An update killed on a self-managed backend (file or bucket) leaves its lock: make sure no `pulumi` runs on this stack, and remove it with `pulumi cancel --stack " + opts.stack + "` before --yes.");
    return 0;
  }

  // 6. Backup, new state, import.
  const recoveries: Recovery[] = matches.map((m) => ({
    urn: m.urn,
    integration: m.integration,
    definition: catalogues.get(m.integration.hub_id)?.get(m.integration.vendor),
  }));
  const next: ExportedStack = rewriteState(state, recoveries, handled, new Date(), (s) => redactor.redact(s));
  const dir = path.join(cwd, ".pulumi-cycle", "recover");
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const safe = opts.stack.replace(/[^A-Za-z0-9_.-]+/g, "_");
  const backup = path.join(dir, `${safe}-${stamp}.backup.json`);
  const file = path.join(dir, `${safe}-${stamp}.recovered.json`);
  fs.writeFileSync(backup, exportedText, { mode: 0o600 });
  fs.writeFileSync(file, `${JSON.stringify(next, null, 4)}\n`, { mode: 0o600 });
  out(`Backup of the state before recovery: ${backup}`);
  out(`Recovered state:                      ${file}`);

  const imported = await runPulumi(["stack", "import", "--stack", opts.stack, "--file", file], run);
  if (imported.code !== 0) {
    const why = (imported.stderr.trim() || imported.stdout.trim()).replace(/^error:\s*/i, "");
    if (/currently locked/i.test(why)) {
      throw new CliError(
        `The stack is locked, so its state was not changed: ${why}\n\nAn update killed on a self-managed backend leaves its lock behind. Make sure no \`pulumi\` is running on stack ${opts.stack}, run \`pulumi cancel --stack ${opts.stack}\` to remove the lock, then run this command again.`,
      );
    }
    throw new CliError(`\`pulumi stack import\` failed, so the state was not changed: ${why}`);
  }
  out(`Imported: ${matches.length} integration(s) recorded, ${handled.size} pending create(s) removed.`);
  out(`To undo: pulumi stack import --stack ${opts.stack} --file ${backup}`);
  out("");
  out(`Next: run \`pulumi up --stack ${opts.stack}\`. It verifies the recovered integrations that are not verified yet${unmatched.length > 0 ? ", and creates the resources not matched above (see there first)" : ""}.`);
  return 0;
}

async function startBound(opts: RecoverOptions, state: ExportedStack, run: { cwd: string; env: NodeJS.ProcessEnv }): Promise<StartBound> {
  if (opts.since !== undefined) {
    const t = Date.parse(opts.since);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.since) || Number.isNaN(t)) throw new CliError(`--since: not an RFC 3339 time: ${opts.since}`, 2);
    return { localMs: t, source: "--since", loose: false };
  }
  const history = parseHistory(await mustRunPulumi(["stack", "history", "--stack", opts.stack, "--json"], run));
  const bound = updateStartBound(history, state);
  if (!bound) {
    throw new CliError("Cannot tell when the interrupted update started (no history, and no root resource in the state): pass --since <RFC 3339 time, no later than the update's start>.");
  }
  return bound;
}

function catalogueOf(available: Awaited<ReturnType<CycleClient["getAvailableIntegrations"]>>): Map<string, IntegrationDefinition> {
  const out = new Map<string, IntegrationDefinition>();
  for (const defs of Object.values(available)) for (const d of defs ?? []) out.set(d.vendor, d);
  return out;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}
