/**
 * The poller's prediction and look planning, as pure functions: no clock,
 * no server. A simulated job (the emulator's timeline: one queued step, then
 * its steps, each `stepMs`) is looked at when `nextLook` says, with the API's
 * clock 90 s behind ours, and the looks are counted.
 */
import {
  DEFAULT_LOOK_TIMING,
  emptyHistory,
  exploreOffset,
  JobTimeline,
  KindHistory,
  learn,
  nextLook,
  nothingLearned,
  predictCompletion,
  timelineOf,
} from "../../provider/api/jobTiming";
import type { Job } from "../../provider/api/types";

const iso = (ms: number | undefined) => (ms === undefined ? "0001-01-01T00:00:00Z" : new Date(ms).toISOString());
const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("predictCompletion", () => {
  test("nothing known: no prediction", () => {
    expect(predictCompletion({ steps: [] }, undefined)).toBeUndefined();
    expect(predictCompletion({ created: T0, steps: [{}, {}, {}] }, undefined)).toBeUndefined();
  });

  test("a job not read yet is predicted from the kind's whole durations", () => {
    const h: KindHistory = { queue: [], steps: [], total: [1000, 1000, 900] };
    expect(predictCompletion({ created: T0, steps: [] }, h)).toEqual({ end: T0 + 1000, early: 100, basis: "history" });
  });

  test("queue seen, no step timed: a guess checked at the next boundary", () => {
    const p = predictCompletion({ created: T0, steps: [{ started: T0 + 7500 }, {}, {}] }, undefined);
    expect(p).toEqual({ end: T0 + 30_000, early: 0, basis: "guess", next: T0 + 15_000 });
  });

  test("a finished step times the rest of the job", () => {
    const t: JobTimeline = { created: T0, steps: [{ started: T0 + 7500, completed: T0 + 15_000 }, { started: T0 + 15_000 }, {}] };
    expect(predictCompletion(t, undefined)).toEqual({ end: T0 + 30_000, early: 0, basis: "steps" });
  });

  test("history step by step wins over the job's own mean, and its spread makes the look earlier", () => {
    const h: KindHistory = { queue: [250], steps: [[250], [300, 200, 250], [250]], total: [] };
    const t: JobTimeline = { created: T0, steps: [{ started: T0 + 250, completed: T0 + 500 }, { started: T0 + 500 }, {}] };
    expect(predictCompletion(t, h)).toEqual({ end: T0 + 1000, early: 50, basis: "history" });
  });

  test("still queued with history: creation + queue + steps", () => {
    const h: KindHistory = { queue: [250], steps: [[250], [250], [250]], total: [1000] };
    expect(predictCompletion({ created: T0, steps: [{}, {}, {}] }, h)).toEqual({ end: T0 + 1000, early: 0, basis: "history" });
  });

  test("learn records each duration once", () => {
    const h = emptyHistory();
    const learned = nothingLearned();
    const t: JobTimeline = { created: T0, steps: [{ started: T0 + 250, completed: T0 + 500 }, { started: T0 + 500 }, {}] };
    expect(learn(h, t, learned)).toBe(true);
    expect(learn(h, t, learned)).toBe(false);
    expect(h).toEqual({ queue: [250], steps: [[250]], total: [] });
    learn(
      h,
      { ...t, steps: [t.steps[0], { started: T0 + 500, completed: T0 + 750 }, { started: T0 + 750, completed: T0 + 1000 }], completed: T0 + 1000 },
      learned,
    );
    expect(h).toEqual({ queue: [250], steps: [[250], [250], [250]], total: [1000] });
  });
});

describe("nextLook", () => {
  const base = { started: 0, deadline: 1_000_000, misses: 0 };
  test("one look at the predicted end, mapped by the offset's lower bound, plus the margin", () => {
    const p = { end: T0 + 10_000, early: 0, basis: "history" as const };
    const offsetLow = T0 - 5_000; // the API's clock reads T0 when ours reads 5000 (at the latest)
    expect(nextLook({ ...base, now: 100, prediction: p, offsetLow })).toEqual({ at: 15_000 + DEFAULT_LOOK_TIMING.marginMs, reason: "predicted" });
  });

  test("past the predicted end: close looks, widening to the cap", () => {
    const p = { end: T0, early: 0, basis: "steps" as const };
    const offsetLow = T0;
    const gaps = [1, 2, 3, 4, 11].map((misses) => nextLook({ ...base, now: 1000, prediction: p, offsetLow, misses }).at - 1000);
    expect(gaps).toEqual([100, 160, 256, 410, 2000]);
    // Passed before anything looked at it: looked at once.
    expect(nextLook({ ...base, now: 1000, prediction: p, offsetLow, misses: 0 })).toEqual({ at: 1000, reason: "predicted" });
  });

  test("without a prediction: 0, 0.25 s, 0.75 s, 2.25 s, 6.75 s, ... from the start", () => {
    expect([0, 249, 250, 750, 2249, 6750, 20_250].map((e) => exploreOffset(e))).toEqual([250, 250, 750, 2250, 2250, 20_250, 50_250]);
    expect(nextLook({ ...base, now: 600 })).toEqual({ at: 750, reason: "explore" });
  });

  test("never past the deadline", () => {
    expect(nextLook({ ...base, now: 100, deadline: 200 })).toEqual({ at: 200, reason: "deadline" });
  });
});

