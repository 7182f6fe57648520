/**
 * What the API's clock reads, estimated from the `Date` header of its
 * answers. Timestamps the API writes (`events.created`) are in its clock,
 * not ours; to ask "was this created after we sent that request?" we need a
 * bound on the difference. `Date` has one-second resolution, so each answer
 * bounds the offset (server minus local) from both sides:
 *
 *   D - received  <=  offset  <  D + 1000 - sent
 *
 * where D is the header's instant and sent/received the local times around
 * the request. The bounds of every answer are intersected.
 */
export interface OffsetBounds {
  /** The offset (server clock minus local clock) is at least this, in ms. */
  low: number;
  /** ... and less than this. */
  high: number;
}

export class ServerClock {
  private bounds: OffsetBounds | undefined;

  /** Records one answer: local send and receive instants and its `Date` header. */
  observe(sentLocalMs: number, receivedLocalMs: number, dateHeader: string | undefined): void {
    if (!dateHeader) return;
    const d = Date.parse(dateHeader);
    if (Number.isNaN(d)) return;
    const low = d - receivedLocalMs;
    const high = d + 1000 - sentLocalMs;
    if (!this.bounds) {
      this.bounds = { low, high };
      return;
    }
    const next = { low: Math.max(this.bounds.low, low), high: Math.min(this.bounds.high, high) };
    // Bounds that no longer overlap mean the server's clock jumped: start again from this answer.
    this.bounds = next.low <= next.high ? next : { low, high };
  }

  /** The bounds seen so far, if any answer carried a `Date`. */
  offset(): OffsetBounds | undefined {
    return this.bounds ? { ...this.bounds } : undefined;
  }

  /** The earliest the server's clock can have read at local instant `localMs`; undefined before any answer. */
  earliestAt(localMs: number): number | undefined {
    return this.bounds ? localMs + this.bounds.low : undefined;
  }
}
