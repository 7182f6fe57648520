/**
 * The Integration provider through the serialization round trip: serialized
 * as `dynamic.Resource` does, loaded back as the dynamic-provider server
 * does, configured with stack config, and driven against the emulator.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_BAD, AWS_GOOD, ALL_SECRETS, B2_GOOD, LETS_ENCRYPT_EXTRA, STRIPE_GOOD } from "../helpers/fixtures";
import { loadProvider, LoadedProvider, serializeProvider } from "../helpers/serializedProvider";

let emu: EmulatorHandle;
let text: string;
let provider: LoadedProvider;
type Props = Record<string, unknown>;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10, deleteGraceMs: 200 });
  text = await serializeProvider();
  provider = await loadProvider(text, { "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.faults.reset();
});

/** check then create, as the engine does, with `__provider` in the props. */
async function createChecked(news: Props): Promise<{ id: string; outs: Props; props: Props }> {
  const checked = await provider.check({}, { ...news, __provider: text });
  expect(checked.failures ?? []).toEqual([]);
  const props = { ...checked.inputs, __provider: text };
  const result = await provider.create(props);
  return { id: result.id, outs: result.outs as Props, props };
}

const writes = () => emu.requestLog.filter((e) => e.method !== "GET");

describe("serialization", () => {
  test("the serialized provider holds no API key, no credential, and is small", async () => {
    expect(text).not.toContain(emu.keys.admin);
    for (const s of ALL_SECRETS) expect(text).not.toContain(s);
    expect(text).not.toMatch(/axios/);
    // Figure for the note: how much each Integration adds to state.
    console.log(`serialized provider: ${text.length} bytes`);
    expect(text.length).toBeLessThan(1_536);
  });

  test("the provider has no state of its own before configure", async () => {
    const { integrationProvider } = await import("../../provider/resource/provider");
    // Nothing but its `configure`, which loads the methods when the provider process starts.
    expect(JSON.stringify(integrationProvider)).toBe("{}");
  });
});

