/**
 * The integration operations, independent of HTTP: the routes call them for
 * API requests and the out-of-band controls call them for "portal" changes,
 * so both follow the same rules. Each method takes `now` so one request sees
 * one instant.
 */
import { AUTH_FIELDS, AuthField, CreatorScope, CycleId, Integration, IntegrationAuth, IntegrationDefinition } from "../provider/api/contract";
import { definitionOf, findEntry } from "./catalogue";
import { ApiError, integrationNotFound, pointer } from "./errors";
import { newId } from "./ids";
import { finishAt, JobKind, JobOutcome, JobRecord, newJobRecord } from "./jobs";
import { JobFate } from "./faults";
import { SearchField } from "./options";
import { compareBy, ListQuery, MetaValue } from "./query";
import { Store, StoredIntegration } from "./store";
import { iso } from "./time";
import { ValidCreate, ValidUpdate, validateUpdate } from "./validation";

/** Verification fails when any auth value contains this, case-insensitively. */
export const VERIFY_FAIL_MARKER = "invalid";

export interface ServiceOptions {
  jobStepMs: number;
  /** Answer stored credential values; otherwise every auth value reads null. */
  echoAuth: boolean;
  /** The most items a page holds, whatever `page[size]` asks. */
  maxPageSize: number;
  /** The fields `filter[search]` looks in. */
  searchFields: readonly SearchField[];
  /** A failed verification's message quotes the rejected value, as a careless vendor's would. */
  quoteCredentials: boolean;
}

function definitionFor(rec: StoredIntegration): IntegrationDefinition {
  const entry = findEntry(rec.data.vendor);
  // Integrations are only ever created for catalogue vendors.
  if (!entry) throw new ApiError("500.unknown", `no definition for vendor ${rec.data.vendor}`);
  return entry.definition;
}

function sameAuth(a: IntegrationAuth | null, b: IntegrationAuth | null): boolean {
  if (a === null || b === null) return a === b;
  return AUTH_FIELDS.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

function sameExtra(a: Record<string, string> | null, b: Record<string, string> | null | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => (a ?? {})[k] === (b ?? {})[k]);
}

/** The auth field whose value carries the failure marker, if any. */
function markedAuthField(auth: IntegrationAuth | null | undefined): string | undefined {
  if (!auth) return undefined;
  return AUTH_FIELDS.find((k) => auth[k]?.toLowerCase().includes(VERIFY_FAIL_MARKER));
}

export class IntegrationService {
  constructor(
    readonly store: Store,
    private readonly opts: ServiceOptions,
  ) {}

  /** An integration of the hub, still readable (not purged), or 404. */
  find(hubId: CycleId, id: string): StoredIntegration {
    const rec = this.store.integrations.get(id);
    if (!rec || rec.data.hub_id !== hubId) throw integrationNotFound();
    return rec;
  }

  /** The wire form: a copy, with `meta` when asked and auth redacted unless echo is configured. */
  present(rec: StoredIntegration, meta: ReadonlySet<MetaValue> = new Set()): Integration {
    const out = this.snapshot(rec);
    if (!this.opts.echoAuth && out.auth) {
      for (const k of AUTH_FIELDS) if (out.auth[k] !== undefined && out.auth[k] !== null) out.auth[k] = null;
    }
    if (meta.has("definition")) out.meta = { definition: definitionOf(out.vendor) };
    return out;
  }

  /** A copy of the stored integration as is (no redaction), for the handle's direct reads. */
  snapshot(rec: StoredIntegration): Integration {
    return structuredClone(rec.data);
  }

  list(hubId: CycleId, q: ListQuery): Integration[] {
    const search = q.search?.toLowerCase();
    const searched = (i: Integration): string[] => this.opts.searchFields.map((f) => i[f]);
    const rows = [...this.store.integrations.values()]
      .map((r) => r.data)
      .filter((i) => i.hub_id === hubId)
      // Deleted integrations only show up when asked for by state.
      .filter((i) => (q.state ? i.state.current === q.state : i.state.current !== "deleted"))
      .filter((i) => !search || searched(i).some((s) => s.toLowerCase().includes(search)))
      .filter((i) => !q.category || findEntry(i.vendor)?.category === q.category)
      .sort(compareBy(q.sort));
    // A page larger than the cap is served at the cap, and pages are counted
    // in served items, so a client that pages on until an empty page sees
    // every row once; one that stops at a short page misses the rest.
    const size = Math.min(q.pageSize, this.opts.maxPageSize);
    const start = (q.pageNumber - 1) * size;
    return rows.slice(start, start + size).map((i) => this.present(this.store.integrations.get(i.id)!, q.meta));
  }

  create(hubId: CycleId, creator: CreatorScope, input: ValidCreate, now: number): StoredIntegration {
    const entry = findEntry(input.vendor);
    if (!entry) throw new ApiError("422.invalid-argument", `unknown vendor "${input.vendor}"`, { source: "/vendor" });
    if (!entry.definition.supports_multiple) {
      // A deleting integration still counts: the vendor is only free once it is deleted.
      const clash = [...this.store.integrations.values()].find(
        (r) => r.data.hub_id === hubId && r.data.vendor === input.vendor && r.data.state.current !== "deleted",
      );
      if (clash) {
        throw new ApiError("409.duplicate-found", `this hub already has an integration of vendor "${input.vendor}" (${clash.data.id}), which allows only one`, {
          source: "/vendor",
        });
      }
    }
    const data: Integration = {
      id: newId(),
      name: input.name,
      vendor: input.vendor,
      identifier: input.identifier,
      auth: input.auth,
      extra: input.extra,
      creator,
      hub_id: hubId,
      state: { current: "new", changed: iso(now) },
      events: { created: iso(now), updated: iso(now), deleted: iso(null) },
    };
    const rec: StoredIntegration = { data, purgeAt: null, activeJob: null, stateBeforeDelete: null };
    this.store.integrations.set(data.id, rec);
    return rec;
  }

