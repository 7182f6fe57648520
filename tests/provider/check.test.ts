/**
 * Check sees everything, through the real dynamic-provider server over
 * gRPC: a misspelt key, a value of the wrong type and a name whose derived
 * identifier the API refuses each fail at check naming the property (and
 * what to write instead), before any request that changes the hub; and
 * values that bypass check fail create naming the property, creating nothing.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD } from "../helpers/fixtures";
import { GrpcProvider } from "../helpers/grpcProvider";
import { serializeProvider } from "../helpers/serializedProvider";

let emu: EmulatorHandle;
let server: GrpcProvider;
let provider: string;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10, deleteGraceMs: 100 });
  provider = await serializeProvider();
  server = await GrpcProvider.start({ CYCLE_API_KEY: undefined, CYCLE_HUB_ID: undefined, CYCLE_API_URL: undefined, CYCLE_QUIET: undefined });
  await server.configure({ "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
});
afterAll(async () => {
  await server.stop();
  await emu.close();
});

const writes = () => emu.requestLog.filter((e) => e.method !== "GET");
const declared = (over: Record<string, unknown>) => ({ vendor: "aws", name: "Checked AWS", auth: AWS_GOOD, __provider: provider, ...over });

test("a misspelt argument (`adoptID`) fails check naming `adoptId`", async () => {
  const r = await server.check({}, declared({ adoptID: "651586fca6078e98982dbd90" }));
  expect(r.failures).toEqual([{ property: "adoptID", reason: "unknown property `adoptID`; did you mean `adoptId`?" }]);
});

test("`apiKey: 12345` fails check as `apiKey must be a string`, not a TypeError, and the value is not printed", async () => {
  const r = await server.check({}, declared({ apiKey: 12345 }));
  expect(r.failures).toEqual([{ property: "", reason: "apiKey must be a string" }]);
  expect(JSON.stringify(r.failures)).not.toMatch(/trim is not a function|12345/);
});

test("a credential block that is not one fails naming auth, without a property the engine would print the value of", async () => {
  const r = await server.check({}, declared({ auth: "hunter2-plain-credential" }));
  expect(r.failures).toEqual([{ property: "", reason: "auth must be an object of credential fields" }]);
  expect(server.stderr.join("")).not.toContain("hunter2-plain-credential");
});

test.each(["Ab!!!", "本番のストレージ"])(
  "name %s, whose derived identifier the API refuses, fails check naming `name` and suggesting `identifier`",
  async (name) => {
    emu.clearLog();
    const r = await server.check({}, declared({ name, auth: AWS_GOOD }));
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toEqual({ property: "name", reason: expect.stringMatching(/identifier.*at least 3 characters\. Declare `identifier`/) });
    expect(writes()).toEqual([]);
    // With an identifier it passes, and the create the API would have refused goes through.
    const fixed = await server.check({}, declared({ name, identifier: "checked-storage" }));
    expect(fixed.failures).toEqual([]);
  },
);

test("values that bypass check fail create naming the property, and nothing is created", async () => {
  emu.clearLog();
  await expect(server.create(declared({ verify: "yes" }))).rejects.toThrow(/The resource's inputs do not parse: verify must be true or false/);
  await expect(server.create(declared({ apiKey: 12345 }))).rejects.toThrow(/apiKey must be a string/);
  expect(writes()).toEqual([]);
});

test("recorded state that does not parse fails read and delete naming the property, sending nothing", async () => {
  const checked = await server.check({}, declared({ name: "Parsed state" }));
  const created = await server.create(checked.inputs);
  emu.clearLog();
  const broken = { ...created.properties, verified: "yes" };
  await expect(server.read(created.id, broken)).rejects.toThrow(/The resource's recorded state do not parse: verified must be true or false/);
  await expect(server.delete(created.id, broken)).rejects.toThrow(/verified must be true or false/);
  expect(writes()).toEqual([]);
  await server.delete(created.id, created.properties);
});