describe("create", () => {
  test("a verifiable vendor: one POST, one verify job, job polls; live and verified", async () => {
    await provider.check({}, { vendor: "aws", name: "Warm the catalogue", __provider: text });
    emu.clearLog();
    const { id, outs } = await createChecked({ vendor: "aws", name: "Production AWS", auth: AWS_GOOD });
    const calls = emu.requestLog.map((e) => `${e.method} ${e.path.split("?")[0]}`);
    const nonCheck = calls.filter((c) => !c.endsWith("/available"));
    expect(nonCheck.filter((c) => c === "POST /v1/hubs/current/integrations")).toHaveLength(1);
    expect(nonCheck.filter((c) => c.endsWith("/tasks"))).toHaveLength(1);
    // After the job, one read of the integration: its state is read back, not assumed from the job.
    expect(nonCheck.filter((c) => c === `GET /v1/hubs/current/integrations/${id}`)).toHaveLength(1);
    expect(
      nonCheck.every(
        (c) =>
          c === "POST /v1/hubs/current/integrations" ||
          c.endsWith("/tasks") ||
          c.startsWith("GET /v1/jobs/") ||
          c === `GET /v1/hubs/current/integrations/${id}` ||
          // Before the POST, the hub's look-alikes are noted (see creation.ts): one page here.
          c === "GET /v1/hubs/current/integrations",
      ),
    ).toBe(true);
    expect(nonCheck.filter((c) => c === "GET /v1/hubs/current/integrations").length).toBeLessThanOrEqual(2);
    expect(nonCheck.indexOf("GET /v1/hubs/current/integrations")).toBeLessThan(nonCheck.indexOf("POST /v1/hubs/current/integrations"));
    expect(outs).toMatchObject({ integrationId: id, state: "live", verified: true, vendor: "aws", identifier: "production-aws", hubId: emu.hubs.primary });
    expect(outs.lastVerifyJobId).toMatch(/^[a-f0-9]{24}$/);
    expect(outs.__provider).toBeUndefined();
    expect(emu.integrations().find((i) => i.id === id)?.state.current).toBe("live");
  });

  test("a vendor without verification runs no job", async () => {
    emu.clearLog();
    const { outs } = await createChecked({ vendor: "lets-encrypt", name: "Certificates", extra: LETS_ENCRYPT_EXTRA });
    expect(emu.requestLog.some((e) => e.path.includes("/tasks"))).toBe(false);
    expect(outs).toMatchObject({ verified: true, supportsVerification: false, supportsMultiple: false });
  });

  test("verify: false skips the job on a verifiable vendor", async () => {
    emu.clearLog();
    const { outs } = await createChecked({
      vendor: "backblaze-b2",
      name: "Backups unverified",
      auth: B2_GOOD,
      extra: { bucket: "my-backups-1" },
      verify: false,
    });
    expect(emu.requestLog.some((e) => e.path.includes("/tasks"))).toBe(false);
    expect(outs).toMatchObject({ verified: false, state: "new" });
    // And no pending verification shows as a change.
    const d = await provider.diff(outs.integrationId as string, outs, {
      vendor: "backblaze-b2",
      name: "Backups unverified",
      auth: B2_GOOD,
      extra: { bucket: "my-backups-1" },
      verify: false,
    });
    expect(d.changes).toBe(false);
  });

  test("a failed verification is recorded as a partial resource, then retried by update", async () => {
    const before = emu.integrations().length;
    let caught: { id?: string; properties?: Props; reasons?: string[]; message: string } | undefined;
    try {
      await createChecked({ vendor: "aws", name: "Bad credentials", auth: AWS_BAD });
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught).toBeDefined();
    expect(caught!.id).toMatch(/^[a-f0-9]{24}$/);
    expect(caught!.properties).toMatchObject({ integrationId: caught!.id, verified: false, __provider: text });
    expect(caught!.reasons?.[0]).toMatch(/failed/);
    for (const s of ALL_SECRETS) expect(caught!.message).not.toContain(s);
    expect(emu.integrations().length).toBe(before + 1);

    // The next `up`: diff sees the fixed credentials, update patches and verifies.
    const olds = caught!.properties as Props;
    const news = { vendor: "aws", name: "Bad credentials", auth: AWS_GOOD, __provider: text };
    const d = await provider.diff(caught!.id!, olds, news);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    emu.clearLog();
    const { outs } = await provider.update(caught!.id!, olds, news);
    expect(outs).toMatchObject({ verified: true, state: "live" });
    expect(writes().map((e) => e.method)).toEqual(["PATCH", "POST"]);
    expect(emu.integrations().length).toBe(before + 1);
  });

  test("an unchanged failed verification is retried without a PATCH", async () => {
    emu.faults.failNextJobs(1);
    let caught: { id: string; properties: Props } | undefined;
    try {
      await createChecked({ vendor: "aws", name: "Flaky verify", auth: AWS_GOOD });
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught?.properties.verified).toBe(false);
    const news = { vendor: "aws", name: "Flaky verify", auth: AWS_GOOD, __provider: text };
    expect((await provider.diff(caught!.id, caught!.properties, news)).changes).toBe(true);
    emu.clearLog();
    const { outs } = await provider.update(caught!.id, caught!.properties, news);
    expect(outs).toMatchObject({ verified: true });
    expect(writes().map((e) => `${e.method} ${e.path.includes("/tasks") ? "tasks" : "integration"}`)).toEqual(["POST tasks"]);
  });

  test("verification that outlasts verifyTimeoutSeconds is recorded, not lost", async () => {
    const slow = await startEmulator({ jobStepMs: 800 });
    try {
      const p = await loadProvider(text, { "cycle:apiKey": slow.keys.admin, "cycle:hubId": slow.hubs.primary, "cycle:apiUrl": slow.url });
      const news = { vendor: "aws", name: "Slow verify", auth: AWS_GOOD, verifyTimeoutSeconds: 1, __provider: text };
      const checked = await p.check({}, news);
      const started = Date.now();
      const err = (await p.create({ ...checked.inputs, __provider: text }).catch((e: unknown) => e)) as { id: string; properties: Props; message: string };
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err.id).toMatch(/^[a-f0-9]{24}$/);
      expect(err.message).toMatch(/still running after 1 s \(verifyTimeoutSeconds\)/);
      expect(err.properties).toMatchObject({ verified: false, state: "verifying" });
      expect(slow.integrations().map((i) => i.id)).toEqual([err.id]);
    } finally {
      await slow.close();
    }
  });
});

