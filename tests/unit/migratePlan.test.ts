/**
 * `pulumi-cycle import --from-stack`, the pure part: which dynamic
 * Integrations of an exported stack move to the native resource (bulk file,
 * `<hubId>/<integrationId>`, their own names), which stay and why, and what
 * `pulumi state delete` takes (the moved ones, and the `pulumi-nodejs`
 * provider only when nothing left uses it); and the flag's usage errors.
 */
import { ExportedStack, INTEGRATION_TYPE, STACK_TYPE } from "../../provider/cli/exportedStack";
import { main } from "../../provider/cli/main";
import { planMigration, urnName } from "../../provider/cli/migratePlan";
import { encryptedSecret } from "../helpers/exportedStack";

const HUB = "aaaaaaaaaaaaaaaaaaaaaaaa";
const OTHER_HUB = "bbbbbbbbbbbbbbbbbbbbbbbb";
const secret = encryptedSecret;
const STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const NODE_PROVIDER = "urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default";
const NODE_PROVIDER_REF = `${NODE_PROVIDER}::0f5b6ad1-6b1c-4c2a-9b45-6f0f2c5d1e11`;
const urn = (name: string) => `urn:pulumi:dev::proj::${INTEGRATION_TYPE}::${name}`;

function integration(name: string, id: string, over: Record<string, unknown> = {}, outputs: Record<string, unknown> = {}) {
  return {
    urn: urn(name),
    custom: true,
    type: INTEGRATION_TYPE,
    id,
    parent: STACK_URN,
    provider: NODE_PROVIDER_REF,
    inputs: { vendor: "aws", name: `Integration ${name}`, auth: secret("v1:ct"), __provider: "exports.handler = ...", ...over },
    outputs: { vendor: "aws", name: `Integration ${name}`, hubId: HUB, integrationId: id, auth: secret("v1:ct"), ...outputs },
  };
}

function stack(resources: unknown[], pending: unknown[] = []): ExportedStack {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-01-01T10:05:00.000Z" },
      resources: [
        { urn: STACK_URN, custom: false, type: STACK_TYPE },
        { urn: NODE_PROVIDER, custom: true, id: "0f5b6ad1-6b1c-4c2a-9b45-6f0f2c5d1e11", type: "pulumi:providers:pulumi-nodejs" },
        ...resources,
      ] as ExportedStack["deployment"]["resources"],
      ...(pending.length > 0 ? { pending_operations: pending as ExportedStack["deployment"]["pending_operations"] } : {}),
    },
  };
}

const bulk = (text: string) => JSON.parse(text) as { resources: Array<{ type: string; name: string; id: string }> };

test("every settled dynamic Integration moves under its own name, by <hubId>/<integrationId>; the pulumi-nodejs provider goes when nothing else uses it", () => {
  const plan = planMigration(
    stack([
      integration("aws-prod", "111111111111111111111111"),
      integration("tls", "222222222222222222222222", { vendor: "lets-encrypt", hubId: OTHER_HUB }, { hubId: OTHER_HUB }),
    ]),
  );
  expect(plan.kept).toEqual([]);
  expect(bulk(plan.source)).toEqual({
    resources: [
      { type: "cycle:index:Integration", name: "aws-prod", id: `${HUB}/111111111111111111111111` },
      { type: "cycle:index:Integration", name: "tls", id: `${OTHER_HUB}/222222222222222222222222` },
    ],
  });
  expect(plan.stateDeletes).toEqual([urn("aws-prod"), urn("tls"), NODE_PROVIDER]);
  // The file holds IDs and names only: no input, no ciphertext.
  expect(plan.source).not.toMatch(/ciphertext|auth|__provider/);
});

