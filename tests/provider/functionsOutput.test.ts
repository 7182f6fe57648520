/**
 * The Output forms of the lookup functions: Inputs in (plain values, Outputs,
 * secrets), an Output out; not called while an input is unknown; the result
 * secret when an input was; same answers as the plain functions.
 */
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, EmulatorHandle } from "../../emulator";
import {
  getAvailableIntegrations,
  getAvailableIntegrationsOutput,
  getIntegration,
  getIntegrationOutput,
  getIntegrations,
  getIntegrationsOutput,
} from "../../provider/functions";
import * as pkg from "../../provider/index";
import { AWS_GOOD } from "../helpers/fixtures";

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10 });
  for (let i = 0; i < 3; i++) {
    emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: `Output lookup ${i}`, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
      { state: i === 0 ? "new" : "live" },
    );
  }
});
afterAll(() => emu.close());

/** The value of an Output, or `"<unknown>"` when it is not known; with its secretness. */
async function settle<T>(o: pulumi.Output<T>): Promise<{ value: T | "<unknown>"; secret: boolean }> {
  const internal = o as unknown as { isKnown: Promise<boolean>; promise(withUnknowns?: boolean): Promise<T> };
  const known = await internal.isKnown;
  const value = await internal.promise();
  return { value: known ? value : "<unknown>", secret: await pulumi.isSecret(o) };
}

test("the package exports both forms", () => {
  expect(typeof pkg.getIntegrationsOutput).toBe("function");
  expect(typeof pkg.getAvailableIntegrationsOutput).toBe("function");
});

test("plain inputs and Outputs give the same answers as the plain functions", async () => {
  const plain = { apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url };
  const asOutputs = { apiKey: pulumi.output(emu.keys.admin), hubId: pulumi.output(Promise.resolve(emu.hubs.primary)), apiUrl: emu.url };

  const defs = await settle(getAvailableIntegrationsOutput(asOutputs));
  expect(defs.secret).toBe(false);
  expect(defs.value).toEqual(await getAvailableIntegrations(plain));

  const live = await settle(getIntegrationsOutput({ filter: pulumi.output({ state: "live" as const }), pageSize: pulumi.output(1) }, asOutputs));
  const expected = await getIntegrations({ filter: { state: "live" }, pageSize: 1 }, plain);
  expect(live.value).toEqual(expected);
  expect((live.value as unknown[]).length).toBe(2);
  expect(JSON.stringify(live.value)).not.toContain(AWS_GOOD.secret);
});

test("getIntegrationOutput: Input arguments, the same integration as getIntegration; unknown while its id is", async () => {
  const plain = { apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url };
  const made = emu.outOfBand.create(emu.hubs.primary, {
    vendor: "aws",
    name: "Output single",
    identifier: "output-single",
    auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret },
  });
  const byId = await settle(getIntegrationOutput({ id: pulumi.output(Promise.resolve(made.id)) }, { ...plain, apiKey: pulumi.secret(emu.keys.admin) }));
  expect(byId.secret).toBe(true);
  expect(byId.value).toEqual(await getIntegration({ vendor: "aws", identifier: "output-single" }, plain));
  expect(byId.value).toMatchObject({ id: made.id, auth: null });
  emu.clearLog();
  const unknown = await settle(getIntegrationOutput({ id: pulumi.output(pulumi.unknown as unknown as string) }, plain));
  expect(unknown.value).toBe("<unknown>");
  expect(emu.requestLog).toEqual([]);
});

test("a secret input makes the result secret", async () => {
  const r = await settle(getIntegrationsOutput({}, { apiKey: pulumi.secret(emu.keys.admin), hubId: emu.hubs.primary, apiUrl: emu.url }));
  expect(r.secret).toBe(true);
  expect((r.value as Array<{ name: string }>).filter((i) => i.name.startsWith("Output lookup"))).toHaveLength(3);
});

test("an unknown input: no call is made, the result is unknown", async () => {
  emu.clearLog();
  const unknownHub = pulumi.output(pulumi.unknown as unknown as string);
  const r = await settle(getIntegrationsOutput({}, { apiKey: emu.keys.admin, hubId: unknownHub, apiUrl: emu.url }));
  expect(r.value).toBe("<unknown>");
  const d = await settle(getAvailableIntegrationsOutput({ apiKey: emu.keys.admin, hubId: unknownHub, apiUrl: emu.url }));
  expect(d.value).toBe("<unknown>");
  expect(emu.requestLog).toEqual([]);
});

test("a failing lookup rejects the Output with the function's message", async () => {
  const saved = process.env.CYCLE_API_KEY;
  delete process.env.CYCLE_API_KEY;
  try {
    const o = getIntegrationsOutput({}, { hubId: emu.hubs.primary, apiUrl: emu.url }) as unknown as Record<string, unknown> & { promise(): Promise<unknown> };
    // Every promise the Output holds rejects: handle them all, as the engine does.
    const settled = await Promise.allSettled([o.promise(), o.isKnown, o.isSecret, o.allResources] as Array<Promise<unknown>>);
    const reasons = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/cycle:apiKey.*CYCLE_API_KEY/);
  } finally {
    if (saved !== undefined) process.env.CYCLE_API_KEY = saved;
  }
});
