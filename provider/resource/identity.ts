/**
 * What makes an integration "the one a create made": the exact values the
 * create sent. Used to reconcile a create whose answer was lost, and by
 * `pulumi-cycle recover` to find the integrations an interrupted `up` made.
 * Display names are never enough on their own: a hub can hold look-alikes.
 */
import type { Integration } from "../api/types";

export { deriveIdentifier } from "../api/identifier";

/** What a create sent that the hub shows back (credentials are never compared: the API need not echo them). */
export interface CreateIntent {
  vendor: string;
  name: string;
  /** Declared, or derived from the name. */
  identifier: string;
  /** Absent when the create sent none. */
  extra?: Record<string, string>;
}

/** True when two string maps hold the same keys and values (absent and empty are the same). */
export function sameStringMap(a: Record<string, string> | null | undefined, b: Record<string, string> | null | undefined): boolean {
  const ak = Object.keys(a ?? {}).filter((k) => a?.[k] !== undefined);
  const bk = Object.keys(b ?? {}).filter((k) => b?.[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => a?.[k] === b?.[k]);
}

/** True when the integration holds exactly what the create sent. */
export function matchesIntent(intent: CreateIntent, i: Integration): boolean {
  return (
    i.vendor === intent.vendor &&
    i.name === intent.name &&
    i.identifier === intent.identifier &&
    sameStringMap(intent.extra, i.extra) &&
    i.state.current !== "deleted"
  );
}

/**
 * The integrations that may be the one a create made: holding exactly what
 * it sent, created no earlier than `notBeforeMs` (a bound on when the request
 * was sent, in the server's clock), and not claimed by another resource.
 * Anything that existed before the request is never a candidate.
 */
export function createCandidates(intent: CreateIntent, hub: Integration[], notBeforeMs: number, claimed: ReadonlySet<string>): Integration[] {
  return hub
    .filter((i) => !claimed.has(i.id) && matchesIntent(intent, i) && Date.parse(i.events.created) >= notBeforeMs)
    .sort((a, b) => Date.parse(a.events.created) - Date.parse(b.events.created) || a.id.localeCompare(b.id));
}
