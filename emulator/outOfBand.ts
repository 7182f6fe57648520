/**
 * Changes made "in the Cycle portal", behind the client's back: drift for the
 * provider's refresh to notice, integrations to adopt, deletions it did not
 * make. They go straight to the store (not through HTTP, so not in the
 * request log) but values are validated like the API's, so the emulator never
 * holds an integration the real API could not. Editability and state checks
 * are skipped: drift is the point.
 */
import { CreateIntegrationBody, CycleId, Integration, IntegrationAuth, IntegrationStateName } from "../provider/api/contract";
import { findEntry } from "./catalogue";
import { ApiError } from "./errors";
import { newId } from "./ids";
import { IntegrationService } from "./service";
import { StoredIntegration } from "./store";
import { Clock, iso } from "./time";
import { validateCreate, validateUpdate } from "./validation";

export interface OutOfBandControls {
  rename(id: CycleId, name: string): Integration;
  setIdentifier(id: CycleId, identifier: string): Integration;
  /** Replaces `extra` as a whole; `null` clears it (if the vendor requires none). */
  setExtra(id: CycleId, extra: Record<string, string> | null): Integration;
  /** Replaces `auth` as a whole; on a vendor with verification the integration goes back to `new`. */
  setAuth(id: CycleId, auth: IntegrationAuth): Integration;
  /** Forces a state, e.g. `live` without a verify job; `error` sets `state.error`. */
  setState(id: CycleId, state: IntegrationStateName, error?: string): Integration;
  /** Deleted at once (no job); readable as `deleted` for the grace period, then gone. */
  delete(id: CycleId): Integration;
  /** Gone at once: the next get is `404.hub.integration`. */
  purge(id: CycleId): void;
  /** Creates an integration as a portal user would (creator type `account`, the keys' owner); `state` defaults to `new`. */
  create(hubId: CycleId, body: CreateIntegrationBody, opts?: { state?: IntegrationStateName }): Integration;
}

/**
 * @param portalAccountId who the portal user is; by default the same account
 *   that owns the API keys, so an `account` creator tells no one who made what.
 */
export function outOfBandControls(service: IntegrationService, clock: Clock, portalAccountId: CycleId = newId()): OutOfBandControls {
  const store = service.store;
  const nowMs = (): number => clock.now();

  const find = (id: CycleId): StoredIntegration => {
    store.advance(nowMs());
    const rec = store.integrations.get(id);
    if (!rec) throw new ApiError("404.hub.integration", `out-of-band: no integration ${id}`);
    return rec;
  };

  const change = (id: CycleId, body: Record<string, unknown>): Integration => {
    const rec = find(id);
    const def = findEntry(rec.data.vendor)!.definition;
    service.applyUpdate(rec, validateUpdate(body, def), nowMs());
    return service.present(rec);
  };

  return {
    rename: (id, name) => change(id, { name }),
    setIdentifier: (id, identifier) => change(id, { identifier }),
    setExtra: (id, extra) => {
      if (extra !== null) return change(id, { extra });
      const rec = find(id);
      const required = Object.entries(findEntry(rec.data.vendor)!.definition.fields.extra ?? {}).find(([, f]) => f.required);
      if (required) throw new ApiError("422.missing-argument", `extra.${required[0]} is required`, { source: `/extra/${required[0]}` });
      rec.data.extra = null;
      rec.data.events.updated = iso(nowMs());
      return service.present(rec);
    },
    setAuth: (id, auth) => change(id, { auth }),
    setState: (id, state, error) => {
      const rec = find(id);
      const now = nowMs();
      rec.activeJob = null;
      if (state === "deleted") {
        store.markDeleted(rec, now);
        return service.present(rec);
      }
      store.setState(rec, state, now, error ? { message: error, time: iso(now) } : undefined);
      return service.present(rec);
    },
    delete: (id) => {
      const rec = find(id);
      store.markDeleted(rec, nowMs());
      return service.present(rec);
    },
    purge: (id) => {
      find(id);
      store.integrations.delete(id);
    },
    create: (hubId, body, opts = {}) => {
      if (!store.hubs.has(hubId)) throw new ApiError("404.hub", `out-of-band: no hub ${hubId}`);
      const now = nowMs();
      store.advance(now);
      const rec = service.create(hubId, { type: "account", id: portalAccountId }, validateCreate(body), now);
      if (opts.state && opts.state !== "new") {
        if (opts.state === "deleted") store.markDeleted(rec, now);
        else store.setState(rec, opts.state, now);
      }
      return service.present(rec);
    },
  };
}