  /** PATCH: refused for non-editable vendors and while a job owns the integration. */
  update(rec: StoredIntegration, body: unknown, now: number): void {
    const def = definitionFor(rec);
    if (!def.editable) {
      throw new ApiError("403.not-allowed", `integrations of vendor "${def.vendor}" cannot be edited; delete and re-create it`);
    }
    this.requireState(rec, ["new", "live"], "updated");
    this.applyUpdate(rec, validateUpdate(body, def), now);
  }

  /** Applies a validated change; a credential change on a verifying vendor sends it back to `new`. */
  applyUpdate(rec: StoredIntegration, change: ValidUpdate, now: number): void {
    const d = rec.data;
    let changed = false;
    if (change.name !== undefined && change.name !== d.name) {
      d.name = change.name;
      changed = true;
    }
    if (change.identifier !== undefined && change.identifier !== d.identifier) {
      d.identifier = change.identifier;
      changed = true;
    }
    if (change.extra !== undefined && !sameExtra(change.extra, d.extra)) {
      d.extra = change.extra;
      changed = true;
    }
    if (change.auth !== undefined && !sameAuth(change.auth, d.auth ?? null)) {
      d.auth = change.auth;
      changed = true;
      if (definitionFor(rec).supports_verification && d.state.current !== "deleted" && d.state.current !== "deleting") {
        // New credentials are unproven: not usable until verified again.
        rec.activeJob = null;
        this.store.setState(rec, "new", now);
      }
    }
    if (changed) d.events.updated = iso(now);
  }

  requireState(rec: StoredIntegration, allowed: Integration["state"]["current"][], action: string): void {
    const current = rec.data.state.current;
    if (!allowed.includes(current)) {
      throw new ApiError("403.invalid-state", `the integration is ${current} and cannot be ${action} now`);
    }
  }

  verify(rec: StoredIntegration, creator: CreatorScope, fate: JobFate, now: number): JobRecord {
    const def = definitionFor(rec);
    if (!def.supports_verification) {
      throw new ApiError("403.not-allowed", `vendor "${def.vendor}" does not support verification`, { source: "/action" });
    }
    if (!def.usable) throw new ApiError("403.not-allowed", `vendor "${def.vendor}" cannot be used at this time`);
    this.requireState(rec, ["new", "live"], "verified");
    const marked = markedAuthField(rec.data.auth);
    let outcome: JobOutcome = marked ? "error" : "completed";
    const quoted = marked && this.opts.quoteCredentials ? `: ${JSON.stringify(rec.data.auth?.[marked as AuthField])}` : "";
    let message = marked ? `the vendor rejected the credentials (${pointer("auth", marked)}${quoted})` : null;
    if (fate.outcome) {
      outcome = fate.outcome;
      message = fate.outcome === "error" ? "the job failed (injected fault)" : "the job expired before it was started";
    }
    const job = this.newJob(rec, "verify", creator, outcome, message, fate.hiddenReads, now);
    this.store.setState(rec, "verifying", now, rec.data.state.error);
    return job;
  }

  delete(rec: StoredIntegration, creator: CreatorScope, fate: JobFate, now: number): JobRecord {
    this.requireState(rec, ["new", "verifying", "live"], "deleted");
    const outcome: JobOutcome = fate.outcome ?? "completed";
    const message =
      fate.outcome === "error" ? "the delete job failed (injected fault)" : fate.outcome === "expired" ? "the delete job expired before it was started" : null;
    const job = this.newJob(rec, "delete", creator, outcome, message, fate.hiddenReads, now);
    rec.stateBeforeDelete = rec.data.state.current === "verifying" ? "new" : rec.data.state.current;
    this.store.setState(rec, "deleting", now);
    return job;
  }

  private newJob(
    rec: StoredIntegration,
    kind: JobKind,
    creator: CreatorScope,
    outcome: JobOutcome,
    message: string | null,
    hiddenReads: number,
    now: number,
  ): JobRecord {
    // Jobs of one integration share a queue: this one starts after the last
    // one that will run (an expiring job never runs, so it does not block).
    const queueFreeAt = [...this.store.jobs.values()]
      .filter((j) => j.integrationId === rec.data.id && j.outcome !== "expired")
      .reduce((latest, j) => Math.max(latest, finishAt(j)), 0);
    const job = newJobRecord({
      hubId: rec.data.hub_id,
      kind,
      integrationId: rec.data.id,
      creator,
      createdAt: now,
      queueFreeAt,
      stepMs: this.opts.jobStepMs,
      outcome,
      errorMessage: message,
      hiddenReads,
    });
    this.store.jobs.set(job.id, job);
    // The newest job decides the integration's next state.
    rec.activeJob = job.id;
    return job;
  }
}