// ---------------------------------------------------------------------------
// A simulated job, looked at when the planner says
// ---------------------------------------------------------------------------

const OFFSET = -90_000; // the API's clock minus ours
const RTT = 25; // the emulator answers after its latency, with the state as of the request's arrival

/** The emulator's verify timeline: created at `c` (API clock), one queued step, then `n` steps of `s` ms. */
function jobAt(c: number, s: number, n: number, apiNow: number): Job {
  const steps = Array.from({ length: n }, (_, i) => {
    const st = c + s * (i + 1);
    return { caption: `step ${i}`, description: "", started: iso(apiNow >= st ? st : undefined), completed: iso(apiNow >= st + s ? st + s : undefined) };
  });
  const end = c + s * (n + 1);
  const done = apiNow >= end;
  return {
    id: "a".repeat(24),
    hub_id: "b".repeat(24),
    queue: "q",
    caption: "Verify integration",
    events: { queued: iso(c), started: iso(apiNow >= c + s ? c + s : undefined), completed: iso(done ? end : undefined) },
    schedule: iso(c),
    expires: iso(c + 3_600_000),
    tasks: [
      {
        id: "c".repeat(24),
        caption: "Verify",
        header: "verify",
        events: { queued: iso(c), started: "", completed: "" },
        steps,
        state: { current: done ? "completed" : "running", changed: iso(c) },
        input: null,
        output: null,
        error: null,
      },
    ],
    hash: "",
    limit_duplicates: true,
    creator: { type: "account", id: "d".repeat(24) },
    state: { current: done ? "completed" : apiNow >= c + s ? "running" : "queued", changed: iso(c), error: null },
  } as unknown as Job;
}

/**
 * Follows one job as waitForJob does: a first look at once (answered 404 by
 * a strict API), then where `nextLook` says. Returns the looks made and how
 * long after the job's end (local) the look that saw it was sent.
 */
function follow(stepMs: number, history: KindHistory): { looks: number; late: number } {
  const n = 3;
  const createdLocal = 1_000_000;
  const created = createdLocal + OFFSET;
  const started = createdLocal + RTT; // the wait begins when the 202 arrives
  const endLocal = createdLocal + stepMs * (n + 1);
  let offsetLow = created - started; // created before the wait began
  let timeline: JobTimeline = { steps: [] };
  const learned = nothingLearned();
  let looks = 1; // the 404
  let now = started + RTT;
  let misses = 0;
  let last: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const known = timeline.steps.length ? timeline : { ...timeline, created: started + offsetLow };
    const prediction = predictCompletion(known, history);
    if (last === "predicted" || last === "close") misses++;
    let plan = nextLook({ now, started, deadline: started + 600_000, prediction, offsetLow, misses });
    if (plan.reason === "predicted" && plan.at > now) misses = 0;
    plan = nextLook({ now, started, deadline: started + 600_000, prediction, offsetLow, misses });
    last = plan.reason;
    now = plan.at;
    looks++;
    const job = jobAt(created, stepMs, n, now + OFFSET);
    timeline = timelineOf(job);
    learn(history, timeline, learned);
    for (const s of timeline.steps) for (const x of [s.started, s.completed]) if (x !== undefined) offsetLow = Math.max(offsetLow, x - (now + RTT));
    if (job.state.current === "completed") return { looks, late: now - endLocal };
    now += RTT;
  }
  throw new Error("did not end");
}

describe("following simulated jobs", () => {
  test("a 30 s job, the first of its kind: at most 8 looks, the 404 included", () => {
    const r = follow(7500, emptyHistory());
    expect(r.looks).toBeLessThanOrEqual(8);
    expect(r.late).toBeLessThanOrEqual(150);
  });

  test("a 1 s job, the first of its kind: a handful of looks", () => {
    expect(follow(250, emptyHistory()).looks).toBeLessThanOrEqual(4);
  });

  test("once the kind is known: the 404 and one look at the end", () => {
    for (const stepMs of [250, 7500]) {
      const h = emptyHistory();
      follow(stepMs, h);
      const r = follow(stepMs, h);
      expect(r.looks).toBe(2);
      expect(r.late).toBeLessThanOrEqual(60);
    }
  });
});
