/**
 * Time helpers. The emulator keeps every instant as epoch milliseconds
 * internally and only turns them into RFC 3339 strings at the edge, so that
 * job timelines can be computed from numbers rather than parsed back.
 *
 * The server's clock is a `Clock`: the machine clock shifted by a fixed
 * offset (`clockOffsetMs`). Every instant the emulator stores or answers
 * (integration events and states, job timelines, the HTTP `Date` header) is
 * read from it, so the timelines stay consistent among themselves while
 * disagreeing with the client's clock by construction.
 */
import { DateTime, ZERO_TIME } from "../provider/api/contract";

export class Clock {
  constructor(readonly offsetMs: number) {
    if (!Number.isInteger(offsetMs)) throw new RangeError(`clockOffsetMs must be an integer, got ${offsetMs}`);
  }

  /** Milliseconds since the epoch on the server's clock. */
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

/** RFC 3339 form of an instant; `null` (never) becomes the API's zero time. */
export function iso(ms: number | null): DateTime {
  return ms === null ? ZERO_TIME : new Date(ms).toISOString();
}

/** The HTTP `Date` form (IMF-fixdate, RFC 9110), which has one-second resolution: the fraction is dropped. */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}
