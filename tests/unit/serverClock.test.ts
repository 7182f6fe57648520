/** The API's clock from its `Date` header and its own timestamps, and what happens when they disagree. */
import { CLOCK_TOLERANCE_MS, ServerClock } from "../../provider/api/serverClock";

const httpDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toUTCString();
const H3 = 3 * 3_600_000;

test("an honest Date and the API's timestamps agree, and their bounds are intersected", () => {
  const c = new ServerClock();
  const local = 1_800_000_000_000;
  const offset = -90_000;
  c.observe(local, local + 20, httpDate(local + 10 + offset));
  // A create served within [local + 30, local + 50]: its events.created was written then.
  c.observeWritten(local + 40 + offset, local + 30, local + 50);
  const r = c.reading();
  expect(r.conflict).toBeUndefined();
  expect(r.bounds!.low).toBeLessThanOrEqual(offset);
  expect(r.bounds!.high).toBeGreaterThanOrEqual(offset);
  expect(r.bounds!.high - r.bounds!.low).toBeLessThanOrEqual(20);
  expect(c.earliestAt(local)).toBe(local + r.bounds!.low);
  expect(c.latestAt(local)).toBe(local + r.bounds!.high);
});

test("a Date 3 h behind the timestamps the API reports is a conflict, and the timestamps win", () => {
  const c = new ServerClock();
  const local = 1_800_000_000_000;
  c.observe(local, local + 5, httpDate(local - H3));
  c.observeReported(local - 90_000, local + 5);
  const r = c.reading();
  expect(r.conflict).toMatch(/at least 3\.0 h behind the API's own timestamps/);
  expect(c.offset()!.low).toBe(-90_000 - 5);
  expect(c.latestAt(local)).toBeUndefined();
});

test("a Date 3 h ahead is caught by an instant the API wrote while serving us (a new job's schedule)", () => {
  const c = new ServerClock();
  const local = 1_800_000_000_000;
  c.observe(local, local + 5, httpDate(local + H3));
  expect(c.reading().conflict).toBeUndefined(); // Reported instants alone only bound it from below.
  c.observeReported(local - 1_000, local + 5);
  expect(c.reading().conflict).toBeUndefined();
  c.observeNotBefore(local + 2, local);
  expect(c.reading().conflict).toMatch(/ahead of the API's own timestamps/);
  expect(c.offset()!.high).toBe(2);
});

test("within the tolerance is agreement; a missing or garbage Date leaves the timestamps alone", () => {
  const c = new ServerClock();
  const local = 1_800_000_000_000;
  c.observe(local, local + 5, httpDate(local));
  c.observeReported(local + CLOCK_TOLERANCE_MS - 10, local + 5);
  expect(c.reading().conflict).toBeUndefined();
  const d = new ServerClock();
  d.observe(local, local + 5, undefined);
  d.observe(local, local + 5, "sometime around lunch");
  expect(d.reading().dated).toBeUndefined();
  expect(d.offset()).toBeUndefined();
  d.observeReported(local - 500, local + 5);
  expect(d.offset()!.low).toBe(-505);
});
