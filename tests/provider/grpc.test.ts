/**
 * The provider under the real dynamic-provider server from @pulumi/pulumi,
 * called over gRPC the way the engine calls it: configure with the stack
 * config, then check, diff, create, read, update, delete, and the
 * partial-failure path decoded from the error details.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_BAD, AWS_GOOD, ALL_SECRETS } from "../helpers/fixtures";
import { GrpcProvider, InitFailure } from "../helpers/grpcProvider";
import { serializeProvider } from "../helpers/serializedProvider";

let emu: EmulatorHandle;
let server: GrpcProvider;
let provider: string;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10, deleteGraceMs: 100 });
  provider = await serializeProvider();
  // No credentials in the environment: they must come through configure.
  // CYCLE_DEBUG on, so the stderr check below also covers the request log lines.
  server = await GrpcProvider.start({ CYCLE_API_KEY: undefined, CYCLE_HUB_ID: undefined, CYCLE_API_URL: undefined, CYCLE_DEBUG: "1", CYCLE_QUIET: undefined });
  await server.configure({
    "cycle:apiKey": emu.keys.admin,
    "cycle:hubId": emu.hubs.primary,
    "cycle:apiUrl": emu.url,
    "other-project:setting": "ignored",
  });
});
afterAll(async () => {
  await server.stop();
  await emu.close();
});

test("full lifecycle over gRPC", async () => {
  const news = { vendor: "aws", name: "gRPC integration", auth: AWS_GOOD, __provider: provider };
  const checked = await server.check({}, news);
  expect(checked.failures).toEqual([]);
  expect(checked.inputs.__provider).toBe(provider);

  const created = await server.create(checked.inputs);
  expect(created.id).toMatch(/^[a-f0-9]{24}$/);
  expect(created.properties).toMatchObject({ state: "live", verified: true, __provider: provider });

  const same = await server.diff(created.id, created.properties, checked.inputs);
  expect(same).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

  const renamed = { ...checked.inputs, name: "gRPC integration renamed" };
  expect((await server.diff(created.id, created.properties, renamed)).changes).toBe("some");
  const updated = await server.update(created.id, created.properties, renamed);
  expect(updated.properties).toMatchObject({ name: "gRPC integration renamed", __provider: provider });

  const vendorSwap = await server.diff(created.id, updated.properties, { ...renamed, vendor: "aws-s3" });
  expect(vendorSwap.replaces).toEqual(["vendor"]);

  emu.outOfBand.rename(created.id, "Renamed outside Pulumi");
  const read = await server.read(created.id, updated.properties);
  expect(read.id).toBe(created.id);
  expect(read.properties.name).toBe("Renamed outside Pulumi");
  expect(read.inputs?.name).toBe("Renamed outside Pulumi");
  expect(read.inputs?.__provider).toBe(provider);

  await server.delete(created.id, read.properties);
  const gone = await server.read(created.id, read.properties);
  expect(gone.id).toBe("");
});

test("check failures come back as the engine's CheckFailure list", async () => {
  const r = await server.check({}, { vendor: "aws", name: "abc", auth: { keyId: "bad" }, __provider: provider });
  expect(r.failures.map((f) => f.property).sort()).toEqual(["auth.keyId", "auth.secret", "name"]);
  const r2 = await server.check({}, { vendor: "aws", name: "Long enough", auth: { keyId: 42 }, __provider: provider });
  // A malformed credential block stops the definition's checks: they would only repeat it.
  expect(r2.failures.map((f) => f.property)).toEqual(["auth.keyId"]);
});

test("a failed verification arrives as ErrorResourceInitFailed with id, properties and reasons", async () => {
  const checked = await server.check({}, { vendor: "aws", name: "gRPC bad creds", auth: AWS_BAD, __provider: provider });
  let failure: InitFailure | undefined;
  try {
    await server.create(checked.inputs);
  } catch (err) {
    failure = err as InitFailure;
  }
  expect(failure?.id).toMatch(/^[a-f0-9]{24}$/);
  expect(failure?.properties).toMatchObject({ integrationId: failure?.id, verified: false, __provider: provider });
  expect(failure?.reasons[0]).toMatch(/Verification of integration .* failed/);
  for (const s of ALL_SECRETS) expect(failure?.message).not.toContain(s);
  expect(emu.integrations().some((i) => i.id === failure?.id)).toBe(true);

  // Fixed credentials: the update verifies the same integration.
  const fixed = { ...checked.inputs, auth: AWS_GOOD };
  expect((await server.diff(failure!.id, failure!.properties, fixed)).changes).toBe("some");
  const updated = await server.update(failure!.id, failure!.properties, fixed);
  expect(updated.properties).toMatchObject({ verified: true, state: "live" });
});

test("nothing the server wrote to stderr holds a key or a credential", () => {
  const all = server.stderr.join("");
  expect(all).toMatch(/cycle: POST \/v1\/hubs\/current\/integrations.* -> 201/);
  expect(all).not.toContain(emu.keys.admin);
  for (const s of ALL_SECRETS) expect(all).not.toContain(s);
});

describe("an error the server prints (check, diff, read, delete)", () => {
  const WRONG_KEY = "emu_wrong_key_for_stack_test_0001";
  // A refresh of a resource whose own key the API refuses: its first request fails with a 401.
  const ID = "751586fca6078e98982dbd90";
  const refused = () => ({
    vendor: "aws",
    name: "Refused by the API",
    auth: AWS_GOOD,
    apiKey: WRONG_KEY,
    hubId: emu.hubs.primary,
    integrationId: ID,
    __provider: provider,
  });

  test("with CYCLE_DEBUG=1 its real stack reaches stderr, every credential redacted", async () => {
    const before = server.stderr.length;
    await expect(server.read(ID, refused())).rejects.toThrow(/401/);
    const printed = server.stderr.slice(before).join("");
    expect(printed).toMatch(/CycleApiError: .*401/);
    // Frames of the real stack, in the package's compiled files.
    expect(printed).toMatch(/\n\s+at .+bin\/provider\/api\/client\.js:\d+/);
    expect(printed).not.toContain(WRONG_KEY);
    for (const s of ALL_SECRETS) expect(printed).not.toContain(s);
  });

  test("without it, the user gets the message once: the server's print of it is dropped", async () => {
    const quiet = await GrpcProvider.start({
      CYCLE_API_KEY: undefined,
      CYCLE_HUB_ID: undefined,
      CYCLE_API_URL: undefined,
      CYCLE_DEBUG: undefined,
      CYCLE_QUIET: "1",
    });
    try {
      await quiet.configure({ "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
      let message = "";
      await quiet.read(ID, refused()).catch((err: Error) => (message = err.message));
      expect(message).toMatch(/401/);
      expect(message).not.toContain(WRONG_KEY);
      const printed = quiet.stderr.join("");
      expect(printed).not.toMatch(/401|CycleApiError/);
      expect(printed).not.toMatch(/\n\s+at /);
    } finally {
      await quiet.stop();
    }
  });
});
