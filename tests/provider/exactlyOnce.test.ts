/**
 * Exactly-once writes, through the real dynamic-provider server over gRPC
 * (one provider process, as in one `pulumi up`), against the emulator with
 * lost answers, 5xx, odd answers (through a proxy), look-alikes and jobs
 * that outlive their deadline. Each test asserts what the hub holds
 * afterwards: nothing lost, nothing duplicated, nothing not ours touched.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";
import { AWS_GOOD, B2_GOOD, ALL_SECRETS } from "../helpers/fixtures";
import { GrpcProvider, InitFailure } from "../helpers/grpcProvider";
import { startProxy, Proxy } from "../helpers/proxy";
import { serializeProvider } from "../helpers/serializedProvider";

type Props = Record<string, unknown>;

let emu: EmulatorHandle;
let proxy: Proxy;
let server: GrpcProvider;
let provider: string;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 15, deleteGraceMs: 200 });
  proxy = await startProxy(emu.url);
  provider = await serializeProvider();
  server = await GrpcProvider.start({ CYCLE_API_KEY: undefined, CYCLE_HUB_ID: undefined, CYCLE_API_URL: undefined, CYCLE_QUIET: "1" });
  await server.configure({ "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": proxy.url });
});
afterAll(async () => {
  await server.stop();
  await proxy.close();
  await emu.close();
});
beforeEach(() => {
  emu.faults.reset();
  proxy.hooks.rewriteBody = undefined;
  proxy.hooks.rewritePath = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CREATE = { method: "POST", path: /\/integrations$/ };

async function checked(news: Props, olds: Props = {}): Promise<Props> {
  const r = await server.check(olds, { ...news, __provider: provider });
  expect(r.failures).toEqual([]);
  return r.inputs;
}

async function createFailure(inputs: Props): Promise<InitFailure & Error> {
  try {
    await server.create(inputs);
  } catch (err) {
    return err as InitFailure & Error;
  }
  throw new Error("create succeeded");
}

const named = (name: string, hub = emu.hubs.primary): Integration[] => emu.integrations(hub).filter((i) => i.name === name && i.state.current !== "deleted");

describe("create under lost answers", () => {
  test("never binds to a hand-made look-alike that existed before the request", async () => {
    const twin = emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: "Twin of a hand-made one", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
      { state: "live" },
    );
    await sleep(1100); // More than the Date header's one-second resolution.
    const inputs = await checked({ vendor: "aws", name: "Twin of a hand-made one", auth: AWS_GOOD });
    emu.faults.loseResponses(1, CREATE);
    const created = await server.create(inputs);
    expect(created.id).not.toBe(twin.id);
    expect(
      named("Twin of a hand-made one")
        .map((i) => i.id)
        .sort(),
    ).toEqual([twin.id, created.id].sort());
    // The twin was never written to.
    const touched = emu.requestLog.filter((e) => e.method !== "GET" && e.path.includes(twin.id));
    expect(touched).toEqual([]);
  });

  test("a POST that failed with 503 and created nothing is sent once more", async () => {
    const inputs = await checked({ vendor: "aws", name: "Refused by a gateway", auth: AWS_GOOD });
    emu.faults.serverErrors(1, 503, CREATE);
    const created = await server.create(inputs);
    expect(named("Refused by a gateway").map((i) => i.id)).toEqual([created.id]);
  });

  test("two look-alike resources whose answers are both lost get one integration each", async () => {
    const a = await checked({ vendor: "backblaze-b2", name: "Backups twin", auth: B2_GOOD, extra: { bucket: "twin-bucket" } });
    emu.faults.loseResponses(2, CREATE);
    const [x, y] = await Promise.all([server.create(a), server.create(a)]);
    expect(x.id).not.toBe(y.id);
    expect(
      named("Backups twin")
        .map((i) => i.id)
        .sort(),
    ).toEqual([x.id, y.id].sort());
  });

  test("a 201 whose body lacks state and events is read back and recorded, not orphaned", async () => {
    const inputs = await checked({ vendor: "aws", name: "Odd create answer", auth: AWS_GOOD });
    let once = true;
    proxy.hooks.rewriteBody = (req, status, body) => {
      if (!(once && req.method === "POST" && /\/integrations(\?|$)/.test(req.path) && status === 201)) return undefined;
      once = false;
      const doc = JSON.parse(body) as { data: Record<string, unknown> };
      delete doc.data.state;
      delete doc.data.events;
      return JSON.stringify(doc);
    };
    const created = await server.create(inputs);
    expect(created.properties).toMatchObject({ integrationId: created.id, verified: true, state: "live" });
    expect(named("Odd create answer").map((i) => i.id)).toEqual([created.id]);
  });

  test("a 201 whose body names no ID is found in the hub, not created again", async () => {
    const inputs = await checked({ vendor: "aws", name: "Anonymous create answer", auth: AWS_GOOD });
    let once = true;
    proxy.hooks.rewriteBody = (req, status) => {
      if (!(once && req.method === "POST" && /\/integrations(\?|$)/.test(req.path) && status === 201)) return undefined;
      once = false;
      return JSON.stringify({ data: {} });
    };
    const created = await server.create(inputs);
    expect(named("Anonymous create answer").map((i) => i.id)).toEqual([created.id]);
  });

  test("a create is sent with the identifier the platform would derive", async () => {
    const inputs = await checked({ vendor: "aws", name: "Derived On The Wire", auth: AWS_GOOD });
    proxy.requests.length = 0;
    await server.create(inputs);
    const post = proxy.requests.find((r) => r.method === "POST" && /\/integrations(\?|$)/.test(r.path))!;
    expect(JSON.parse(post.body).identifier).toBe("derived-on-the-wire");
  });
});

describe("follow-ups that meet their own first attempt", () => {
  test("a DELETE whose answer was lost is followed to the end", async () => {
    const created = await server.create(await checked({ vendor: "aws", name: "Lost delete answer", auth: AWS_GOOD }));
    emu.faults.loseResponses(1, { method: "DELETE" });
    await server.delete(created.id, created.properties);
    expect(named("Lost delete answer")).toEqual([]);
  });

  test("a DELETE of an integration already gone succeeds without a GET first", async () => {
    const created = await server.create(await checked({ vendor: "aws", name: "Purged before delete", auth: AWS_GOOD }));
    emu.outOfBand.purge(created.id);
    emu.clearLog();
    await server.delete(created.id, created.properties);
    expect(emu.requestLog.map((e) => `${e.method} ${e.status}`)).toEqual(["DELETE 404"]);
  });

  test("a delete job that fails keeps the integration, in the hub and in state", async () => {
    const created = await server.create(await checked({ vendor: "aws", name: "Delete job fails", auth: AWS_GOOD }));
    emu.faults.failNextJobs(1, { method: "DELETE" });
    await expect(server.delete(created.id, created.properties)).rejects.toThrow(/failed, and the hub kept it/);
    expect(named("Delete job fails")[0]?.state.current).toBe("live");
    const read = await server.read(created.id, created.properties);
    expect(read.id).toBe(created.id);
  });

  test("500s on job polls and reads are retried", async () => {
    const inputs = await checked({ vendor: "aws", name: "Flaky job polls", auth: AWS_GOOD });
    emu.faults.serverErrors(2, 500, { method: "GET", path: /^\/v1\/jobs\// });
    const created = await server.create(inputs);
    expect(created.properties).toMatchObject({ verified: true });
  });
});

describe("read back, do not assume", () => {
  test("a refresh during a delete keeps the integration (deleting is not gone)", async () => {
    const created = await server.create(await checked({ vendor: "aws", name: "Refresh while deleting", auth: AWS_GOOD }));
    emu.outOfBand.setState(created.id, "deleting");
    const read = await server.read(created.id, created.properties);
    expect(read.id).toBe(created.id);
    expect(read.properties.state).toBe("deleting");
  });
});

describe("adoption applies once", () => {
  test("a replacement of an adopted resource creates a new integration instead of adopting the old one again", async () => {
    const portal = emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: "Adopted then replaced", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
      { state: "live" },
    );
    const first = await checked({ vendor: "aws", name: "Adopted then replaced", auth: AWS_GOOD, adoptId: portal.id });
    const adopted = await server.create(first);
    expect(adopted.id).toBe(portal.id);
    // The program changes the vendor: the engine checks against the old inputs, then creates the replacement.
    const replacement = await checked(
      { vendor: "backblaze-b2", name: "Adopted then replaced", auth: B2_GOOD, extra: { bucket: "replaced" }, adoptId: portal.id },
      first,
    );
    expect(replacement.adoptionDone).toBe(true);
    const created = await server.create(replacement);
    expect(created.id).not.toBe(portal.id);
    // Same inputs again: nothing to do.
    expect((await server.diff(adopted.id, adopted.properties, { ...first, ...(await checked(first, first)) })).changes).toBe("none");
  });

  test("adoptByIdentifier finds the integration on a later page whatever filter[search] matches", async () => {
    for (let n = 0; n < 12; n++)
      emu.outOfBand.create(emu.hubs.secondary, { vendor: "aws", name: `Filler integration ${n}`, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } });
    const target = emu.outOfBand.create(
      emu.hubs.secondary,
      { vendor: "aws", name: "Unrelated display name", identifier: "paged-target", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
      { state: "live" },
    );
    // The server serves 5 per page whatever is asked.
    proxy.hooks.rewritePath = (method, path) => (method === "GET" ? path.replace(/page%5Bsize%5D=\d+|page\[size\]=\d+/, "page%5Bsize%5D=5") : undefined);
    const otherHub = await GrpcProvider.start({ CYCLE_QUIET: "1" });
    try {
      await otherHub.configure({ "cycle:apiKey": emu.keys.otherHub, "cycle:hubId": emu.hubs.secondary, "cycle:apiUrl": proxy.url });
      const r = await otherHub.check(
        {},
        { vendor: "aws", name: "Found on page three", identifier: "paged-target", adoptByIdentifier: true, auth: AWS_GOOD, __provider: provider },
      );
      expect(r.failures).toEqual([]);
      const adopted = await otherHub.create(r.inputs);
      expect(adopted.id).toBe(target.id);
    } finally {
      await otherHub.stop();
    }
  });
});

describe("secrets", () => {
  test("a job error quoting a credential reaches neither the output nor the error", async () => {
    const inputs = await checked({ vendor: "aws", name: "Vendor quotes the key", auth: { ...AWS_GOOD, keyId: "AKIAINVALIDQUOTED000" } });
    // The emulator's vendor quotes the rejected value in its message (quoteCredentials, on by default).
    const failure = await createFailure(inputs);
    expect(failure.id).toMatch(/^[a-f0-9]{24}$/);
    const shown = JSON.stringify({ message: failure.message, reasons: failure.reasons, stateError: failure.properties.stateError });
    expect(shown).toContain('the vendor rejected the credentials (/auth/key_id: \\"[REDACTED]\\")');
    expect(shown).not.toContain("AKIAINVALIDQUOTED000");
    for (const s of ALL_SECRETS) expect(shown).not.toContain(s);
    expect(server.stderr.join("")).not.toContain("AKIAINVALIDQUOTED000");
  });

  test("auth given as a string is reported without naming a property the engine would print", async () => {
    const r = await server.check({}, { vendor: "aws", name: "String credentials", auth: "AKIAIOSFODNN7EXAMPLE", __provider: provider });
    expect(r.failures).toEqual([{ property: "", reason: expect.stringMatching(/^auth/) }]);
    expect(JSON.stringify(r.failures)).not.toContain("AKIAIOSFODNN7EXAMPLE");
  });

  test("removing auth from the program sends no credentials and no null", async () => {
    const inputs = await checked({ vendor: "aws", name: "Auth removed later", auth: AWS_GOOD });
    const created = await server.create(inputs);
    const without = { ...inputs };
    delete without.auth;
    proxy.requests.length = 0;
    const updated = await server.update(created.id, created.properties, { ...without, name: "Auth removed, renamed" });
    const patch = proxy.requests.find((r) => r.method === "PATCH")!;
    expect(JSON.parse(patch.body)).toEqual({ name: "Auth removed, renamed" });
    expect(updated.properties.auth).toBeUndefined();
    expect(updated.properties.verified).toBe(true);
  });
});

describe("converging after a verify timeout", () => {
  let slow: EmulatorHandle;
  let slowServer: GrpcProvider;
  beforeAll(async () => {
    slow = await startEmulator({ jobStepMs: 700, deleteGraceMs: 200 });
    slowServer = await GrpcProvider.start({ CYCLE_QUIET: "1" });
    await slowServer.configure({ "cycle:apiKey": slow.keys.admin, "cycle:hubId": slow.hubs.primary, "cycle:apiUrl": slow.url });
  });
  afterAll(async () => {
    await slowServer.stop();
    await slow.close();
  });

  test("the next update follows the job still running instead of starting another", async () => {
    const r = await slowServer.check({}, { vendor: "aws", name: "Slow verification", auth: AWS_GOOD, verifyTimeoutSeconds: 1, __provider: provider });
    let failure: InitFailure | undefined;
    try {
      await slowServer.create(r.inputs);
    } catch (err) {
      failure = err as InitFailure;
    }
    expect(failure?.properties).toMatchObject({ state: "verifying", verified: false });
    const jobId = failure!.properties.lastVerifyJobId as string;
    expect(jobId).toMatch(/^[a-f0-9]{24}$/);
    // The next `up`: diff says unverified, update follows the same job.
    const news = { ...r.inputs, verifyTimeoutSeconds: 10 };
    expect((await slowServer.diff(failure!.id, failure!.properties, news)).changes).toBe("some");
    slow.clearLog();
    const updated = await slowServer.update(failure!.id, failure!.properties, news);
    expect(updated.properties).toMatchObject({ verified: true, state: "live", lastVerifyJobId: jobId });
    expect(slow.requestLog.filter((e) => e.path.includes("/tasks"))).toEqual([]);
    expect(slow.jobs().filter((j) => j.hub_id === slow.hubs.primary)).toHaveLength(1);
  });

  test("a verify POST whose answer was lost is followed, not failed, and runs one job", async () => {
    const r = await slowServer.check({}, { vendor: "aws", name: "Lost verify answer", auth: AWS_GOOD, __provider: provider });
    slow.faults.loseResponses(1, { method: "POST", path: /\/tasks$/ });
    const created = await slowServer.create(r.inputs);
    expect(created.properties).toMatchObject({ verified: true, state: "live" });
    const verifyPosts = slow.requestLog.filter((e) => e.method === "POST" && e.path.includes(`${created.id}/tasks`));
    // The repeat met the first one's job (403.invalid-state), which was followed to its end.
    expect(verifyPosts.map((e) => e.status)).toEqual([0, 403]);
  });

  test("an integration deleted while its verify job ran is not recorded as live", async () => {
    const r = await slowServer.check({}, { vendor: "aws", name: "Deleted mid verify", auth: AWS_GOOD, __provider: provider });
    const pending = slowServer.create(r.inputs).then(
      () => undefined,
      (err: Error) => err,
    );
    let id: string | undefined;
    for (let i = 0; i < 50 && !id; i++) {
      await sleep(50);
      id = slow.integrations().find((x) => x.name === "Deleted mid verify")?.id;
    }
    await sleep(300);
    slow.outOfBand.delete(id!);
    const err = await pending;
    expect(err?.message).toMatch(/deleted outside Pulumi while it was being verified/);
    expect((err as unknown as InitFailure).id ?? "").toBe("");
  });
});
