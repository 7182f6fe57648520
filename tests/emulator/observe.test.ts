/** Request log, out-of-band changes, the control plane, options and seeds. */
import { Integration, Job } from "../../provider/api/contract";
import { EmulatorHandle, RequestLogEntry, startEmulator, VENDORS } from "../../emulator";
import { AWS_SECRET, call, create, dataOf, expectError, paths, SAMPLE_BODIES, verify, waitForJob } from "./helpers";

let h: EmulatorHandle;

beforeAll(async () => {
  // Out-of-band tests read back stored credentials: the lenient echo, explicitly.
  h = await startEmulator({ jobStepMs: 5, deleteGraceMs: 200, echoAuth: true });
});
afterAll(() => h.close());

describe("request log", () => {
  it("records method, path with query, status, duration and hub, and nothing secret", async () => {
    h.clearLog();
    const secretBody = { ...SAMPLE_BODIES.aws, name: "Logged integration" };
    const i = await create(h, secretBody);
    await call(h, "GET", `${paths.integrations}?page[size]=5&sort=-name`);
    await call(h, "GET", paths.integration(i.id), { key: "emu_wrong" });
    await call(h, "GET", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa"), { hub: null });

    const log: RequestLogEntry[] = h.requestLog;
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([
      ["POST", paths.integrations, 201],
      ["GET", `${paths.integrations}?page[size]=5&sort=-name`, 200],
      ["GET", paths.integration(i.id), 401],
      ["GET", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa"), 403],
    ]);
    expect(log[0].hubId).toBe(h.hubs.primary);
    expect(log[3]).not.toHaveProperty("hubId");
    for (const e of log) {
      expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(["at", "durationMs", "method", "path", "status"]));
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(e.at)).not.toBeNaN();
    }
    const text = JSON.stringify(log);
    for (const k of Object.values(h.keys)) expect(text).not.toContain(k);
    expect(text).not.toContain("emu_wrong");
    expect(text).not.toContain(AWS_SECRET);
    expect(text).not.toContain("Logged integration");
  });

  it("clearLog empties the same array in place", async () => {
    const ref = h.requestLog;
    await call(h, "GET", paths.integrations);
    h.clearLog();
    expect(ref).toHaveLength(0);
    expect(h.requestLog).toBe(ref);
  });
});

describe("out-of-band", () => {
  it("rename, setIdentifier, setExtra: seen by the API, not logged", async () => {
    const i = await create(h, SAMPLE_BODIES[VENDORS.backblazeB2]);
    h.clearLog();
    h.outOfBand.rename(i.id, "Renamed in portal");
    h.outOfBand.setIdentifier(i.id, "portal-ident");
    h.outOfBand.setExtra(i.id, { bucket: "portal-bucket" });
    expect(h.requestLog).toHaveLength(0);
    const got = dataOf<Integration>(await call(h, "GET", paths.integration(i.id)));
    expect(got).toMatchObject({ name: "Renamed in portal", identifier: "portal-ident", extra: { bucket: "portal-bucket" } });
    expect(Date.parse(got.events.updated)).toBeGreaterThanOrEqual(Date.parse(i.events.updated));
  });

  it("validates values like the API", () => {
    const i = h.outOfBand.create(h.hubs.primary, SAMPLE_BODIES[VENDORS.backblazeB2]);
    expect(() => h.outOfBand.rename(i.id, "abc")).toThrow(/at least 5/);
    expect(() => h.outOfBand.setExtra(i.id, { bucket: "BAD" })).toThrow();
    expect(() => h.outOfBand.setExtra(i.id, null)).toThrow(/bucket/);
    expect(() => h.outOfBand.rename("aaaaaaaaaaaaaaaaaaaaaaaa", "Nobody here")).toThrow();
  });

  it("setAuth sends a live integration of a verifying vendor back to new", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Portal auth change" });
    await waitForJob(h, (await verify(h, i.id)).job!.id);
    h.outOfBand.setAuth(i.id, { key_id: "AKIAZZZZZZZZZZZZZZZZ", secret: AWS_SECRET });
    const got = dataOf<Integration>(await call(h, "GET", paths.integration(i.id)));
    expect(got.state.current).toBe("new");
    expect(got.auth?.key_id).toBe("AKIAZZZZZZZZZZZZZZZZ");
  });

  it("create makes an integration to adopt, by an account, optionally live", async () => {
    const i = h.outOfBand.create(h.hubs.primary, { ...SAMPLE_BODIES.aws, name: "Made in portal" }, { state: "live" });
    expect(i.creator.type).toBe("account");
    const got = dataOf<Integration>(await call(h, "GET", paths.integration(i.id)));
    expect(got).toEqual(i);
    expect(got.state.current).toBe("live");
    // Contract rules still hold, e.g. supports_multiple.
    h.outOfBand.create(h.hubs.secondary, SAMPLE_BODIES.stripe);
    expect(() => h.outOfBand.create(h.hubs.secondary, SAMPLE_BODIES.stripe)).toThrow(/allows only one/);
    expect(() => h.outOfBand.create("aaaaaaaaaaaaaaaaaaaaaaaa", SAMPLE_BODIES.aws)).toThrow();
  });

  it("delete marks it deleted at once, gone after the grace period; purge removes at once", async () => {
    const a = await create(h, { ...SAMPLE_BODIES.aws, name: "Deleted in portal" });
    const b = await create(h, { ...SAMPLE_BODIES.aws, name: "Purged in portal" });
    h.outOfBand.delete(a.id);
    h.outOfBand.purge(b.id);
    const got = dataOf<Integration>(await call(h, "GET", paths.integration(a.id)));
    expect(got.state.current).toBe("deleted");
    expect(got.events.deleted).not.toBe("0001-01-01T00:00:00Z");
    expectError(await call(h, "GET", paths.integration(b.id)), "404.hub.integration");
    await new Promise((r) => setTimeout(r, 250));
    expectError(await call(h, "GET", paths.integration(a.id)), "404.hub.integration");
  });

  it("setState forces a state, with an optional error", async () => {
    const i = await create(h, { ...SAMPLE_BODIES.aws, name: "Forced state" });
    const got = h.outOfBand.setState(i.id, "new", "credentials revoked at the vendor");
    expect(got.state).toMatchObject({ current: "new", error: { message: "credentials revoked at the vendor" } });
  });
});

