/**
 * `pulumi-cycle recover`: after an `up` was interrupted (killed, crashed)
 * while it created Integrations, find the integrations its pending creates
 * made and write them into the stack's state, so that the next `pulumi up`
 * manages them instead of creating duplicates.
 *
 * It works with the user's own Pulumi CLI and backend, from the program's
 * directory: `pulumi stack export`, `pulumi stack history`, `pulumi config
 * get`, and with `--yes` `pulumi stack import`.
 *
 * Four steps: gather (the state, its history, the hubs), plan (pure, in
 * `recoverPlan.ts`), print (`recoverReport.ts`) and, with --yes, apply
 * (the state rewritten by `exportedStack.ts`).
 */
import * as fs from "fs";
import * as path from "path";
import { toCatalogue } from "../catalogue";
import { connect } from "./connection";
import { CliError, mustRunPulumi, runPulumi } from "./pulumi";
import { ExportedStack, parseExport, parseHistory, rewriteState } from "./exportedStack";
import {
  HubReading,
  hubsToRead,
  otherPendingOperations,
  PendingCreate,
  pendingIntegrationCreates,
  planRecovery,
  RecoveryInput,
  RecoveryPlan,
  StartBound,
  updateStartBound,
} from "./recoverPlan";
import { describeApplied, describeDryRun, describeFiles, describeNothingPending, describePlan } from "./recoverReport";
import { StackConfig } from "./stackConfig";

export interface RecoverOptions {
  stack: string;
  yes: boolean;
  /** Overrides the update's start time (local clock, RFC 3339). */
  since?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
}

interface Run {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Runs the command; returns the exit code. Throws CliError for expected failures. */
export async function recover(opts: RecoverOptions): Promise<number> {
  const run: Run = { cwd: opts.cwd ?? process.cwd(), env: opts.env ?? process.env };
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const print = (lines: string[]) => lines.forEach((l) => out(l));

  const exportedText = await mustRunPulumi(["stack", "export", "--stack", opts.stack], run);
  const state = parseExport(exportedText);
  const pending = pendingIntegrationCreates(state);
  if (pending.length === 0) {
    print(describeNothingPending(opts.stack, otherPendingOperations(state)));
    return 0;
  }

  const gathered = await gather(opts, run, state, pending);
  const plan = planRecovery(gathered.input);
  print(describePlan(opts.stack, plan));
  if (!opts.yes) {
    print(describeDryRun(opts.stack, plan));
    return 0;
  }
  await apply(opts.stack, run, exportedText, state, plan, gathered.redact, print);
  return 0;
}

/**
 * Everything the plan needs, read: when the interrupted update started, the
 * connection (as the provider resolves it), and every integration and the
 * catalogue of each hub a pending create can be matched in.
 */
async function gather(
  opts: RecoverOptions,
  run: Run,
  state: ExportedStack,
  pending: PendingCreate[],
): Promise<{ input: RecoveryInput; redact: (s: string) => string }> {
  const bound = await startBound(opts, state, run);
  const config = new StackConfig({ stack: opts.stack, required: true, ...run });
  const { connection, client, redactor } = await connect(config, run.env);
  const redact = (s: string) => redactor.redact(s);

  const hubs = new Map<string, HubReading>();
  for (const hub of hubsToRead(pending, connection.hubId)) {
    try {
      const integrations = await client.listIntegrations({}, { hubId: hub });
      const catalogue = toCatalogue(await client.getAvailableIntegrations({ hubId: hub }));
      hubs.set(hub, { integrations, catalogue });
    } catch (err) {
      throw new CliError(`Reading hub ${hub} failed: ${redact(err instanceof Error ? err.message : String(err))}`);
    }
  }
  // `created` times are the API's: the bound in its clock, read from the answers above.
  const serverBoundMs = client.serverClock.earliestAt(bound.localMs);
  return { input: { state, pending, bound, serverBoundMs, defaultHubId: connection.hubId, hubs }, redact };
}

async function startBound(opts: RecoverOptions, state: ExportedStack, run: Run): Promise<StartBound> {
  if (opts.since !== undefined) {
    const t = Date.parse(opts.since);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.since) || Number.isNaN(t)) throw new CliError(`--since: not an RFC 3339 time: ${opts.since}`, 2);
    return { localMs: t, source: "--since", loose: false };
  }
  const history = parseHistory(await mustRunPulumi(["stack", "history", "--stack", opts.stack, "--json"], run));
  const bound = updateStartBound(history, state);
  if (!bound) {
    throw new CliError(
      "Cannot tell when the interrupted update started (no history, and no root resource in the state): pass --since <RFC 3339 time, no later than the update's start>.",
    );
  }
  return bound;
}

/** Backup, new state, `pulumi stack import`. */
async function apply(
  stack: string,
  run: Run,
  exportedText: string,
  state: ExportedStack,
  plan: RecoveryPlan,
  redact: (s: string) => string,
  print: (lines: string[]) => void,
): Promise<void> {
  const next = rewriteState(state, plan.recoveries, plan.handled, new Date(), redact);
  const dir = path.join(run.cwd, ".pulumi-cycle", "recover");
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const safe = stack.replace(/[^A-Za-z0-9_.-]+/g, "_");
  const backup = path.join(dir, `${safe}-${stamp}.backup.json`);
  const recovered = path.join(dir, `${safe}-${stamp}.recovered.json`);
  fs.writeFileSync(backup, exportedText, { mode: 0o600 });
  fs.writeFileSync(recovered, `${JSON.stringify(next, null, 4)}\n`, { mode: 0o600 });
  print(describeFiles({ backup, recovered }));

  const imported = await runPulumi(["stack", "import", "--stack", stack, "--file", recovered], run);
  if (imported.code !== 0) {
    const why = (imported.stderr.trim() || imported.stdout.trim()).replace(/^error:\s*/i, "");
    if (/currently locked/i.test(why)) {
      throw new CliError(
        `The stack is locked, so its state was not changed: ${why}\n\nAn update killed on a self-managed backend leaves its lock behind. Make sure no \`pulumi\` is running on stack ${stack}, run \`pulumi cancel --stack ${stack}\` to remove the lock, then run this command again.`,
      );
    }
    throw new CliError(`\`pulumi stack import\` failed, so the state was not changed: ${why}`);
  }
  print(describeApplied(stack, plan, backup));
}
