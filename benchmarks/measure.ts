/**
 * What the benchmark reads off the emulator: requests by kind, the API phase
 * of an operation, and for each job how long after its completion the
 * waiting side had its answer (its last request about the job or its
 * integration), and how many times the job was read.
 */
import type { EmulatorHandle } from "../emulator";
import type { RequestLogEntry } from "../emulator/log";

const ID = /[a-f0-9]{24}/g;

/** `GET job`, `POST integration`, `POST verify`, `GET integration`, `GET integrations (page)`, `GET available`, `DELETE integration`. */
function kindOf(e: RequestLogEntry): string {
  const path = e.path.split("?")[0].replace(ID, ":id");
  if (path.startsWith("/v1/jobs/")) return `GET job${e.status === 404 ? " (404)" : ""}`;
  if (path === "/v1/hubs/current/integrations/available") return "GET available";
  if (path === "/v1/hubs/current/integrations") return e.method === "POST" ? "POST integration" : "GET integrations (page)";
  if (path.endsWith("/tasks")) return "POST verify";
  if (path === "/v1/hubs/current/integrations/:id") return `${e.method} integration`;
  return `${e.method} ${path}`;
}

export function byKind(log: readonly RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of log) out[kindOf(e)] = (out[kindOf(e)] ?? 0) + 1;
  return out;
}

export function formatKinds(k: Record<string, number>): string {
  const total = Object.values(k).reduce((a, b) => a + b, 0);
  const parts = Object.entries(k)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`);
  return `${total} (${parts.join(", ") || "none"})`;
}

const answeredAt = (e: RequestLogEntry) => Date.parse(e.at) + e.durationMs;

/** From the first request's arrival to the last answer. */
export function apiPhaseMs(log: readonly RequestLogEntry[]): number {
  if (log.length === 0) return 0;
  return Math.max(...log.map(answeredAt)) - Math.min(...log.map((e) => Date.parse(e.at)));
}

export interface WaitFigures {
  jobs: number;
  /** ms from each job's completion (on our clock) to the waiting side's answer. */
  overheadMs: number[];
  /** Reads of each job (`GET /v1/jobs/{id}`, 404s included). */
  polls: number[];
  /** Requests per job after the one that started it: job reads and integration reads until the answer. */
  requests: number[];
}

/**
 * For every job of `caption` in the log: completion (the emulator's clock,
 * brought back to ours) to the first answer, at or after it, of a request
 * about the job or its integration that ended the wait — the job read that
 * saw it over, or the integration read that follows it.
 */
export function jobWaits(emu: EmulatorHandle, log: readonly RequestLogEntry[], caption: string, integrationIds?: Set<string>): WaitFigures {
  const offset = emu.options.clockOffsetMs;
  const out: WaitFigures = { jobs: 0, overheadMs: [], polls: [], requests: [] };
  for (const job of emu.jobs()) {
    if (job.caption !== caption || job.state.current !== "completed") continue;
    const integrationId = (job.tasks[0]?.input as { integration_id?: string } | null)?.integration_id ?? "";
    if (integrationIds && !integrationIds.has(integrationId)) continue;
    const about = log.filter(
      (e) => e.path.includes(`/v1/jobs/${job.id}`) || (e.method === "GET" && e.path.split("?")[0].endsWith(`/integrations/${integrationId}`)),
    );
    const reads = about.filter((e) => e.path.includes(`/v1/jobs/${job.id}`));
    if (reads.length === 0 && about.length === 0) continue;
    const completedLocal = Date.parse(job.events.completed) - offset;
    // The first request that arrived after completion: the one that saw it (a job read or an integration read).
    const after = about.filter((e) => Date.parse(e.at) >= completedLocal).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    if (after.length === 0) continue;
    // The wait ends with the integration read that follows the job (verify), or with the look that saw it (delete).
    const seen = after[0];
    const readBack = after.find((e) => e !== seen && e.path.includes(`/integrations/${integrationId}`) && Date.parse(e.at) >= answeredAt(seen));
    const end = caption.startsWith("Verify") && readBack && !seen.path.includes("/integrations/") ? answeredAt(readBack) : answeredAt(seen);
    out.jobs++;
    out.overheadMs.push(end - completedLocal);
    out.polls.push(reads.length);
    out.requests.push(about.filter((e) => Date.parse(e.at) <= Date.parse(seen.at)).length);
  }
  return out;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export function describeWaits(w: WaitFigures): string {
  if (w.jobs === 0) return "no jobs";
  return `${w.jobs} jobs: completion → answer median ${Math.round(median(w.overheadMs))} ms (p90 ${Math.round(pct(w.overheadMs, 90))}, max ${Math.round(Math.max(...w.overheadMs))}); job reads median ${median(w.polls)} (max ${Math.max(...w.polls)})`;
}
