/** PATCH /v1/hubs/current/integrations/{id}. */
import { Integration } from "../../provider/api/contract";
import { definitionOf, EmulatorHandle, startEmulator, VENDORS } from "../../emulator";
import { AWS_KEY_ID, AWS_SECRET, call, create, dataOf, expectError, paths, SAMPLE_BODIES, sleep, verify, waitFor, waitForJob } from "./helpers";

let h: EmulatorHandle;

beforeAll(async () => {
  // These tests read back stored credentials, so they ask for the lenient echo explicitly.
  h = await startEmulator({ jobStepMs: 10, deleteGraceMs: 2000, echoAuth: true });
});
afterAll(() => h.close());

const patch = (id: string, body: unknown, query = "") => call(h, "PATCH", paths.integration(id) + query, { body });

async function liveAws(name = "Live AWS account"): Promise<Integration> {
  const i = await create(h, { ...SAMPLE_BODIES.aws, name });
  await waitForJob(h, (await verify(h, i.id)).job!.id);
  const live = dataOf<Integration>(await call(h, "GET", paths.integration(i.id)));
  expect(live.state.current).toBe("live");
  return live;
}

describe("changes", () => {
  it("renames, keeps what is not given, and bumps events.updated", async () => {
    const i = await create(h, SAMPLE_BODIES[VENDORS.backblazeB2]);
    await sleep(5);
    const r = await patch(i.id, { name: "Renamed backups" });
    expect(r.status).toBe(200);
    const u = dataOf<Integration>(r);
    expect(u).toMatchObject({ name: "Renamed backups", identifier: i.identifier, auth: i.auth, extra: i.extra, vendor: i.vendor });
    expect(Date.parse(u.events.updated)).toBeGreaterThan(Date.parse(i.events.updated));
    expect(u.events.created).toBe(i.events.created);
    // The identifier is not re-derived from a new name.
    expect(u.identifier).toBe("backups-b2");
  });

  it("treats null name, auth and extra as unchanged", async () => {
    const i = await create(h, SAMPLE_BODIES[VENDORS.backblazeB2]);
    const u = dataOf<Integration>(await patch(i.id, { name: null, auth: null, extra: null }));
    expect(u).toEqual(i);
  });

  it("an empty body changes nothing, not even events.updated", async () => {
    const i = await create(h, SAMPLE_BODIES.vultr);
    await sleep(5);
    expect(dataOf<Integration>(await patch(i.id, {}))).toEqual(i);
  });

  it("replaces extra as a whole", async () => {
    const i = await create(h, SAMPLE_BODIES[VENDORS.backblazeB2]);
    const u = dataOf<Integration>(await patch(i.id, { extra: { bucket: "other-bucket" } }));
    expect(u.extra).toEqual({ bucket: "other-bucket" });
  });

  it("sets the identifier", async () => {
    const i = await create(h, SAMPLE_BODIES.vultr);
    expect(dataOf<Integration>(await patch(i.id, { identifier: "edge-1" })).identifier).toBe("edge-1");
  });

  it("embeds the definition with meta=definition", async () => {
    const i = await create(h, SAMPLE_BODIES.vultr);
    const u = dataOf<Integration>(await patch(i.id, { name: "Vultr renamed" }, "?meta=definition"));
    expect(u.meta?.definition).toEqual(definitionOf(VENDORS.vultr));
  });
});

describe("credentials", () => {
  it("a change of auth on a verifying vendor sends a live integration back to new", async () => {
    const live = await liveAws();
    const u = dataOf<Integration>(await patch(live.id, { auth: { key_id: "AKIAABCDEFGHIJKLMNOP", secret: AWS_SECRET } }));
    expect(u.state.current).toBe("new");
    expect(u.auth?.key_id).toBe("AKIAABCDEFGHIJKLMNOP");
  });

  it("the same auth again does not", async () => {
    const live = await liveAws("Live AWS same auth");
    const u = dataOf<Integration>(await patch(live.id, { auth: { key_id: AWS_KEY_ID, secret: AWS_SECRET } }));
    expect(u.state.current).toBe("live");
  });

  it("a name change keeps it live", async () => {
    const live = await liveAws("Live AWS renamed");
    expect(dataOf<Integration>(await patch(live.id, { name: "Still live here" })).state.current).toBe("live");
  });

  it("a change on a vendor without verification keeps the state", async () => {
    const le = await create(h, SAMPLE_BODIES[VENDORS.letsEncrypt]);
    h.outOfBand.setState(le.id, "live");
    const u = dataOf<Integration>(await patch(le.id, { extra: { email: "other@example.com" } }));
    expect(u.state.current).toBe("live");
  });
});

