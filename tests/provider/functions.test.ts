/**
 * The lookup functions and the environment fallbacks, against the emulator.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { getAvailableIntegrations, getIntegrations } from "../../provider/functions";
import { AWS_GOOD } from "../helpers/fixtures";
import { GrpcProvider } from "../helpers/grpcProvider";
import { serializeProvider } from "../helpers/serializedProvider";

let emu: EmulatorHandle;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10 });
});
afterAll(() => emu.close());
afterEach(() => {
  for (const k of ["CYCLE_API_KEY", "CYCLE_HUB_ID", "CYCLE_API_URL"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const connection = () => ({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url });

test("getAvailableIntegrations flattens the catalogue with each category", async () => {
  const defs = await getAvailableIntegrations(connection());
  expect(defs.find((d) => d.vendor === "aws")).toMatchObject({ category: "infrastructure-provider", supports_verification: true });
  expect(defs.find((d) => d.vendor === "lets-encrypt")).toMatchObject({ category: "tls-certificate-generation", supports_verification: false });
  expect(new Set(defs.map((d) => d.category)).size).toBe(5);
});

test("getIntegrations lists every page and strips credentials", async () => {
  for (let i = 0; i < 3; i++) {
    emu.outOfBand.create(emu.hubs.primary, { vendor: "aws", name: `Listed integration ${i}`, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } });
  }
  const all = await getIntegrations({ pageSize: 2 }, connection());
  expect(all.filter((i) => i.name.startsWith("Listed integration"))).toHaveLength(3);
  expect(all.every((i) => i.auth === null)).toBe(true);
  expect(JSON.stringify(all)).not.toContain(AWS_GOOD.secret);
});

test("the functions fall back to CYCLE_* environment variables", async () => {
  process.env.CYCLE_API_KEY = emu.keys.admin;
  process.env.CYCLE_HUB_ID = emu.hubs.primary;
  process.env.CYCLE_API_URL = emu.url;
  expect((await getAvailableIntegrations()).length).toBeGreaterThan(5);
});

test("without a key the functions say how to set one", async () => {
  delete process.env.CYCLE_API_KEY;
  await expect(getIntegrations({}, { hubId: emu.hubs.primary, apiUrl: emu.url })).rejects.toThrow(/cycle:apiKey.*CYCLE_API_KEY/);
});

test("the provider reads CYCLE_* from its environment at call time when stack config has none", async () => {
  const text = await serializeProvider();
  // A provider process of its own: jest gives tests a copy of process.env.
  const server = await GrpcProvider.start({ CYCLE_API_KEY: emu.keys.admin, CYCLE_HUB_ID: emu.hubs.primary, CYCLE_API_URL: emu.url });
  try {
    await server.configure({});
    const checked = await server.check({}, { vendor: "aws", name: "From the environment", auth: AWS_GOOD, __provider: text });
    expect(checked.failures).toEqual([]);
    const created = await server.create(checked.inputs);
    expect(created.properties).toMatchObject({ hubId: emu.hubs.primary, verified: true });
  } finally {
    await server.stop();
  }
  // The environment was not captured when serializing.
  expect(text).not.toContain(emu.keys.admin);
});

test("examples/catalogue runs as documented", async () => {
  process.env.CYCLE_API_KEY = emu.keys.admin;
  process.env.CYCLE_HUB_ID = emu.hubs.primary;
  process.env.CYCLE_API_URL = emu.url;
  const result = (await require("../../examples/catalogue")) as { vendors: Array<{ vendor: string; needs: string[] }>; existing: unknown[] };
  expect(result.vendors.find((v) => v.vendor === "aws")?.needs.sort()).toEqual(["key_id", "secret"]);
  expect(Array.isArray(result.existing)).toBe(true);
});
