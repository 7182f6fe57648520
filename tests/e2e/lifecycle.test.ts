/**
 * End to end under the real Pulumi engine: `up`, `preview`, `refresh`,
 * `destroy` and `stack export` through the CLI (local file backend), on a
 * program that installs the packed package, against the emulator.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_BAD, AWS_GOOD, B2_GOOD, LETS_ENCRYPT_EXTRA, ALL_SECRETS } from "../helpers/fixtures";
import { configure, createProject, declare, E2EProject, exportStack, ok, removeProject, run, emulatorConfig } from "./harness";

jest.setTimeout(240_000);

let emu: EmulatorHandle;
let project: E2EProject;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 300 });
  project = createProject();
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

/** Stack config as a user sets it: the API key as a secret. */
async function connect(stack: string): Promise<void> {
  await configure(project, stack, {
    ...emulatorConfig(emu),
    awsKeyId: { value: AWS_GOOD.keyId, secret: true },
    awsSecret: { value: AWS_GOOD.secret, secret: true },
  });
}

const aws = (name = "aws", over: Record<string, unknown> = {}) => ({
  name,
  args: { vendor: "aws", name: `E2E AWS ${name}`, auth: { keyId: "config:awsKeyId", secret: "config:awsSecret" }, ...over },
});
const b2 = (over: Record<string, unknown> = {}) => ({
  name: "backups",
  // Credentials passed plain on purpose: the provider must make them secret.
  args: { vendor: "backblaze-b2", name: "E2E backups", identifier: "e2e-backups", auth: B2_GOOD, extra: { bucket: "e2e-bucket" }, ...over },
});
const tls = () => ({ name: "tls", args: { vendor: "lets-encrypt", name: "E2E certificates", extra: LETS_ENCRYPT_EXTRA } });

const verifyPosts = () => emu.requestLog.filter((e) => e.method === "POST" && e.path.includes("/tasks"));
const writes = () => emu.requestLog.filter((e) => e.method !== "GET");
const inHub = (stackIds: string[]) => emu.integrations(emu.hubs.primary).filter((i) => stackIds.includes(i.id));

