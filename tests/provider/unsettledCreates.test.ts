/**
 * Exactly-once, part two, through the real dynamic-provider server over gRPC
 * against the emulator: searches that cannot run (an outage of the listing),
 * a `Date` header missing, garbage or hours off the API's own timestamps,
 * and two stacks creating the same integration while one create is answered
 * by a gateway that never forwarded it. Each test asserts what the hub holds
 * afterwards: nothing duplicated, nothing forgotten, nothing of another's
 * recorded.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";
import { B2_GOOD, AWS_GOOD } from "../helpers/fixtures";
import { GrpcProvider, InitFailure } from "../helpers/grpcProvider";
import { serializeProvider } from "../helpers/serializedProvider";

jest.setTimeout(60_000);

type Props = Record<string, unknown>;

let emu: EmulatorHandle;
let provider: string;
/** One provider process: one `pulumi up` of stack A. */
let a: GrpcProvider;

const HOURS_3 = 3 * 3_600_000;
const CREATE = { method: "POST", path: /\/integrations$/ };
const LIST = { method: "GET", path: /\/integrations$/ };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stack(env: Record<string, string> = {}): Promise<GrpcProvider> {
  const p = await GrpcProvider.start({ CYCLE_API_KEY: undefined, CYCLE_HUB_ID: undefined, CYCLE_API_URL: undefined, CYCLE_QUIET: "1", ...env });
  await p.configure({ "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
  return p;
}

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 15, deleteGraceMs: 200 });
  provider = await serializeProvider();
  a = await stack();
});
afterAll(async () => {
  await a.stop();
  await emu.close();
});
beforeEach(() => emu.faults.reset());

async function checked(p: GrpcProvider, news: Props, olds: Props = {}): Promise<Props> {
  const r = await p.check(olds, { ...news, __provider: provider });
  expect(r.failures).toEqual([]);
  return r.inputs;
}

async function failureOf(work: Promise<unknown>): Promise<InitFailure & Error> {
  try {
    await work;
  } catch (err) {
    return err as InitFailure & Error;
  }
  throw new Error("it succeeded");
}

const named = (name: string): Integration[] => emu.integrations(emu.hubs.primary).filter((i) => i.name === name && i.state.current !== "deleted");
const b2 = (name: string, bucket: string) => ({ vendor: "backblaze-b2", name, auth: B2_GOOD, extra: { bucket } });

/** Waits until the hub holds an integration of this name (the create was carried out), then runs `then`. */
async function whenMade(name: string, then: () => void): Promise<void> {
  for (let i = 0; i < 400 && named(name).length === 0; i++) await sleep(5);
  then();
}

/** The next `up` of a resource recorded under a placeholder: check, diff (a replace), create. */
async function nextUp(p: GrpcProvider, failure: InitFailure, news: Props): Promise<{ id: string; properties: Props }> {
  const inputs = await checked(p, news, { ...news, __provider: provider });
  const plan = await p.diff(failure.id, failure.properties, inputs);
  expect(plan.changes).toBe("some");
  expect(plan.replaces).toEqual(["unsettledCreate"]);
  const created = await p.create(inputs);
  // The engine then deletes the replaced placeholder: it touches nothing.
  await p.delete(failure.id, failure.properties);
  return created;
}

