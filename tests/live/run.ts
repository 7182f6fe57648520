/**
 * The live check: one integration of a vendor that needs no credentials,
 * through its whole life under the real Pulumi CLI (`up`, which verifies it
 * when the vendor has verification; `refresh`; a rename, which is an update
 * in place; a read back; `destroy`), with plain reads of the API around it
 * for what the contract leaves open. Whatever happens, what it created is
 * removed: `pulumi destroy`, and when that fails a DELETE of each integration
 * this run's stack recorded (never anything else).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CycleClient } from "../../provider/api/client";
import { Redactor } from "../../provider/api/redact";
import type { Integration } from "../../provider/api/types";
import { cleanUp } from "./cleanup";
import { observeClock } from "./clock";
import type { LiveSettings } from "./gate";
import { jobsNamed, loggedRequests, summarizeRequests, timeJob } from "./jobs";
import { observeAuthEcho, observePaging, observeSearch } from "./probes";
import { answer, emptyReport, LiveReport } from "./report";
import { Declared, LiveStack, tail, Timed } from "./stack";
import { chooseVendor } from "./vendor";

const ROOT = path.resolve(__dirname, "..", "..");

export interface LiveRunOptions {
  /** Where the stack lives; default `.cache/live/<run name>`. Removed at the end unless something was left behind. */
  workDir?: string;
  languageHost?: "auto" | "test";
  /** Progress lines. */
  say?: (line: string) => void;
  /** How long to wait for a fallback DELETE to finish, in ms. */
  deleteWaitMs?: number;
}

/** `pulumi-cycle-live-<UTC yyyymmddhhmmss>-<4 hex>`: unique, and sortable by when it ran. */
export function runNameAt(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `pulumi-cycle-live-${stamp}-${randomBytes(2).toString("hex")}`;
}

class StepFailed extends Error {}

function outputString(outputs: Record<string, unknown>, key: string): string | undefined {
  const v = outputs[key];
  return typeof v === "string" ? v : undefined;
}

function addNote(report: LiveReport, note: string): void {
  report.cleanup.note = report.cleanup.note ? `${report.cleanup.note}; ${note}` : note;
}