describe("lifecycle", () => {
  const stack = "life";
  let ids: Record<string, string> = {};

  test("1. up creates integrations across vendors, one verify job per verifiable integration", async () => {
    await connect(stack);
    declare(project, stack, [aws(), b2(), tls()]);
    emu.clearLog();
    const r = ok(await run(project, stack, "up"));
    expect(r.changes).toMatchObject({ create: 4 });
    ids = Object.fromEntries(Object.entries(r.outputs!).map(([k, v]) => [k, (v.value as { id: string }).id]));
    expect(Object.keys(ids).sort()).toEqual(["aws", "backups", "tls"]);
    const created = emu.requestLog.filter((e) => e.method === "POST" && /\/integrations$/.test(e.path.split("?")[0]));
    expect(created).toHaveLength(3);
    const verified = verifyPosts().map((e) => e.path.split("/")[5]);
    expect(verified.sort()).toEqual([ids.aws, ids.backups].sort());
    expect(
      inHub(Object.values(ids))
        .map((i) => i.state.current)
        .sort(),
    ).toEqual(["live", "live", "new"]);
    expect((r.outputs!.tls.value as { verified: boolean }).verified).toBe(true);
    // What the CLI printed, provider progress lines included, holds no key or credential.
    expect(r.stdout).toMatch(/cycle: E2E AWS aws: verify/);
    expect(r.stdout).not.toContain(emu.keys.admin);
    for (const s of ALL_SECRETS) expect(r.stdout).not.toContain(s);
  });

  test("2. preview right after, and after a refresh with nothing changed, shows no changes", async () => {
    emu.clearLog();
    const p1 = ok(await run(project, stack, "preview"));
    expect(p1.changes).toEqual({ same: 4 });
    const r = ok(await run(project, stack, "refresh"));
    expect(r.changes).toEqual({ same: 4 });
    const p2 = ok(await run(project, stack, "preview"));
    expect(p2.changes).toEqual({ same: 4 });
    expect(writes()).toEqual([]);
  });

  test("9. preview --diff of an update names the changed properties", async () => {
    declare(project, stack, [aws("aws", { name: "E2E AWS renamed" }), b2(), tls()]);
    const p = ok(await run(project, stack, "preview", { diff: true }));
    expect(p.changes).toMatchObject({ update: 1, same: 3 });
    expect(p.stdout).toMatch(/~\s+name\s*:\s*"E2E AWS aws"\s*=>\s*"E2E AWS renamed"/);
    declare(project, stack, [aws(), b2(), tls()]);
  });

  test("3. out-of-band changes: refresh reports them, up converges, then the plan is empty", async () => {
    emu.outOfBand.rename(ids.aws, "Renamed in the portal");
    emu.outOfBand.setExtra(ids.backups, { bucket: "portal-bucket" });
    emu.outOfBand.delete(ids.tls);
    const r = ok(await run(project, stack, "refresh"));
    expect(r.changes).toMatchObject({ update: 2, delete: 1 });
    // Exactly the drifted properties: a refresh must not add inputs the program never declared.
    expect(r.stdout).toMatch(/Integration aws updated \([\d.]+s\) \[diff: ~name\]/);
    expect(r.stdout).toMatch(/Integration backups updated \([\d.]+s\) \[diff: ~extra\]/);
    const up = ok(await run(project, stack, "up"));
    expect(up.changes).toMatchObject({ update: 2, create: 1 });
    const live = emu.integrations(emu.hubs.primary);
    expect(live.find((i) => i.id === ids.aws)?.name).toBe("E2E AWS aws");
    expect(live.find((i) => i.id === ids.backups)?.extra).toEqual({ bucket: "e2e-bucket" });
    ids.tls = (up.outputs!.tls.value as { id: string }).id;
    expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: 4 });
  });

  test("4. auth change re-verifies in place; rename does not verify; vendor change replaces", async () => {
    declare(project, stack, [aws(), b2({ auth: { ...B2_GOOD, keyId: "0012ab34cd56ef7891" } }), tls()]);
    emu.clearLog();
    const u1 = ok(await run(project, stack, "up"));
    expect(u1.changes).toMatchObject({ update: 1 });
    expect(verifyPosts().map((e) => e.path.split("/")[5])).toEqual([ids.backups]);
    expect(emu.integrations().find((i) => i.id === ids.backups)?.auth?.key_id).toBe("0012ab34cd56ef7891");

    declare(project, stack, [aws("aws", { name: "E2E AWS second name" }), b2({ auth: { ...B2_GOOD, keyId: "0012ab34cd56ef7891" } }), tls()]);
    emu.clearLog();
    const u2 = ok(await run(project, stack, "up"));
    expect(u2.changes).toMatchObject({ update: 1 });
    expect(verifyPosts()).toEqual([]);
    expect(writes().map((e) => e.method)).toEqual(["PATCH"]);

    declare(project, stack, [
      aws("aws", {
        vendor: "aws-s3",
        name: "E2E AWS second name",
        auth: { keyId: "config:awsKeyId", secret: "config:awsSecret", region: "us-east-1" },
        extra: { bucket: "e2e-s3-bucket" },
      }),
      b2({ auth: { ...B2_GOOD, keyId: "0012ab34cd56ef7891" } }),
      tls(),
    ]);
    const u3 = ok(await run(project, stack, "up"));
    expect(u3.changes).toMatchObject({ replace: 1 });
    const newId = (u3.outputs!.aws.value as { id: string }).id;
    expect(newId).not.toBe(ids.aws);
    expect(["deleted", undefined]).toContain(emu.integrations().find((i) => i.id === ids.aws)?.state.current);
    expect(emu.integrations().find((i) => i.id === newId)?.vendor).toBe("aws-s3");
    ids.aws = newId;
  });

  test("8. stack export holds no plaintext API key or credential; __provider neither", async () => {
    const { text, integrations } = exportStack(project, stack);
    expect(text).not.toContain(emu.keys.admin);
    for (const s of [...ALL_SECRETS, "0012ab34cd56ef7891"]) expect(text).not.toContain(s);
    expect(integrations.length).toBe(3);
    for (const r of integrations) {
      const outputs = r.outputs as Record<string, unknown>;
      const inputs = r.inputs as Record<string, unknown>;
      if (outputs.auth !== undefined) expect(JSON.stringify(outputs.auth)).toMatch(/ciphertext/);
      if (inputs.auth !== undefined) expect(JSON.stringify(inputs.auth)).toMatch(/ciphertext/);
      const provider = String(outputs.__provider);
      expect(provider.length).toBeGreaterThan(100);
      expect(provider).not.toContain(emu.keys.admin);
    }
  });

  test("7. destroy leaves no integration; one already deleted outside is no obstacle", async () => {
    emu.outOfBand.purge(ids.tls);
    const d = ok(await run(project, stack, "destroy"));
    expect(d.changes).toMatchObject({ delete: 4 });
    for (const id of Object.values(ids)) {
      expect(["deleted", undefined]).toContain(emu.integrations().find((i) => i.id === id)?.state.current);
    }
  });
});

