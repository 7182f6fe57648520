/**
 * Benchmarks that print figures (`npm run bench`). Not part of `npm test`:
 * timings depend on the machine, so nothing here asserts a number.
 *
 *  - diff: how fast the provider decides a no-change preview (no API call);
 *  - list: paging through a large hub;
 *  - create: integrations created and verified through the serialized
 *    provider, sequentially and concurrently, against the emulator;
 *  - serialized provider: bytes each Integration adds to state.
 */
import { performance } from "perf_hooks";
import { startEmulator } from "../emulator";
import { CycleClient } from "../provider/api/client";
import { diffIntegration } from "../provider/resource/diff";
import type { IntegrationOutputs } from "../provider/resource/model";
import { AWS_GOOD } from "../tests/helpers/fixtures";
import { loadProvider, serializeProvider } from "../tests/helpers/serializedProvider";

const AWS = AWS_GOOD;

function row(name: string, value: string): void {
  console.log(`${name.padEnd(48)} ${value}`);
}

async function main(): Promise<void> {
  // diff
  const olds: IntegrationOutputs = {
    vendor: "aws", name: "Production AWS", identifier: "production-aws", auth: AWS, extra: { a: "1" }, hubId: "651586fca6078e98982dbd90",
    integrationId: "751586fca6078e98982dbd90", state: "live", verified: true, creatorType: "api-key", createdAt: "", updatedAt: "",
    supportsVerification: true, editable: true, supportsMultiple: true, declared: ["extra"],
  };
  const news = { vendor: "aws", name: "Production AWS", auth: { ...AWS }, extra: { a: "1" } };
  const n = 200_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) diffIntegration(olds, news, { defaultHubId: olds.hubId });
  row("diff (no change), per second", `${Math.round(n / ((performance.now() - t) / 1000)).toLocaleString()}`);

  const emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 100 });
  try {
    // list
    const hubSize = 2000;
    for (let i = 0; i < hubSize; i++) {
      emu.outOfBand.create(emu.hubs.secondary, { vendor: "aws", name: `Bench integration ${i}`, auth: { key_id: AWS.keyId, secret: AWS.secret } });
    }
    const client = new CycleClient({ apiKey: emu.keys.otherHub, hubId: emu.hubs.secondary, baseUrl: emu.url });
    for (const pageSize of [20, 100]) {
      emu.clearLog();
      t = performance.now();
      const all = await client.listIntegrations({ pageSize });
      row(`list ${all.length} integrations, page size ${pageSize}`, `${Math.round(performance.now() - t)} ms, ${emu.requestLog.length} requests`);
    }

    // create + verify through the serialized provider
    const text = await serializeProvider();
    row("serialized provider (bytes per Integration in state)", `${text.length}`);
    const provider = await loadProvider(text, { "cycle:apiKey": emu.keys.admin, "cycle:hubId": emu.hubs.primary, "cycle:apiUrl": emu.url });
    const createOne = async (i: number) => {
      const checked = await provider.check({}, { vendor: "aws", name: `Bench create ${i}`, auth: AWS, __provider: text });
      return provider.create({ ...checked.inputs, __provider: text });
    };
    const count = 20;
    emu.clearLog();
    t = performance.now();
    for (let i = 0; i < count; i++) await createOne(i);
    const seq = performance.now() - t;
    row(`create+verify ${count}, one at a time (job step 20 ms)`, `${Math.round(seq)} ms (${Math.round(seq / count)} ms each), ${emu.requestLog.length} requests`);
    emu.clearLog();
    t = performance.now();
    await Promise.all(Array.from({ length: count }, (_, i) => createOne(count + i)));
    const par = performance.now() - t;
    row(`create+verify ${count}, all at once`, `${Math.round(par)} ms, ${emu.requestLog.length} requests`);
  } finally {
    await emu.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
