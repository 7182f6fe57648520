/**
 * What the API's clock reads, from every source its answers give. Timestamps
 * the API writes (`events.created`, a job's steps) are in its clock, not
 * ours; to ask "was this created after we sent that request?" we need a
 * bound on the difference (the offset, server minus local). Two sources
 * bound it, and they are kept apart so that one can be caught lying:
 *
 *  - the `Date` header, one-second resolution, bounds it from both sides:
 *      D - received  <=  offset  <  D + 1000 - sent
 *    (a proxy or a host whose clock is not the API's can skew it, leave it
 *    out or garble it);
 *  - the API's own timestamps: any instant it reports had passed on its
 *    clock when the answer arrived (`offset >= t - received`), and an
 *    instant it wrote while serving our request (a create's
 *    `events.created`) lies within the request (`offset <= t - sent`).
 *
 * When both exist and do not overlap (beyond a tolerance), the clocks
 * disagree: whoever compares instants must not guess (`reading().conflict`).
 * Otherwise the bounds of both are intersected.
 */
export interface OffsetBounds {
  /** The offset (server clock minus local clock) is at least this, in ms (-Infinity: no lower bound known). */
  low: number;
  /** ... and less than this (Infinity: no upper bound known). */
  high: number;
}

/** How far the two sources may disagree before they are said to: the header's resolution and a little more. */
export const CLOCK_TOLERANCE_MS = 2_000;

export interface ClockReading {
  /** The bounds to use: both sources intersected; on a conflict, the API's own timestamps only. */
  bounds?: OffsetBounds;
  /** The `Date` header's bounds, if any answer carried a readable one. */
  dated?: OffsetBounds;
  /** The bounds the API's own timestamps give, if any. */
  events?: OffsetBounds;
  /** Set when the two disagree beyond the tolerance: a sentence saying how. */
  conflict?: string;
}

export class ServerClock {
  private dated: OffsetBounds | undefined;
  private events: OffsetBounds | undefined;

  /** Records one answer: local send and receive instants and its `Date` header. */
  observe(sentLocalMs: number, receivedLocalMs: number, dateHeader: string | undefined): void {
    if (!dateHeader) return;
    const d = Date.parse(dateHeader);
    if (Number.isNaN(d)) return;
    this.dated = intersect(this.dated, { low: d - receivedLocalMs, high: d + 1000 - sentLocalMs });
  }

  /** An instant the API reported in an answer received at `receivedLocalMs`: its clock had reached it. */
  observeReported(apiInstantMs: number, receivedLocalMs: number): void {
    this.events = intersect(this.events, { low: apiInstantMs - receivedLocalMs, high: Infinity });
  }

  /** An instant the API wrote while serving a request sent at `sentLocalMs` and answered at `receivedLocalMs`. */
  observeWritten(apiInstantMs: number, sentLocalMs: number, receivedLocalMs: number): void {
    this.events = intersect(this.events, { low: apiInstantMs - receivedLocalMs, high: apiInstantMs - sentLocalMs });
  }

  /** An instant the API set no earlier than it received a request sent at `sentLocalMs` (a new job's `schedule`). */
  observeNotBefore(apiInstantMs: number, sentLocalMs: number): void {
    this.events = intersect(this.events, { low: -Infinity, high: apiInstantMs - sentLocalMs });
  }

  /** Both sources, and whether they agree. */
  reading(toleranceMs = CLOCK_TOLERANCE_MS): ClockReading {
    const dated = this.dated && { ...this.dated };
    const events = this.events && { ...this.events };
    if (!dated || !events) return { bounds: dated ?? events, dated, events };
    if (events.low > dated.high + toleranceMs || events.high < dated.low - toleranceMs) {
      const shift = events.low > dated.high ? events.low - dated.high : dated.low - events.high;
      const way = events.low > dated.high ? "behind" : "ahead of";
      return {
        bounds: events,
        dated,
        events,
        conflict: `the API's Date header is at least ${formatMs(shift)} ${way} the API's own timestamps`,
      };
    }
    const both = { low: Math.max(dated.low, events.low), high: Math.min(dated.high, events.high) };
    // Within the tolerance but not overlapping: the wider of the two is the honest bound.
    const bounds = both.low <= both.high ? both : { low: Math.min(dated.low, events.low), high: Math.max(dated.high, events.high) };
    return { bounds, dated, events };
  }

  /** The bounds to use (see `reading`), if any source gave a lower one. */
  offset(): OffsetBounds | undefined {
    const b = this.reading().bounds;
    return b && Number.isFinite(b.low) ? b : undefined;
  }

  /** The earliest the server's clock can have read at local instant `localMs`; undefined before any answer. */
  earliestAt(localMs: number): number | undefined {
    const b = this.offset();
    return b ? localMs + b.low : undefined;
  }

  /** The latest the server's clock can have read at local instant `localMs`; undefined without an upper bound. */
  latestAt(localMs: number): number | undefined {
    const b = this.offset();
    return b && Number.isFinite(b.high) ? localMs + b.high : undefined;
  }
}

/** The bounds of both; when they no longer overlap the server's clock jumped, and the newest observation starts again. */
function intersect(before: OffsetBounds | undefined, next: OffsetBounds): OffsetBounds {
  if (!before) return next;
  const both = { low: Math.max(before.low, next.low), high: Math.min(before.high, next.high) };
  return both.low <= both.high ? both : next;
}

function formatMs(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