export async function runLiveCheck(settings: LiveSettings, opts: LiveRunOptions = {}): Promise<LiveReport> {
  const say = opts.say ?? (() => undefined);
  const runName = runNameAt(new Date());
  const report = emptyReport(settings.apiUrl, settings.hubId, runName);
  const redactor = new Redactor([settings.apiKey]);
  const client = new CycleClient({ apiKey: settings.apiKey, hubId: settings.hubId, baseUrl: settings.apiUrl, userAgent: "pulumi-cycle-live-check" });
  const workDir = opts.workDir ?? path.join(ROOT, ".cache", "live", runName);
  const outputs: string[] = [];
  const names = [runName, `${runName}-renamed`];
  const createdIds = new Set<string>();
  let stack: LiveStack | undefined;

  async function step<T>(name: string, fn: () => Promise<{ value: T; note?: string }>): Promise<T> {
    say(`${name} ...`);
    const started = Date.now();
    try {
      const { value, note } = await fn();
      report.steps.push({ name, ok: true, ms: Date.now() - started, note });
      return value;
    } catch (err) {
      const message = redactor.redact(err instanceof Error ? err.message : String(err));
      report.steps.push({ name, ok: false, ms: Date.now() - started, note: message });
      throw new StepFailed(`${name}: ${message}`);
    }
  }

  /** Runs a pulumi command; its output is kept for the job lines and request log. */
  async function command(run: () => Promise<Timed>): Promise<Timed> {
    const t = await run();
    outputs.push(t.output);
    if (t.result.code !== 0) throw new Error(`${t.result.command} failed (exit ${t.result.code}):\n${tail(t.output)}`);
    return t;
  }

  try {
    report.clock = await step("Date header against this machine's clock", async () => {
      const clock = await observeClock(settings.apiUrl, settings.apiKey, settings.hubId);
      return { value: clock, note: clock.offsetMs ? `offset ${clock.offsetMs.estimate} ms` : "no Date header" };
    });

    const pick = await step("choose a vendor that needs no credentials", async () => {
      const [available, existing] = await Promise.all([client.getAvailableIntegrations(), client.listIntegrations()]);
      const p = chooseVendor(available, existing, { vendor: settings.vendor, extra: settings.extra });
      return { value: p, note: p.chosen ? p.chosen.vendor : "none qualifies" };
    });
    report.vendor = {
      chosen: pick.chosen?.vendor,
      category: pick.chosen?.category,
      supportsVerification: pick.chosen?.definition.supports_verification,
      editable: pick.chosen?.definition.editable,
      extraKeys: pick.chosen?.extra ? Object.keys(pick.chosen.extra) : undefined,
      rejected: pick.rejected,
    };
    if (!pick.chosen) {
      report.paging = await step("page sizes", async () => ({ value: await observePaging(client) }));
      report.outcome = "no vendor qualifies";
      return report;
    }
    const chosen = pick.chosen;

    const suffix = runName.slice("pulumi-cycle-live-".length);
    const declared: Declared = { vendor: chosen.vendor, name: runName, identifier: `ident-${randomBytes(3).toString("hex")}`, extra: chosen.extra };
    stack = new LiveStack(settings, { dir: workDir, stackName: "live", languageHost: opts.languageHost });
    const liveStack = stack;
    await step("pulumi stack init and config", async () => ({ value: await liveStack.init(declared) }));

    // Create (and verify, when the vendor has verification).
    const upStartedAt = Date.now();
    const created = await step(`pulumi up: create ${chosen.vendor}${chosen.definition.supports_verification ? " and verify" : ""}`, async () => {
      const t = await command(() => liveStack.up());
      const out = await liveStack.outputs();
      const id = outputString(out, "integrationId");
      if (!id) throw new Error("no integrationId in the stack outputs");
      createdIds.add(id);
      report.integrationId = id;
      if (chosen.definition.supports_verification && out.verified !== true) throw new Error(`not verified: state ${String(out.state)}`);
      return { value: { id, out, ms: t.ms }, note: `state ${String(out.state)}${out.verified === true ? ", verified" : ""}` };
    });
    const upEndedAt = upStartedAt + created.ms;
    const createdAt = outputString(created.out, "createdAt");
    if (createdAt) {
      const c = Date.parse(createdAt);
      const o = report.clock?.offsetMs;
      report.creation = {
        createdAt,
        createdMinusUpStartMs: c - upStartedAt,
        withinUpOnMachineClock: c >= upStartedAt && c <= upEndedAt,
        withinUpOnServerClock: o ? c >= upStartedAt + o.low && c <= upEndedAt + o.high : undefined,
      };
    }

    const live = await step("read it back through the API", async () => {
      const i = await client.getIntegration(created.id);
      const wrong = (["vendor", "name", "identifier"] as const).filter((k) => i[k] !== declared[k]);
      if (wrong.length > 0) throw new Error(`the API answers a different ${wrong.join(", ")}`);
      return { value: i };
    });
    report.creatorType = live.creator?.type;

    report.search = await step("filter[search]", async () => {
      const s = await observeSearch(client, {
        id: created.id,
        nameToken: suffix,
        name: declared.name,
        identifier: declared.identifier,
        vendor: declared.vendor,
      });
      return { value: s, note: s.conclusion };
    });
    let hub: Integration[] = [];
    report.paging = await step("page sizes", async () => {
      const p = await observePaging(client);
      hub = await client.listIntegrations();
      return { value: p, note: p.conclusion };
    });
    report.authEcho = observeAuthEcho(live, hub);

    await step("pulumi refresh", async () => {
      await command(() => liveStack.refresh());
      const id = outputString(await liveStack.outputs(), "integrationId");
      if (id !== created.id) throw new Error(`after refresh the stack holds ${id ?? "no integration"}, not ${created.id}`);
      return { value: undefined };
    });

    await step("rename (pulumi up: an update in place)", async () => {
      await liveStack.rename(names[1]);
      await command(() => liveStack.up());
      const out = await liveStack.outputs();
      if (out.integrationId !== created.id) throw new Error(`the rename replaced the integration (${created.id} → ${String(out.integrationId)})`);
      if (out.name !== names[1]) throw new Error(`the stack's name is ${String(out.name)} after the rename`);
      return { value: undefined };
    });

    await step("read back after the rename; pulumi preview --expect-no-changes", async () => {
      const i = await client.getIntegration(created.id);
      if (i.name !== names[1]) throw new Error(`the API answers the name ${i.name}, not ${names[1]}`);
      await command(() => liveStack.previewNoChanges());
      return { value: undefined };
    });
    report.outcome = "passed";
  } catch (err) {
    report.outcome = "failed";
    report.failure = redactor.redact(err instanceof Error ? err.message : String(err));
  } finally {
    if (stack?.exists()) {
      say("pulumi destroy ...");
      try {
        const cleanup = await cleanUp(stack, { client, createdIds, names, redactor, deleteWaitMs: opts.deleteWaitMs, say });
        outputs.push(cleanup.destroyOutput);
        report.steps.push(cleanup.step);
        report.cleanup = cleanup.cleanup;
        for (const id of cleanup.ids) createdIds.add(id);
        if (cleanup.failure) {
          report.outcome = "failed";
          report.failure = report.failure ?? cleanup.failure;
        }
      } catch (err) {
        report.outcome = "failed";
        report.cleanup.leftBehind.push(
          ...[...createdIds].map((id) => `${id} (clean-up stopped: ${redactor.redact(err instanceof Error ? err.message : String(err))})`),
        );
        report.failure = report.failure ?? "clean-up stopped";
      }
    }
    if (createdIds.size === 0 && report.steps.some((s) => s.name.startsWith("pulumi up") && !s.ok)) {
      addNote(
        report,
        `the up failed before the stack recorded an integration; if the hub shows one named ${names[0]}, it is this run's (not deleted: nothing proves it ours)`,
      );
    }
    const log = outputs.flatMap((o) => loggedRequests(o));
    report.requests = summarizeRequests(log);
    const jobs = jobsNamed(outputs.join("\n"));
    for (const job of jobs) {
      try {
        report.jobs.push(await timeJob(client, job, log));
      } catch (err) {
        report.jobs.push({ ...job, providerReads: [], checkReads: [], unreadable: redactor.redact(String(err)) });
      }
    }
    if (report.cleanup.leftBehind.length === 0) fs.rmSync(workDir, { recursive: true, force: true });
    else addNote(report, `the stack is kept in ${workDir} (PULUMI_BACKEND_URL=file://${path.join(workDir, "state")}, passphrase local-only-passphrase)`);
    answer(report);
    report.finishedAt = new Date().toISOString();
  }
  return report;
}