describe("repro 1: a lost create answer, then an outage of the listing", () => {
  test("a short outage: the search keeps trying within its bound and finds the integration", async () => {
    const inputs = await checked(a, b2("Outage after a lost answer", "outage-one"));
    emu.faults.loseResponses(1, CREATE);
    emu.faults.latency(300, CREATE);
    const pending = a.create(inputs);
    // The POST is carried out; its answer is lost 300 ms later, and the listing answers 503 for ~6 s.
    await whenMade("Outage after a lost answer", () => emu.faults.serverErrors(6, 503, LIST));
    const created = await pending;
    expect(named("Outage after a lost answer").map((i) => i.id)).toEqual([created.id]);
    expect(
      emu.requestLog.filter((e) => e.method === "POST" && e.path.startsWith("/v1/hubs/current/integrations?") === false && /\/integrations(\?|$)/.test(e.path)),
    ).toHaveLength(1);
  });

  test("an outage longer than the bound: the create fails naming its send time, is recorded, and the next up records it instead of creating a second", async () => {
    const short = await stack({ CYCLE_RECONCILE_TIMEOUT_SECONDS: "2" });
    try {
      const news = b2("Long outage after a lost answer", "outage-two");
      const inputs = await checked(short, news);
      emu.faults.loseResponses(1, CREATE);
      emu.faults.latency(300, CREATE);
      const pending = failureOf(short.create(inputs));
      await whenMade("Long outage after a lost answer", () => emu.faults.serverErrors(50, 503, LIST));
      const failure = await pending;
      expect(failure.id).toMatch(/^unsettled-create-/);
      expect(failure.message).toMatch(/could not be searched for it within 2 s/);
      expect(failure.message).toMatch(/Sent \d{4}-\d\d-\d\dT[\d:.]+Z \(local clock\) to hub/);
      expect(failure.message).toMatch(/the next `pulumi up` searches for it again before creating anything/);
      expect(failure.properties.unsettledCreate).toMatchObject({ answered: false, intent: { name: "Long outage after a lost answer" } });
      // A read (refresh) of the placeholder keeps it, without an API call.
      emu.faults.reset();
      emu.clearLog();
      expect((await short.read(failure.id, failure.properties)).id).toBe(failure.id);
      expect(emu.requestLog).toEqual([]);

      const made = named("Long outage after a lost answer");
      expect(made).toHaveLength(1);
      const settled = await nextUp(short, failure, news);
      expect(settled.id).toBe(made[0].id);
      expect(named("Long outage after a lost answer").map((i) => i.id)).toEqual([made[0].id]);
      // No second POST was sent.
      expect(emu.requestLog.filter((e) => e.method === "POST" && /\/integrations(\?|$)/.test(e.path))).toEqual([]);
    } finally {
      await short.stop();
    }
  });

  test("a destroy of a create that never settled deletes what it made, and nothing else", async () => {
    const short = await stack({ CYCLE_RECONCILE_TIMEOUT_SECONDS: "1" });
    try {
      const twin = emu.outOfBand.create(
        emu.hubs.primary,
        { vendor: "backblaze-b2", name: "Destroyed while unsettled", auth: { key_id: B2_GOOD.keyId, secret: B2_GOOD.secret }, extra: { bucket: "unsettled" } },
        { state: "live" },
      );
      const inputs = await checked(short, b2("Destroyed while unsettled", "unsettled"));
      emu.faults.loseResponses(1, CREATE);
      emu.faults.latency(300, CREATE);
      const pending = failureOf(short.create(inputs));
      for (let i = 0; i < 400 && named("Destroyed while unsettled").length < 2; i++) await sleep(5);
      emu.faults.serverErrors(50, 503, LIST);
      const failure = await pending;
      expect(failure.id).toMatch(/^unsettled-create-/);
      emu.faults.reset();
      await short.delete(failure.id, failure.properties);
      // The hand-made look-alike, there before the POST, is untouched.
      expect(named("Destroyed while unsettled").map((i) => i.id)).toEqual([twin.id]);
      expect(emu.requestLog.filter((e) => e.method !== "GET" && e.path.includes(twin.id))).toEqual([]);
    } finally {
      await short.stop();
    }
  });
});

describe("a create refused twice", () => {
  test("two 503s and nothing in the hub: recorded unsettled, and the next up searches, finds nothing, and creates once", async () => {
    const news = b2("Refused twice", "refused-twice");
    const inputs = await checked(a, news);
    emu.faults.serverErrors(2, 503, CREATE);
    const failure = await failureOf(a.create(inputs));
    expect(failure.id).toMatch(/^unsettled-create-/);
    expect(failure.message).toMatch(/No integration matching this create was found in hub [a-f0-9]{24} yet/);
    expect(named("Refused twice")).toEqual([]);
    const created = await nextUp(a, failure, news);
    expect(named("Refused twice").map((i) => i.id)).toEqual([created.id]);
  });
});

