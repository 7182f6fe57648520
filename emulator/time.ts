/**
 * Time helpers. The emulator keeps every instant as epoch milliseconds
 * internally and only turns them into RFC 3339 strings at the edge, so that
 * job timelines can be computed from numbers rather than parsed back.
 */
import { DateTime, ZERO_TIME } from "../provider/api/types";

/** Milliseconds since the epoch, behind one function so tests read one clock. */
export function nowMs(): number {
  return Date.now();
}

/** RFC 3339 form of an instant; `null` (never) becomes the API's zero time. */
export function iso(ms: number | null): DateTime {
  return ms === null ? ZERO_TIME : new Date(ms).toISOString();
}