describe("refusals", () => {
  let i: Integration;
  beforeAll(async () => {
    i = await create(h, { ...SAMPLE_BODIES[VENDORS.backblazeB2], name: "Refusals target" });
  });

  it.each<[string, unknown, string, string | undefined]>([
    ["a vendor change", { vendor: "aws-s3" }, "422.invalid-argument", "/vendor"],
    ["the same vendor", { vendor: "backblaze-b2" }, "422.invalid-argument", "/vendor"],
    ["an unknown property", { region: "x" }, "422.invalid-input", "/region"],
    ["a short name", { name: "abc" }, "422.invalid-argument", "/name"],
    ["a name of the wrong type", { name: 5 }, "422.invalid-input", "/name"],
    ["a short identifier", { identifier: "ab" }, "422.invalid-argument", "/identifier"],
    ["a null identifier", { identifier: null }, "422.invalid-input", "/identifier"],
    ["auth missing a required field", { auth: { key_id: "005a1b2c3d4e5f60000000001" } }, "422.missing-argument", "/auth/secret"],
    ["auth failing a regex", { auth: { key_id: "XYZ", secret: "K005abcdefghijklmnopqrstuvwxyz1" } }, "422.invalid-argument", "/auth/key_id"],
    ["auth the vendor does not define", { auth: { api_key: "abc" } }, "422.invalid-argument", "/auth/api_key"],
    ["extra missing a required field", { extra: { region: "us-west-004" } }, "422.missing-argument", "/extra/bucket"],
    ["extra failing a regex", { extra: { bucket: "UPPER" } }, "422.invalid-argument", "/extra/bucket"],
    ["extra not a map of strings", { extra: { bucket: true } }, "422.invalid-input", "/extra/bucket"],
    ["a body that is not an object", ["name"], "422.invalid-input", undefined],
  ])("refuses %s", async (_what, body, code, source) => {
    expectError(await patch(i.id, body), code, source);
    expect(dataOf<Integration>(await call(h, "GET", paths.integration(i.id)))).toEqual(i);
  });

  it("refuses any change to a non-editable vendor with 403.not-allowed", async () => {
    const az = await create(h, SAMPLE_BODIES.azure);
    expectError(await patch(az.id, { name: "Azure renamed" }), "403.not-allowed");
    expectError(await patch(az.id, {}), "403.not-allowed");
    expect(h.integrations().find((x) => x.id === az.id)?.name).toBe("Azure West");
    // Deleting and re-creating is the way to change it.
    expect((await call(h, "DELETE", paths.integration(az.id))).status).toBe(202);
  });

  it("refuses changes while verifying, deleting or deleted with 403.invalid-state", async () => {
    const slow = await startEmulator({ jobStepMs: 200, deleteGraceMs: 2000 });
    try {
      const c = (m: string, p: string, body?: unknown) => call(slow, m, p, { key: slow.keys.admin, hub: slow.hubs.primary, body });
      const x = dataOf<Integration>(await c("POST", paths.integrations, SAMPLE_BODIES.aws));
      await c("POST", paths.tasks(x.id), { action: "verify" });
      expectError(await c("PATCH", paths.integration(x.id), { name: "While verifying" }), "403.invalid-state");
      await c("DELETE", paths.integration(x.id));
      expectError(await c("PATCH", paths.integration(x.id), { name: "While deleting" }), "403.invalid-state");
      slow.outOfBand.delete(x.id);
      expectError(await c("PATCH", paths.integration(x.id), { name: "While deleted" }), "403.invalid-state");
    } finally {
      await slow.close();
    }
  });

  it("answers 404.hub.integration once the integration is gone", async () => {
    const x = await create(h, SAMPLE_BODIES.vultr);
    h.outOfBand.purge(x.id);
    expectError(await patch(x.id, { name: "Too late now" }), "404.hub.integration");
  });

  it("does not re-derive state from a late job after an auth change during a verify", async () => {
    // A verify job started before new credentials must not make them live.
    const x = await create(h, { ...SAMPLE_BODIES.aws, name: "Superseded verify" });
    const job = (await verify(h, x.id)).job!.id;
    h.outOfBand.setAuth(x.id, { key_id: "AKIAQQQQQQQQQQQQQQQQ", secret: AWS_SECRET });
    await waitForJob(h, job);
    await waitFor(() => (h.jobs().find((j) => j.id === job)?.state.current === "completed" ? true : undefined));
    expect(h.integrations().find((y) => y.id === x.id)?.state.current).toBe("new");
  });
});
