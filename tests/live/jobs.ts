/**
 * What the jobs of the run took, and how the API answered reads of them.
 * The provider runs them inside `pulumi up`/`destroy`; its progress lines
 * name each job (`verifying integration … (job <id>)`, `deleting integration
 * … (job <id>)`), and with `CYCLE_DEBUG=1` it logs every request it makes
 * (method, path, status, time). After the command, each job is read once
 * more here for its own timeline, on the API's clock.
 */
import type { CycleClient } from "../../provider/api/client";
import { CycleApiError, isJobNotFound } from "../../provider/api/errors";

export type JobKind = "verify" | "delete";

/** One request the provider logged: `GET /v1/jobs/<id> -> 404 in 12 ms (attempt 1)`. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** Undefined when no answer came. */
  status?: number;
  ms: number;
}

/**
 * The CLI prints each of the provider's lines twice: as it comes, and again
 * under `Diagnostics:` once the command ends. The summary alone is read
 * (the whole output when there is none).
 */
export function diagnosticsOf(output: string): string {
  const start = output.indexOf("\nDiagnostics:\n");
  if (start < 0) return output;
  const rest = output.slice(start + 1);
  const end = rest.search(/\n(Outputs|Resources|Duration):/);
  return end < 0 ? rest : rest.slice(0, end);
}

const REQUEST_LINE = /\b(GET|POST|PATCH|DELETE) (\/\S+) -> (?:(\d{3})|no answer) in (\d+) ms/g;

/** Every request line in a command's output (its diagnostics summary), in order. */
export function loggedRequests(output: string): LoggedRequest[] {
  return [...diagnosticsOf(output).matchAll(REQUEST_LINE)].map((m) => ({
    method: m[1],
    path: m[2],
    status: m[3] === undefined ? undefined : Number(m[3]),
    ms: Number(m[4]),
  }));
}

const JOB_LINE = /\b(verifying|deleting) integration ([a-f0-9]{24}) \(job ([a-f0-9]{24})\)/g;

/** The jobs a command's output names, by kind, each once. */
export function jobsNamed(output: string): Array<{ kind: JobKind; integrationId: string; jobId: string }> {
  const seen = new Set<string>();
  const jobs: Array<{ kind: JobKind; integrationId: string; jobId: string }> = [];
  for (const m of output.matchAll(JOB_LINE)) {
    if (seen.has(m[3])) continue;
    seen.add(m[3]);
    jobs.push({ kind: m[1] === "verifying" ? "verify" : "delete", integrationId: m[2], jobId: m[3] });
  }
  return jobs;
}

export interface JobTiming {
  kind: JobKind;
  jobId: string;
  /** The job's state when read after the command. */
  state?: string;
  /** From the job's own events, on the API's clock. */
  queuedToStartedMs?: number;
  startedToCompletedMs?: number;
  queuedToCompletedMs?: number;
  /** Statuses of the provider's reads of this job, in order (from its request log). */
  providerReads: Array<number | "no answer">;
  /** Statuses of this check's reads after the command (a 404.job is read again, up to 4 times). */
  checkReads: Array<number | string>;
  /** Why the timeline is missing, when it is. */
  unreadable?: string;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";

function instant(t: string | undefined): number | undefined {
  if (!t || t === ZERO_TIME) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function between(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : b - a;
}

/** Reads the job (again after `404.job`, a second apart) and puts its timeline next to what the provider saw of it. */
export async function timeJob(
  client: CycleClient,
  job: { kind: JobKind; jobId: string },
  providerLog: readonly LoggedRequest[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<JobTiming> {
  const providerReads = providerLog
    .filter((r) => r.method === "GET" && r.path.split("?")[0] === `/v1/jobs/${job.jobId}`)
    .map((r) => r.status ?? ("no answer" as const));
  const timing: JobTiming = { kind: job.kind, jobId: job.jobId, providerReads, checkReads: [] };
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const read = await client.getJob(job.jobId);
      timing.checkReads.push(200);
      const queued = instant(read.events?.queued);
      const started = instant(read.events?.started);
      const completed = instant(read.events?.completed);
      return {
        ...timing,
        state: read.state.current,
        queuedToStartedMs: between(queued, started),
        startedToCompletedMs: between(started, completed),
        queuedToCompletedMs: between(queued, completed),
      };
    } catch (err) {
      if (!(err instanceof CycleApiError)) throw err;
      timing.checkReads.push(err.code ?? err.kind);
      if (!isJobNotFound(err) || attempt === 4) return { ...timing, unreadable: err.message };
      await sleep(1000);
    }
  }
  return timing;
}

export interface RequestSummary {
  count: number;
  byStatus: Record<string, number>;
  medianMs?: number;
  maxMs?: number;
}

/** Counts and latency of the requests the provider logged. */
export function summarizeRequests(log: readonly LoggedRequest[]): RequestSummary {
  const byStatus: Record<string, number> = {};
  for (const r of log) {
    const k = r.status === undefined ? "no answer" : String(r.status);
    byStatus[k] = (byStatus[k] ?? 0) + 1;
  }
  const times = log.map((r) => r.ms).sort((a, b) => a - b);
  return {
    count: log.length,
    byStatus,
    medianMs: times.length ? times[Math.floor(times.length / 2)] : undefined,
    maxMs: times.length ? times[times.length - 1] : undefined,
  };
}