test("what cannot move stays, with the reason; the provider stays while a staying resource uses it", () => {
  const component = "urn:pulumi:dev::proj::my:app:Team::team";
  const plan = planMigration(
    stack([
      integration("moves", "111111111111111111111111"),
      integration("placeholder", "", {}, { unsettledCreate: { hubId: HUB } }),
      integration("own-key", "333333333333333333333333", { apiKey: secret("v1:key") }),
      integration("own-url", "444444444444444444444444", { apiUrl: "https://elsewhere.example" }),
      { ...integration("locked", "555555555555555555555555"), protect: true },
      integration("needed", "666666666666666666666666"),
      { urn: "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b", custom: true, type: "aws:s3/bucket:Bucket", id: "b", dependencies: [urn("needed")] },
      integration("by-property", "777777777777777777777777"),
      { urn: "urn:pulumi:dev::proj::x:y:Z::z", custom: true, type: "x:y:Z", id: "z", propertyDependencies: { a: [urn("by-property")] } },
      { urn: component, custom: false, type: "my:app:Team" },
      {
        ...integration("in-component", "888888888888888888888888"),
        urn: `urn:pulumi:dev::proj::my:app:Team$${INTEGRATION_TYPE}::in-component`,
        parent: component,
      },
    ]),
  );
  expect(plan.moved.map((m) => m.name)).toEqual(["in-component", "moves"]);
  expect(Object.fromEntries(plan.kept.map((k) => [urnName(k.urn), k.reason]))).toEqual({
    placeholder: expect.stringMatching(/never settled/),
    "own-key": expect.stringMatching(/own `apiKey` or `apiUrl`/),
    "own-url": expect.stringMatching(/own `apiKey` or `apiUrl`/),
    locked: expect.stringMatching(/protected/),
    needed: expect.stringMatching(/depend on it.*aws:s3\/bucket:Bucket::b/),
    "by-property": expect.stringMatching(/depend on it.*x:y:Z::z/),
  });
  // Staying dynamic resources still use the pulumi-nodejs provider: it is kept.
  expect(plan.stateDeletes).toEqual([`urn:pulumi:dev::proj::my:app:Team$${INTEGRATION_TYPE}::in-component`, urn("moves")]);
});

test("a name the stack already gives a native Integration is kept dynamic", () => {
  const plan = planMigration(
    stack([
      integration("aws-prod", "111111111111111111111111"),
      { urn: "urn:pulumi:dev::proj::cycle:index:Integration::aws-prod", type: "cycle:index:Integration", id: "x" },
    ]),
  );
  expect(plan.moved).toEqual([]);
  expect(plan.kept).toEqual([{ urn: urn("aws-prod"), reason: expect.stringMatching(/already has a cycle:index:Integration named aws-prod/) }]);
});

test("pending operations on Integrations must be settled first", () => {
  const s = stack([integration("a", "111111111111111111111111")], [{ type: "creating", resource: { urn: urn("b"), type: INTEGRATION_TYPE } }]);
  expect(() => planMigration(s)).toThrow(/pending operation\(s\) on Integrations.*pulumi-cycle recover/);
  // Others' pending operations are not ours to judge.
  const other = stack(
    [integration("a", "111111111111111111111111")],
    [{ type: "creating", resource: { urn: "urn:pulumi:dev::proj::x:y:Z::z", type: "x:y:Z" } }],
  );
  expect(planMigration(other).moved.map((m) => m.name)).toEqual(["a"]);
});

test("--from-stack: usage errors for what it does not take", async () => {
  const run = async (...argv: string[]) => {
    let err = "";
    const code = await main(
      argv,
      () => undefined,
      (t) => (err += t),
    );
    return { code, err };
  };
  expect(await run("import", "--from-stack", "--hub", HUB)).toEqual({ code: 2, err: expect.stringMatching(/--hub: not with --from-stack/) });
  expect(await run("import", "--from-stack", "--api-url", "http://x")).toEqual({ code: 2, err: expect.stringMatching(/--api-url: not with --from-stack/) });
  expect(await run("import", "--from-stack", "--format", "yaml")).toEqual({ code: 2, err: expect.stringMatching(/writes a bulk-import file only/) });
  const saved = process.env.PULUMI_CLI;
  process.env.PULUMI_CLI = "/nonexistent/pulumi";
  try {
    const r = await run("import", "--from-stack", "--format", "bulk", "--out", "/nonexistent-dir-for-test/x.json");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The Pulumi CLI was not found/);
  } finally {
    if (saved === undefined) delete process.env.PULUMI_CLI;
    else process.env.PULUMI_CLI = saved;
  }
});
