/**
 * The emulator's state: hubs, keys, integrations and jobs, and the one place
 * time moves forward. `advance(now)` applies, in order, the effect of every
 * job that has finished by `now` (verify → live/new, delete → deleted or
 * rolled back) and forgets deleted integrations whose grace period is over.
 * Every request and every direct read calls it first, so what a client sees
 * is always consistent with the job timeline without any background timer.
 */
import { CycleId, Integration, IntegrationState, IntegrationStateName } from "../provider/api/contract";
import { finishAt, JobRecord } from "./jobs";
import { ApiKey } from "./keys";
import { iso } from "./time";

export interface StoredIntegration {
  data: Integration;
  /** When a deleted integration stops being readable (then 404). */
  purgeAt: number | null;
  /** The job whose outcome will set the next state; a newer job supersedes it. */
  activeJob: CycleId | null;
  /** What a failed delete job rolls back to. */
  stateBeforeDelete: IntegrationStateName | null;
}

export class Store {
  readonly hubs = new Set<CycleId>();
  /** Keys by secret, the way a bearer token is looked up. */
  readonly keys = new Map<string, ApiKey>();
  /** Insertion order is creation order, which is the default list order. */
  readonly integrations = new Map<CycleId, StoredIntegration>();
  readonly jobs = new Map<CycleId, JobRecord>();

  constructor(private readonly deleteGraceMs: number) {}

  setState(rec: StoredIntegration, current: IntegrationStateName, at: number, error?: IntegrationState["error"]): void {
    rec.data.state = error ? { current, changed: iso(at), error } : { current, changed: iso(at) };
  }

  /** Marks an integration deleted at `at`; it stays readable for the grace period. */
  markDeleted(rec: StoredIntegration, at: number): void {
    this.setState(rec, "deleted", at);
    rec.data.events.deleted = iso(at);
    rec.activeJob = null;
    rec.purgeAt = at + this.deleteGraceMs;
  }

  advance(now: number): void {
    const due = [...this.jobs.values()].filter((j) => !j.applied && finishAt(j) <= now).sort((a, b) => finishAt(a) - finishAt(b));
    for (const job of due) {
      job.applied = true;
      this.applyOutcome(job);
    }
    for (const [id, rec] of this.integrations) {
      if (rec.purgeAt !== null && rec.purgeAt <= now) this.integrations.delete(id);
    }
  }

  private applyOutcome(job: JobRecord): void {
    const rec = this.integrations.get(job.integrationId);
    // A job superseded by a later one (e.g. verify, then delete) has no effect.
    if (!rec || rec.activeJob !== job.id) return;
    const at = finishAt(job);
    rec.activeJob = null;
    const failure = job.outcome === "completed" ? undefined : { message: job.errorMessage ?? `job ${job.outcome}`, time: iso(at) };
    if (job.kind === "verify") {
      if (failure) this.setState(rec, "new", at, failure);
      else this.setState(rec, "live", at);
      return;
    }
    if (failure) {
      this.setState(rec, rec.stateBeforeDelete ?? "new", at, failure);
      rec.stateBeforeDelete = null;
    } else {
      this.markDeleted(rec, at);
    }
  }
}