describe("handle reads", () => {
  it("integrations(hub) and jobs() read the store directly", async () => {
    const other = await create(h, SAMPLE_BODIES.aws, { key: h.keys.otherHub, hub: h.hubs.secondary });
    expect(h.integrations(h.hubs.secondary).map((i) => i.id)).toContain(other.id);
    expect(h.integrations(h.hubs.primary).map((i) => i.id)).not.toContain(other.id);
    const job = await verify(h, other.id, { key: h.keys.otherHub, hub: h.hubs.secondary });
    const found = h.jobs().find((j) => j.id === job.job!.id);
    expect(found?.hub_id).toBe(h.hubs.secondary);
  });
});

describe("control plane (/_emulator/)", () => {
  const ctl = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(h.url + path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, doc: (await r.json()) as { data: unknown; error?: { code: string } } };
  };

  it("serves the log, faults, out-of-band changes and store reads without a key, unlogged", async () => {
    h.clearLog();
    await call(h, "GET", paths.integrations);
    const log = await ctl("GET", "/_emulator/log");
    expect((log.doc.data as RequestLogEntry[]).map((e) => e.path)).toEqual([paths.integrations]);

    expect(
      (await ctl("POST", "/_emulator/faults", { kind: "rateLimit", count: 1, retryAfterSeconds: 7, match: { method: "GET", path: "^/v1/hubs" } })).status,
    ).toBe(200);
    const limited = await call(h, "GET", paths.integrations);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    await ctl("POST", "/_emulator/faults", { kind: "serverErrors", count: 3, status: 504 });
    await ctl("POST", "/_emulator/faults", { kind: "reset" });
    expect((await call(h, "GET", paths.integrations)).status).toBe(200);

    const made = await ctl("POST", "/_emulator/out-of-band/create", {
      hubId: h.hubs.primary,
      body: { ...SAMPLE_BODIES.vultr, name: "Control plane made" },
      state: "live",
    });
    const i = made.doc.data as Integration;
    expect(i.state.current).toBe("live");
    await ctl("POST", "/_emulator/out-of-band/rename", { id: i.id, name: "Control plane renamed" });
    expect(dataOf<Integration>(await call(h, "GET", paths.integration(i.id))).name).toBe("Control plane renamed");

    const all = await ctl("GET", `/_emulator/integrations?hub=${h.hubs.primary}`);
    expect((all.doc.data as Integration[]).map((x) => x.id)).toContain(i.id);
    expect(Array.isArray((await ctl("GET", "/_emulator/jobs")).doc.data as Job[])).toBe(true);

    expect((await ctl("GET", "/_emulator/log")).doc.data as RequestLogEntry[]).toHaveLength(4);
    expect((await ctl("DELETE", "/_emulator/log")).status).toBe(200);
    expect(h.requestLog).toHaveLength(0);
  });

  it("answers errors as root documents", async () => {
    expect((await ctl("POST", "/_emulator/faults", { kind: "meteor" })).doc.error?.code).toBe("422.invalid-argument");
    expect((await ctl("POST", "/_emulator/out-of-band/rename", { id: "aaaaaaaaaaaaaaaaaaaaaaaa", name: "Nobody home" })).status).toBe(404);
    expect((await ctl("GET", "/_emulator/nothing")).doc.error?.code).toBe("404.uri");
  });

  it("can be turned off, leaving /_emulator/ an ordinary unknown path", async () => {
    const off = await startEmulator({ controlPlane: false });
    try {
      expect((await fetch(`${off.url}/_emulator/log`)).status).toBe(401);
      const r = await call(off, "GET", "/_emulator/log");
      expectError(r, "404.uri");
    } finally {
      await off.close();
    }
  });
});

describe("options", () => {
  it("seed fixes hub IDs and key secrets", async () => {
    const s = await startEmulator({
      seed: { hubs: { primary: "0123456789abcdef01234567", secondary: "76543210fedcba9876543210" }, keys: { admin: "emu_fixed_admin_key" } },
    });
    try {
      expect(s.hubs).toEqual({ primary: "0123456789abcdef01234567", secondary: "76543210fedcba9876543210" });
      expect(s.keys.admin).toBe("emu_fixed_admin_key");
      expect((await call(s, "GET", paths.integrations)).status).toBe(200);
    } finally {
      await s.close();
    }
    await expect(startEmulator({ seed: { hubs: { primary: "nope" } } })).rejects.toThrow(/24 lowercase hex/);
  });

  it("close() ends open keep-alive connections and is idempotent", async () => {
    const c = await startEmulator();
    await call(c, "GET", paths.integrations);
    await c.close();
    await c.close();
    await expect(fetch(c.url + paths.integrations)).rejects.toThrow();
  });
});