describe("check", () => {
  test("bad input fails before any write, naming the property", async () => {
    emu.clearLog();
    const r = await provider.check({}, { vendor: "aws", name: "Production", auth: { keyId: "nope", secret: AWS_GOOD.secret }, __provider: text });
    expect(r.failures).toContainEqual({ property: "auth.keyId", reason: expect.stringMatching(/pattern/) });
    expect(JSON.stringify(r.failures)).not.toContain(AWS_GOOD.secret);
    expect(writes()).toEqual([]);
  });

  test("an unknown vendor lists the ones on offer", async () => {
    const r = await provider.check({}, { vendor: "awz", name: "Production", __provider: text });
    expect(r.failures).toContainEqual({ property: "vendor", reason: expect.stringMatching(/unknown vendor `awz`.*aws/) });
  });

  test("a deprecated vendor cannot be created", async () => {
    const r = await provider.check(
      {},
      { vendor: "equinix-metal", name: "Old metal", auth: { apiKey: "a".repeat(32) }, extra: { project_id: "0".repeat(36) }, __provider: text },
    );
    expect(r.failures).toContainEqual({ property: "vendor", reason: expect.stringMatching(/deprecated/) });
  });

  test("a missing API key is a clear error naming both ways to set it", async () => {
    const saved = process.env.CYCLE_API_KEY;
    delete process.env.CYCLE_API_KEY;
    try {
      const p = await loadProvider(text, { "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
      await expect(p.check({}, { vendor: "aws", name: "Production", auth: AWS_GOOD, __provider: text })).rejects.toThrow(/cycle:apiKey.*CYCLE_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.CYCLE_API_KEY = saved;
    }
  });

  test("a missing hub is a clear error", async () => {
    const saved = process.env.CYCLE_HUB_ID;
    delete process.env.CYCLE_HUB_ID;
    try {
      const p = await loadProvider(text, { "cycle:apiKey": emu.keys.admin, "cycle:apiUrl": emu.url });
      await expect(p.check({}, { vendor: "aws", name: "Production", auth: AWS_GOOD, __provider: text })).rejects.toThrow(/cycle:hubId.*CYCLE_HUB_ID.*hubId/);
    } finally {
      if (saved !== undefined) process.env.CYCLE_HUB_ID = saved;
    }
  });
});

describe("diff, update, read, delete", () => {
  const base = { vendor: "aws", name: "Lifecycle AWS", auth: AWS_GOOD };

  test("a no-change diff makes no API call", async () => {
    const { id, outs } = await createChecked(base);
    emu.clearLog();
    const d = await provider.diff(id, outs, { ...base, __provider: text });
    expect(d).toMatchObject({ changes: false, replaces: [] });
    expect(emu.requestLog).toEqual([]);
  });

  test("a rename updates in place without verification", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Rename me please" });
    const news = { ...base, name: "Renamed integration", __provider: text };
    expect(await provider.diff(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    emu.clearLog();
    const r = await provider.update(id, outs, news);
    expect(r.outs).toMatchObject({ name: "Renamed integration", verified: true, state: "live" });
    expect(writes().map((e) => e.method)).toEqual(["PATCH"]);
  });

  test("new credentials update in place and re-verify", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Rotate my keys" });
    const rotated = { keyId: "AKIAIOSFODNN7EXAMPL2", secret: AWS_GOOD.secret };
    const news = { ...base, name: "Rotate my keys", auth: rotated, __provider: text };
    emu.clearLog();
    const r = await provider.update(id, outs, news);
    expect(r.outs).toMatchObject({ verified: true, state: "live", auth: rotated });
    expect(r.outs?.lastVerifyJobId).not.toBe(outs.lastVerifyJobId);
    expect(writes().map((e) => e.method)).toEqual(["PATCH", "POST"]);
  });

  test("a vendor change replaces; a single-instance vendor deletes first", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Vendor swap" });
    expect(await provider.diff(id, outs, { ...base, name: "Vendor swap", vendor: "aws-s3", __provider: text })).toMatchObject({
      changes: true,
      replaces: ["vendor"],
      deleteBeforeReplace: false,
    });
    const stripe = await createChecked({ vendor: "stripe", name: "Billing account", auth: STRIPE_GOOD });
    expect(await provider.diff(stripe.id, stripe.outs, { vendor: "aws", name: "Billing account", auth: AWS_GOOD, __provider: text })).toMatchObject({
      replaces: ["vendor"],
      deleteBeforeReplace: true,
    });
  });

  test("read surfaces out-of-band changes to name, identifier and extra", async () => {
    const { id, outs } = await createChecked({
      vendor: "backblaze-b2",
      name: "Drifting backups",
      identifier: "drift",
      auth: B2_GOOD,
      extra: { bucket: "drift-bucket" },
    });
    emu.outOfBand.rename(id, "Renamed in the portal");
    emu.outOfBand.setIdentifier(id, "portal-id");
    emu.outOfBand.setExtra(id, { bucket: "other-bucket" });
    const r = await provider.read(id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ name: "Renamed in the portal", identifier: "portal-id", extra: { bucket: "other-bucket" }, auth: B2_GOOD });
    expect(r.inputs).toMatchObject({ name: "Renamed in the portal", identifier: "portal-id", extra: { bucket: "other-bucket" } });
    // The declared program now differs: the next up converges.
    const news = { vendor: "backblaze-b2", name: "Drifting backups", identifier: "drift", auth: B2_GOOD, extra: { bucket: "drift-bucket" }, __provider: text };
    const d = await provider.diff(id, r.props as Props, news);
    expect(d.changes).toBe(true);
    const u = await provider.update(id, r.props as Props, news);
    expect(u.outs).toMatchObject({ name: "Drifting backups", identifier: "drift", extra: { bucket: "drift-bucket" } });
    expect((await provider.diff(id, u.outs as Props, news)).changes).toBe(false);
  });

  test("read leaves an undeclared identifier out of the inputs", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Derived identifier" });
    const r = await provider.read(id, outs);
    expect(r.props).toMatchObject({ identifier: "derived-identifier" });
    expect(r.inputs?.identifier).toBeUndefined();
    expect(r.inputs?.hubId).toBeUndefined();
    // And still after a second refresh: what was declared is remembered, not recomputed.
    const again = await provider.read(id, r.props as Props);
    expect(again.inputs?.identifier).toBeUndefined();
    expect(again.inputs?.hubId).toBeUndefined();
    expect(again.props?.declared).toEqual([]);
  });

  test("read after an out-of-band delete reports the resource gone", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Deleted elsewhere" });
    emu.outOfBand.delete(id);
    expect((await provider.read(id, outs)).id).toBe("");
    emu.outOfBand.purge(id);
    expect((await provider.read(id, outs)).id).toBe("");
  });

  test("delete waits for the job and leaves nothing behind", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Delete me now" });
    await provider.delete(id, outs);
    expect(["deleted", undefined]).toContain(emu.integrations().find((i) => i.id === id)?.state.current);
  });

  test("delete of an integration already gone succeeds", async () => {
    const { id, outs } = await createChecked({ ...base, name: "Gone before delete" });
    emu.outOfBand.purge(id);
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    const second = await createChecked({ ...base, name: "Deleting elsewhere" });
    emu.outOfBand.delete(second.id);
    await expect(provider.delete(second.id, second.outs)).resolves.toBeUndefined();
  });
});

