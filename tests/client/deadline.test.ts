/**
 * The per-request deadline covers the whole answer, head and body, over real
 * HTTP: an answer whose body trickles in is a timeout, retried like one, not
 * a request that hangs while each byte resets the socket's idle timer.
 */
import { CycleClient } from "../../provider/api/client";
import { CycleApiError } from "../../provider/api/errors";
import { startEmulator, EmulatorHandle } from "../../emulator";

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10 });
});
afterAll(() => emu.close());
afterEach(() => emu.faults.reset());

const client = (timeoutMs: number, retries: string[] = []) =>
  new CycleClient({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, baseUrl: emu.url, timeoutMs, onRetry: (r) => retries.push(r.reason) });

test("a catalogue trickling in at 1 byte a second times out, is tried once more, and fails naming the deadline", async () => {
  emu.faults.trickle(1, { path: /\/available$/ });
  const retries: string[] = [];
  const started = Date.now();
  const err = await client(800, retries)
    .getAvailableIntegrations()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  const took = Date.now() - started;
  expect(err).toBeInstanceOf(CycleApiError);
  expect((err as CycleApiError).kind).toBe("timeout");
  expect((err as CycleApiError).message).toMatch(/no complete answer within 800 ms/);
  expect(retries).toEqual(["ETIMEDOUT"]);
  // Two attempts of 0.8 s and one backoff, not the ~35 minutes the body would take.
  expect(took).toBeLessThan(4_000);
  expect(emu.requestLog.filter((e) => e.path.includes("/available"))).toHaveLength(2);
});

test("a trickle that ends within the deadline is an answer", async () => {
  const made = emu.outOfBand.create(emu.hubs.primary, {
    vendor: "aws",
    name: "Trickled but in time",
    auth: { key_id: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
  emu.faults.trickle(4096, { path: /\/integrations\/[a-f0-9]{24}$/ });
  const read = await client(3_000).getIntegration(made.id);
  expect(read.id).toBe(made.id);
});

test("once the trickle stops, the retry succeeds", async () => {
  emu.faults.trickle(1, { path: /\/available$/ });
  const retries: string[] = [];
  const c = client(600, retries);
  // The first attempt trickles; the fault is cleared before the retry.
  const pending = c.getAvailableIntegrations();
  await new Promise((r) => setTimeout(r, 300));
  emu.faults.reset();
  const catalogue = await pending;
  expect(Object.keys(catalogue).length).toBeGreaterThan(0);
  expect(retries).toEqual(["ETIMEDOUT"]);
});
