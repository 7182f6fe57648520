/**
 * The API's clock against this machine's, from the `Date` header of plain
 * reads. `Date` has one-second resolution, so each answer only bounds the
 * offset (server minus local): D - received <= offset < D + 1000 - sent. The
 * bounds of several answers are intersected.
 */
import axios from "axios";

export interface DateSample {
  /** The header as sent, or undefined when the answer had none. */
  date?: string;
  status: number;
  roundTripMs: number;
}

export interface ClockObservation {
  samples: DateSample[];
  /** Server clock minus this machine's, in ms: at least `low`, less than `high`. Absent when no answer had a usable `Date`. */
  offsetMs?: { low: number; high: number; estimate: number };
}

/** One bound from one answer. */
export function boundsOf(sentLocalMs: number, receivedLocalMs: number, dateHeader: string): { low: number; high: number } | undefined {
  const d = Date.parse(dateHeader);
  if (Number.isNaN(d)) return undefined;
  return { low: d - receivedLocalMs, high: d + 1000 - sentLocalMs };
}

/** Intersects the bounds; when they do not overlap (the clock jumped), the last answer's alone. */
export function intersect(bounds: Array<{ low: number; high: number }>): { low: number; high: number; estimate: number } | undefined {
  let acc: { low: number; high: number } | undefined;
  for (const b of bounds) {
    const next = acc ? { low: Math.max(acc.low, b.low), high: Math.min(acc.high, b.high) } : b;
    acc = next.low <= next.high ? next : b;
  }
  return acc ? { ...acc, estimate: Math.round((acc.low + acc.high) / 2) } : undefined;
}

/** Reads a cheap endpoint `count` times, a little apart, and bounds the offset. */
export async function observeClock(apiUrl: string, apiKey: string, hubId: string, count = 3, gapMs = 350): Promise<ClockObservation> {
  const samples: DateSample[] = [];
  const bounds: Array<{ low: number; high: number }> = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
    const sent = Date.now();
    const res = await axios.get(`${apiUrl}/v1/hubs/current/integrations`, {
      params: { "page[size]": 1 },
      headers: { Authorization: `Bearer ${apiKey}`, "X-Hub-Id": hubId },
      timeout: 15_000,
      validateStatus: () => true,
      responseType: "text",
    });
    const received = Date.now();
    const date = typeof res.headers["date"] === "string" ? res.headers["date"] : undefined;
    samples.push({ date, status: res.status, roundTripMs: received - sent });
    const b = date === undefined ? undefined : boundsOf(sent, received, date);
    if (b) bounds.push(b);
  }
  return { samples, offsetMs: intersect(bounds) };
}