describe("adoption", () => {
  test("adoptId takes over an existing integration and brings it to the declared state", async () => {
    const existing = emu.outOfBand.create(emu.hubs.primary, {
      vendor: "aws",
      name: "Made in the portal",
      auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret },
    });
    // Not deleted ones: those of earlier tests are purged when their grace ends, maybe during this test.
    const notDeleted = () => emu.integrations().filter((i) => !["deleting", "deleted"].includes(i.state.current)).length;
    const before = notDeleted();
    const { id, outs } = await createChecked({ vendor: "aws", name: "Adopted by Pulumi", auth: AWS_GOOD, adoptId: existing.id });
    expect(id).toBe(existing.id);
    expect(outs).toMatchObject({ name: "Adopted by Pulumi", verified: true });
    expect(notDeleted()).toBe(before);
  });

  test("adoptId of a different vendor is refused", async () => {
    const existing = emu.outOfBand.create(emu.hubs.primary, {
      vendor: "backblaze-b2",
      name: "Portal backups",
      auth: { key_id: B2_GOOD.keyId, secret: B2_GOOD.secret },
      extra: { bucket: "portal-bucket" },
    });
    await expect(createChecked({ vendor: "aws", name: "Wrong vendor", auth: AWS_GOOD, adoptId: existing.id })).rejects.toThrow(/vendor `backblaze-b2`/);
  });

  test("adoptByIdentifier adopts the one match, and creates when there is none", async () => {
    const existing = emu.outOfBand.create(emu.hubs.primary, {
      vendor: "aws",
      name: "Identified portal",
      identifier: "adopt-me",
      auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret },
    });
    const adopted = await createChecked({ vendor: "aws", name: "Identified portal", identifier: "adopt-me", auth: AWS_GOOD, adoptByIdentifier: true });
    expect(adopted.id).toBe(existing.id);
    const fresh = await createChecked({ vendor: "aws", name: "Nothing to adopt", identifier: "no-such-one", auth: AWS_GOOD, adoptByIdentifier: true });
    expect(fresh.id).not.toBe(existing.id);
  });
});

describe("resilience", () => {
  // Deleted integrations of earlier tests are purged as time passes: count the living.
  const living = () => emu.integrations().filter((i) => i.state.current !== "deleted").length;

  test("a create carried out but whose answer was lost is recorded once, not duplicated", async () => {
    emu.faults.loseResponses(1, { method: "POST", path: /\/integrations$/ });
    const before = living();
    const { id, outs } = await createChecked({ vendor: "aws", name: "Answer lost after create", auth: AWS_GOOD });
    expect(outs).toMatchObject({ integrationId: id, verified: true });
    expect(
      emu
        .integrations()
        .filter((i) => i.name === "Answer lost after create")
        .map((i) => i.id),
    ).toEqual([id]);
    expect(living()).toBe(before + 1);
  });

  test("a create whose connection dropped before it arrived is sent again, once", async () => {
    emu.faults.dropConnections(1, { method: "POST", path: /\/integrations$/ });
    const before = living();
    const { outs } = await createChecked({ vendor: "aws", name: "Lost answer", auth: AWS_GOOD });
    expect(outs.verified).toBe(true);
    expect(emu.integrations().filter((i) => i.name === "Lost answer")).toHaveLength(1);
    expect(living()).toBe(before + 1);
  });
});
