/**
 * The provider session: what a provider remembers between calls lives in
 * one object, so two sessions share nothing and a test starts from a fresh
 * one instead of clearing anything.
 */
import { CycleClient } from "../../provider/api/client";
import { CycleCancelledError } from "../../provider/errors";
import { connect, EngineContext, sleeperOf } from "../../provider/resource/context";
import { ProviderSession } from "../../provider/resource/session";

const settings = { apiKey: "emu_session_test_key_0001", hubId: "651586fca6078e98982dbd90", apiUrl: "http://127.0.0.1:9" };
const ctxOf = (session: ProviderSession): EngineContext => ({ settings, env: {}, session });

test("one client per URL and key within a session; none shared between sessions", () => {
  const a = new ProviderSession();
  const b = new ProviderSession();
  const first = connect(ctxOf(a)).client;
  expect(connect(ctxOf(a)).client).toBe(first);
  expect(connect(ctxOf(a), { apiKey: "emu_session_test_key_0002" }).client).not.toBe(first);
  expect(connect(ctxOf(b)).client).not.toBe(first);
});

test("claims belong to the session that made them", () => {
  const a = new ProviderSession();
  const b = new ProviderSession();
  a.claim("751586fca6078e98982dbd90");
  expect([...a.claimedIds()]).toEqual(["751586fca6078e98982dbd90"]);
  expect([...b.claimedIds()]).toEqual([]);
});

test("work with the same key runs one at a time, in order; other keys and other sessions do not wait", async () => {
  const session = new ProviderSession();
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const first = session.serialized("twin", async () => {
    events.push("first starts");
    await gate;
    events.push("first ends");
    throw new Error("first failed");
  });
  const second = session.serialized("twin", async () => {
    events.push("second starts");
    return 2;
  });
  const other = session.serialized("other", async () => {
    events.push("other runs");
    return 3;
  });
  const elsewhere = new ProviderSession().serialized("twin", async () => {
    events.push("elsewhere runs");
    return 4;
  });
  expect(await other).toBe(3);
  expect(await elsewhere).toBe(4);
  expect(events).not.toContain("second starts");
  release();
  await expect(first).rejects.toThrow("first failed");
  // A failure of the one before does not stop the next.
  expect(await second).toBe(2);
  expect(events.indexOf("second starts")).toBeGreaterThan(events.indexOf("first ends"));
});

test("the catalogue is fetched once per session and hub, and again in a new session", async () => {
  let fetched = 0;
  const client = new CycleClient({ apiKey: settings.apiKey, baseUrl: settings.apiUrl });
  jest.spyOn(client, "getAvailableIntegrations").mockImplementation(async () => {
    fetched++;
    return {};
  });
  const a = new ProviderSession();
  await a.catalogues.get(client, settings.hubId);
  await a.catalogues.get(client, settings.hubId);
  expect(fetched).toBe(1);
  await new ProviderSession().catalogues.get(client, settings.hubId);
  expect(fetched).toBe(2);
});

describe("cancellation", () => {
  test("a cancelled session ends the pause a wait is in, and every later one, with CycleCancelledError; another session waits on", async () => {
    const a = new ProviderSession();
    const b = new ProviderSession();
    const started = Date.now();
    const pending = sleeperOf(ctxOf(a))(60_000);
    const other = sleeperOf(ctxOf(b))(20);
    a.cancel();
    await expect(pending).rejects.toBeInstanceOf(CycleCancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(sleeperOf(ctxOf(a))(1)).rejects.toBeInstanceOf(CycleCancelledError);
    await expect(other).resolves.toBeUndefined();
    expect(b.signal.aborted).toBe(false);
    // Harmless when nothing waits, and again.
    a.cancel();
  });

  test("the test hook's sleep still paces the wait, and is cut short by a cancel", async () => {
    const session = new ProviderSession();
    const asked: number[] = [];
    const never = new Promise<void>(() => undefined);
    const ctx: EngineContext = { ...ctxOf(session), sleep: (ms) => (asked.push(ms), asked.length === 1 ? Promise.resolve() : never) };
    await sleeperOf(ctx)(5);
    const pending = sleeperOf(ctx)(7);
    session.cancel();
    await expect(pending).rejects.toThrow(/cancelled/);
    expect(asked).toEqual([5, 7]);
  });
});