describe("5. a verification failure on create", () => {
  const stack = "badcreds";

  test("is recorded in state, and the next up with fixed credentials verifies the same integration", async () => {
    await connect(stack);
    await configure(project, stack, { awsKeyId: { value: AWS_BAD.keyId, secret: true } });
    declare(project, stack, [aws("verifyme")]);
    const failed = await run(project, stack, "up");
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/Verification of integration "E2E AWS verifyme" \([a-f0-9]{24}\) failed/);
    expect(failed.error).not.toContain(AWS_BAD.keyId);
    const { integrations } = exportStack(project, stack);
    expect(integrations).toHaveLength(1);
    const id = integrations[0].id as string;
    expect(emu.integrations().filter((i) => i.name === "E2E AWS verifyme")).toHaveLength(1);

    await configure(project, stack, { awsKeyId: { value: AWS_GOOD.keyId, secret: true } });
    const fixed = ok(await run(project, stack, "up"));
    expect(fixed.changes).toMatchObject({ update: 1 });
    expect(fixed.outputs!.verifyme.value as { id: string; verified: boolean }).toMatchObject({ id, verified: true });
    expect(emu.integrations().filter((i) => i.name === "E2E AWS verifyme")).toHaveLength(1);
    ok(await run(project, stack, "destroy"));
  });
});

describe("6. adoption", () => {
  const stack = "adopt";

  test("an integration created outside Pulumi is taken over, not duplicated", async () => {
    const existing = emu.outOfBand.create(emu.hubs.primary, {
      vendor: "aws",
      name: "Made in the portal",
      auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret },
    });
    await connect(stack);
    declare(project, stack, [aws("adopted", { adoptId: existing.id })]);
    const before = emu.integrations().length;
    const up = ok(await run(project, stack, "up"));
    expect((up.outputs!.adopted.value as { id: string }).id).toBe(existing.id);
    expect(emu.integrations().length).toBe(before);
    expect(emu.integrations().find((i) => i.id === existing.id)?.name).toBe("E2E AWS adopted");
    expect(ok(await run(project, stack, "preview")).changes).toEqual({ same: 2 });
    ok(await run(project, stack, "destroy"));
  });
});

describe("10. configuration and input errors", () => {
  test("a missing API key is the clear configuration error", async () => {
    const stack = "nokey";
    await configure(project, stack, { "cycle:apiUrl": { value: emu.url }, "cycle:hubId": { value: emu.hubs.primary } });
    declare(project, stack, [b2()]);
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/No Cycle API key.*cycle:apiKey.*CYCLE_API_KEY/);
  });

  test("a missing hub is the clear configuration error", async () => {
    const stack = "nohub";
    await configure(project, stack, { "cycle:apiUrl": { value: emu.url }, "cycle:apiKey": { value: emu.keys.admin, secret: true } });
    declare(project, stack, [b2()]);
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/No Cycle hub.*cycle:hubId.*CYCLE_HUB_ID/);
  });

  test("bad inputs fail at preview naming the property, before any write", async () => {
    const stack = "badinput";
    await connect(stack);
    declare(project, stack, [b2({ name: "abc", extra: { bucket: "Not A Bucket!" } })]);
    emu.clearLog();
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/property name .* name must be at least 5 characters/);
    expect(r.error).toMatch(/property extra\.bucket .* extra\.bucket does not match the pattern/);
    const up = await run(project, stack, "up");
    expect(up.ok).toBe(false);
    expect(up.error).toMatch(/name must be at least 5 characters/);
    expect(writes()).toEqual([]);
  });
});
