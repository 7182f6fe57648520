/**
 * Reads, through the serialized provider: a lone read costs one GET; reads
 * arriving together are served by one listing of the hub; a write in the
 * process ends the listing, so the next read sees the hub as it is.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD } from "../helpers/fixtures";
import { loadProvider, LoadedProvider, serializeProvider } from "../helpers/serializedProvider";

let emu: EmulatorHandle;
let text: string;
let provider: LoadedProvider;
type Props = Record<string, unknown>;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 5 });
  text = await serializeProvider();
  provider = await loadProvider(text, { "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
});
afterAll(() => emu.close());

async function created(name: string): Promise<{ id: string; outs: Props }> {
  const checked = await provider.check({}, { vendor: "aws", name, auth: AWS_GOOD, verify: false, __provider: text });
  const r = await provider.create({ ...checked.inputs, __provider: text });
  return { id: r.id, outs: r.outs as Props };
}

const calls = () => emu.requestLog.map((e) => `${e.method} ${e.path.split("?")[0].replace(/[a-f0-9]{24}/g, ":id")}`);

test("a lone read costs one GET", async () => {
  const one = await created("Read alone");
  emu.clearLog();
  const r = await provider.read(one.id, one.outs);
  expect(r.id).toBe(one.id);
  expect(calls()).toEqual(["GET /v1/hubs/current/integrations/:id"]);
});

test("reads arriving together are served from one listing; a write ends it", async () => {
  const all = await Promise.all(Array.from({ length: 6 }, (_, n) => created(`Read together ${n}`)));
  emu.clearLog();
  const reads = await Promise.all(all.map((c) => provider.read(c.id, c.outs)));
  expect(reads.map((r) => r.id)).toEqual(all.map((c) => c.id));
  expect(reads.every((r) => (r.props as Props).supportsVerification === true)).toBe(true);
  expect(calls().every((c) => c === "GET /v1/hubs/current/integrations")).toBe(true);
  // A later read within the same refresh: still the listing.
  emu.clearLog();
  await provider.read(all[0].id, all[0].outs);
  expect(calls()).toEqual([]);
  // A write in this process ends the listing: the next read asks the hub.
  await provider.update(all[1].id, all[1].outs, { ...all[1].outs, name: "Read together renamed" });
  emu.outOfBand.rename(all[0].id, "Renamed in the portal");
  emu.clearLog();
  const after = await provider.read(all[0].id, all[0].outs);
  expect((after.props as Props).name).toBe("Renamed in the portal");
  expect(calls()).toEqual(["GET /v1/hubs/current/integrations/:id"]);
});