describe("repros 2 and 3: a Date header that is missing, garbage, or hours off", () => {
  for (const [label, set] of [
    ["missing", () => emu.faults.dateHeader("missing")],
    ["garbage", () => emu.faults.dateHeader("garbage")],
    ["3 h ahead", () => emu.faults.dateHeader("server", HOURS_3)],
  ] as const) {
    test(`Date ${label}: a lost create answer is found by what the hub held before the POST, not duplicated`, async () => {
      const name = `Lost answer, Date ${label}`;
      // A hand-made look-alike made just before: never the one this create made.
      const twin = emu.outOfBand.create(
        emu.hubs.primary,
        { vendor: "backblaze-b2", name, auth: { key_id: B2_GOOD.keyId, secret: B2_GOOD.secret }, extra: { bucket: "clock-check" } },
        { state: "live" },
      );
      const fresh = await stack();
      try {
        set();
        const inputs = await checked(fresh, b2(name, "clock-check"));
        emu.faults.loseResponses(1, CREATE);
        const created = await fresh.create(inputs);
        expect(created.id).not.toBe(twin.id);
        expect(
          named(name)
            .map((i) => i.id)
            .sort(),
        ).toEqual([twin.id, created.id].sort());
      } finally {
        await fresh.stop();
      }
    });
  }

  test("Date 3 h behind the API's own timestamps: the clocks disagree, so the create fails naming the candidate and the adoptId to use; adoptId settles it", async () => {
    const name = "Lost answer, Date behind";
    const fresh = await stack();
    try {
      emu.faults.dateHeader("server", -HOURS_3);
      const news = b2(name, "clock-behind");
      const inputs = await checked(fresh, news);
      emu.faults.loseResponses(1, CREATE);
      const failure = await failureOf(fresh.create(inputs));
      const made = named(name);
      expect(made).toHaveLength(1);
      expect(failure.id).toMatch(/^unsettled-create-/);
      expect(failure.message).toMatch(/Date header is at least [\d.]+ h behind the API's own timestamps/);
      expect(failure.message).toContain(`adoptId: "${made[0].id}"`);
      // The next up, clock still lying, does not guess either: nothing new is created.
      const again = await failureOf(nextUp(fresh, failure, news));
      expect(again.message).toContain(made[0].id);
      expect(named(name)).toHaveLength(1);
      // With adoptId, as the message says.
      const adopted = await nextUp(fresh, again, { ...news, adoptId: made[0].id });
      expect(adopted.id).toBe(made[0].id);
      expect(named(name).map((i) => i.id)).toEqual([made[0].id]);
    } finally {
      await fresh.stop();
    }
  });
});

describe("repro 4: a Date header 3 h behind does not make deletes wait for their deadline", () => {
  test("delete follows the job by its own timestamps", async () => {
    const fresh = await stack();
    try {
      const made = await fresh.create(await checked(fresh, { vendor: "aws", name: "Deleted under a lying Date", auth: AWS_GOOD }));
      // A second delete kind sample first, so that delete jobs are predicted from history, as in a destroy of several.
      const other = await fresh.create(await checked(fresh, { vendor: "aws", name: "Deleted under a lying Date too", auth: AWS_GOOD }));
      await fresh.delete(other.id, other.properties);
      emu.faults.dateHeader("server", -HOURS_3);
      const started = Date.now();
      await fresh.delete(made.id, { ...made.properties, deleteTimeoutSeconds: 20 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(named("Deleted under a lying Date")).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });
});

describe("repro 6: two stacks of one program on one hub", () => {
  test("A's create answered by a gateway 502 without being carried out, while B creates the same integration: A does not record B's", async () => {
    const b = await stack();
    try {
      const news = b2("Two writers", "two-writers");
      const aInputs = await checked(a, news);
      const bInputs = await checked(b, news);
      emu.faults.gatewayErrors(1, 3_000, CREATE);
      const aPending = failureOf(a.create(aInputs));
      // A's POST is at the gateway (it answers in 3 s, having forwarded nothing); B creates meanwhile.
      for (let i = 0; i < 400 && !emu.requestLog.some((e) => e.method === "GET" && /\/integrations(\?|$)/.test(e.path)); i++) await sleep(5);
      await sleep(500);
      const bCreated = await b.create(bInputs);
      emu.clearLog();
      const aFailure = await aPending;
      expect(named("Two writers").map((i) => i.id)).toEqual([bCreated.id]);
      expect(aFailure.id).toMatch(/^unsettled-create-/);
      expect(aFailure.message).toMatch(/may be another program's/);
      expect(aFailure.message).toContain(bCreated.id);
      // A's next up does not take it either.
      const again = await failureOf(nextUp(a, aFailure, news));
      expect(again.id).toMatch(/^unsettled-create-/);
      expect(again.message).toMatch(/`pulumi destroy --target` this resource/);
      // A's destroy of the placeholder deletes nothing of B's (the API had answered that A's create failed).
      await a.delete(again.id, again.properties);
      await a.delete(aFailure.id, aFailure.properties);
      expect(named("Two writers").map((i) => i.id)).toEqual([bCreated.id]);
      expect(emu.requestLog.filter((e) => e.method !== "GET" && e.path.includes(bCreated.id))).toEqual([]);
      // With the placeholder gone from A's state, A's up creates its own beside B's.
      const fresh = await stack();
      try {
        const mine = await fresh.create(await checked(fresh, news));
        expect(mine.id).not.toBe(bCreated.id);
        expect(
          named("Two writers")
            .map((i) => i.id)
            .sort(),
        ).toEqual([bCreated.id, mine.id].sort());
      } finally {
        await fresh.stop();
      }
    } finally {
      await b.stop();
    }
  });
});
