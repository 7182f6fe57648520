/**
 * What the live check saw, as one JSON document (`.cache/live-report.json`)
 * and as text for a person. `answers` leads: one line for each behaviour
 * `contract/README.md` leaves open and the project does not rely on, with
 * what this API did.
 */
import * as fs from "fs";
import * as path from "path";
import { Redactor } from "../../provider/api/redact";
import type { ClockObservation } from "./clock";
import type { JobTiming, RequestSummary } from "./jobs";
import type { AuthEcho, PagingObservation, SearchObservation } from "./probes";
import type { Rejection } from "./vendor";

export interface Step {
  name: string;
  ok: boolean;
  ms?: number;
  note?: string;
}

export interface CreationTime {
  createdAt: string;
  /** Whether `events.created` falls within the `pulumi up` that created it, on the machine's clock. */
  withinUpOnMachineClock: boolean;
  /** ... and on the API's clock as the `Date` header bounds it (absent without a `Date`). */
  withinUpOnServerClock?: boolean;
  /** `events.created` minus the machine's clock when that `up` started. */
  createdMinusUpStartMs: number;
}

export interface LiveReport {
  startedAt: string;
  finishedAt?: string;
  apiUrl: string;
  hubId: string;
  /** The name prefix of what this run created. */
  runName: string;
  outcome: "passed" | "failed" | "no vendor qualifies";
  vendor: { chosen?: string; category?: string; supportsVerification?: boolean; editable?: boolean; extraKeys?: string[]; rejected: Rejection[] };
  integrationId?: string;
  steps: Step[];
  clock?: ClockObservation;
  creation?: CreationTime;
  creatorType?: string;
  jobs: JobTiming[];
  paging?: PagingObservation;
  search?: SearchObservation;
  authEcho?: AuthEcho;
  /** The provider's requests over the whole run (from CYCLE_DEBUG). */
  requests?: RequestSummary;
  cleanup: { destroyed?: boolean; deletedById: string[]; leftBehind: string[]; note?: string };
  failure?: string;
  answers: Array<{ assumption: string; observed: string }>;
}

export function emptyReport(apiUrl: string, hubId: string, runName: string): LiveReport {
  return {
    startedAt: new Date().toISOString(),
    apiUrl,
    hubId,
    runName,
    outcome: "failed",
    vendor: { rejected: [] },
    steps: [],
    jobs: [],
    cleanup: { deletedById: [], leftBehind: [] },
    answers: [],
  };
}

const seconds = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);

function jobAnswer(r: LiveReport, kind: "verify" | "delete"): string {
  const jobs = r.jobs.filter((j) => j.kind === kind);
  if (jobs.length === 0) {
    if (kind === "verify" && r.vendor.supportsVerification === false) return `not applicable: ${r.vendor.chosen} has no verification`;
    return "no job seen";
  }
  return jobs
    .map((j) =>
      j.unreadable
        ? `job ${j.jobId}: not readable afterwards (${j.checkReads.join(", ")})`
        : `job ${j.jobId} ${j.state}: queued→started ${seconds(j.queuedToStartedMs)}, started→completed ${seconds(j.startedToCompletedMs)} (API clock)`,
    )
    .join("; ");
}

function firstReadAnswer(r: LiveReport): string {
  if (r.jobs.length === 0) return "no job seen";
  return r.jobs
    .map((j) => {
      const first = j.providerReads[0] ?? j.checkReads[0];
      const by = j.providerReads.length > 0 ? "the provider's" : "this check's (after the command)";
      return `${j.kind} job: ${by} first read answered ${first ?? "nothing"}${j.providerReads.length > 0 ? ` (provider reads: ${j.providerReads.join(", ")})` : ""}`;
    })
    .join("; ");
}

/** Fills `answers` from the observations. */
export function answer(r: LiveReport): void {
  const o = r.clock?.offsetMs;
  const answers: LiveReport["answers"] = [
    {
      assumption: "the API's clock is not the machine's (estimate from Date)",
      observed: o
        ? `server minus machine: ${o.estimate} ms (between ${o.low} and ${o.high}); Date headers: ${r.clock!.samples.filter((s) => s.date).length} of ${r.clock!.samples.length} answers`
        : r.clock
          ? "no answer carried a usable Date header"
          : "not probed",
    },
    {
      assumption: "times the API writes are on its own clock (events.created)",
      observed: r.creation
        ? `created ${r.creation.createdMinusUpStartMs} ms after the up started by the machine's clock; within the up: machine clock ${r.creation.withinUpOnMachineClock ? "yes" : "no"}, API clock from Date ${r.creation.withinUpOnServerClock === undefined ? "unknown" : r.creation.withinUpOnServerClock ? "yes" : "no"}`
        : "nothing created",
    },
    { assumption: "a page may hold fewer items than page[size] asks", observed: r.paging?.conclusion ?? "not probed" },
    { assumption: "what filter[search] matches", observed: r.search?.conclusion ?? "not probed" },
    { assumption: "auth values need not be echoed", observed: r.authEcho?.conclusion ?? "not probed" },
    {
      assumption: "the creator of an API creation may be recorded as an account",
      observed: r.creatorType ? `creator.type is ${r.creatorType}` : "nothing created",
    },
    { assumption: "a new job may answer 404.job at first", observed: firstReadAnswer(r) },
    { assumption: "verify jobs take time", observed: jobAnswer(r, "verify") },
    { assumption: "delete goes through a job", observed: jobAnswer(r, "delete") },
    {
      assumption: "a failed verification may quote the credential",
      observed: "not observable without credentials (the check creates a vendor that needs none)",
    },
  ];
  r.answers = answers;
}

/** The report as text for a person. */
export function renderReport(r: LiveReport): string {
  const lines: string[] = [];
  lines.push(`Live check against ${r.apiUrl}, hub ${r.hubId}: ${r.outcome.toUpperCase()}`);
  lines.push(`  run ${r.runName}, ${r.startedAt} to ${r.finishedAt ?? "?"}`);
  if (r.failure) lines.push(`  failure: ${r.failure}`);
  lines.push(
    r.vendor.chosen
      ? `  vendor: ${r.vendor.chosen} (${r.vendor.category}; verification ${r.vendor.supportsVerification ? "yes" : "no"}${r.vendor.extraKeys?.length ? `; extra ${r.vendor.extraKeys.join(", ")}` : ""})`
      : `  vendor: none qualifies`,
  );
  if (!r.vendor.chosen) for (const x of r.vendor.rejected) lines.push(`    ${x.vendor}: ${x.reason}`);
  if (r.integrationId) lines.push(`  integration: ${r.integrationId}`);
  lines.push("", "Steps:");
  for (const s of r.steps) lines.push(`  ${s.ok ? "ok  " : "FAIL"} ${s.name}${s.ms === undefined ? "" : ` (${seconds(s.ms)})`}${s.note ? `: ${s.note}` : ""}`);
  lines.push("", "What the API did where the contract leaves it open:");
  for (const a of r.answers) lines.push(`  - ${a.assumption}:`, `      ${a.observed}`);
  if (r.paging) {
    lines.push("", `Page sizes (hub holds ${r.paging.total}):`);
    lines.push(`  ${r.paging.answers.map((a) => `${a.asked ?? "default"}→${a.served ?? a.refused}`).join("  ")}`);
  }
  if (r.requests) {
    const statuses = Object.entries(r.requests.byStatus)
      .map(([k, v]) => `${k}×${v}`)
      .join(", ");
    lines.push("", `Provider requests: ${r.requests.count} (${statuses}); median ${r.requests.medianMs ?? "?"} ms, max ${r.requests.maxMs ?? "?"} ms`);
  }
  lines.push("", "Clean-up:");
  lines.push(`  destroy: ${r.cleanup.destroyed === undefined ? "not needed" : r.cleanup.destroyed ? "ok" : "failed"}`);
  if (r.cleanup.deletedById.length) lines.push(`  deleted by ID after a failed destroy: ${r.cleanup.deletedById.join(", ")}`);
  if (r.cleanup.leftBehind.length) lines.push(`  LEFT IN THE HUB: ${r.cleanup.leftBehind.join(", ")}`);
  if (r.cleanup.note) lines.push(`  ${r.cleanup.note}`);
  return lines.join("\n");
}

/** Writes the report as JSON, every known secret redacted. */
export function writeReport(r: LiveReport, file: string, redactor: Redactor): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${redactor.redact(JSON.stringify(r, null, 2))}\n`);
}
