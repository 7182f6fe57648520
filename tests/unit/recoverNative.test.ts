/**
 * `pulumi-cycle recover` on an exported stack of the native provider
 * (`cycle:index:Integration`, the plugin `pulumi-resource-cycle`): its
 * pending creates are found beside the dynamic ones, each searched in its own
 * hub (its `hubId`, its explicit provider's, or the configured one), matched,
 * and written back as resources of the native type with their provider
 * reference and the recorded credential ciphertext as it was (nothing
 * decrypted, no `__provider` added).
 */
import type { Integration, IntegrationDefinition } from "../../provider/api/types";
import { toCatalogue } from "../../provider/catalogue";
import {
  ExportedStack,
  INTEGRATION_TYPE,
  isIntegrationType,
  NATIVE_INTEGRATION_TYPE,
  NATIVE_PROVIDER_TYPE,
  rewriteState,
  STACK_TYPE,
} from "../../provider/cli/exportedStack";
import { hubsToRead, idsInStack, otherPendingOperations, pendingIntegrationCreates, planRecovery } from "../../provider/cli/recoverPlan";
import { describePlan } from "../../provider/cli/recoverReport";
import { encryptedSecret } from "../helpers/exportedStack";

const HUB = "aaaaaaaaaaaaaaaaaaaaaaaa";
const EXPLICIT_HUB = "bbbbbbbbbbbbbbbbbbbbbbbb";
const secret = encryptedSecret;

const STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const DEFAULT_PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:cycle::default_0_1_0";
const DEFAULT_PROVIDER_REF = `${DEFAULT_PROVIDER_URN}::11111111-2222-3333-4444-555555555555`;
const EXPLICIT_URN = "urn:pulumi:dev::proj::pulumi:providers:cycle::other-hub";
const EXPLICIT_REF = `${EXPLICIT_URN}::66666666-7777-8888-9999-000000000000`;
const KEYED_URN = "urn:pulumi:dev::proj::pulumi:providers:cycle::keyed";
const KEYED_REF = `${KEYED_URN}::abababab-7777-8888-9999-000000000000`;
const NODEJS_PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default";
const NODEJS_PROVIDER_REF = `${NODEJS_PROVIDER_URN}::0f5b6ad1-6b1c-4c2a-9b45-6f0f2c5d1e11`;
const nativeUrn = (name: string) => `urn:pulumi:dev::proj::${NATIVE_INTEGRATION_TYPE}::${name}`;
const dynamicUrn = (name: string) => `urn:pulumi:dev::proj::${INTEGRATION_TYPE}::${name}`;

const START = Date.parse("2026-01-01T10:00:00Z");
const after = (s: number) => new Date(START + s * 1000).toISOString();

let seq = 0;
function integration(over: Partial<Integration> & { created: string }): Integration {
  const { created, ...rest } = over;
  seq++;
  return {
    id: `e${seq.toString(16).padStart(23, "0")}`,
    name: "Production AWS",
    vendor: "aws",
    identifier: "production-aws",
    auth: null,
    extra: null,
    creator: { id: "cccccccccccccccccccccccc", type: "api-key" },
    hub_id: HUB,
    state: { current: "new", changed: created },
    events: { created, updated: created, deleted: "0001-01-01T00:00:00Z" },
    ...rest,
  };
}

/** What the engine records for a native create it began: plain keys, `auth` as ciphertext, no `__provider`. */
const nativeInputs = (over: Record<string, unknown> = {}) => ({ vendor: "aws", name: "Production AWS", auth: secret("v1:native:ct"), ...over });

function nativeStack(): ExportedStack {
  const op = (name: string, inputs: Record<string, unknown>, provider: string, type = NATIVE_INTEGRATION_TYPE) => ({
    resource: { urn: type === NATIVE_INTEGRATION_TYPE ? nativeUrn(name) : dynamicUrn(name), custom: true, type, inputs, parent: STACK_URN, provider },
    type: "creating",
  });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-01-01T10:05:00.000Z", magic: "x", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:..." } },
      resources: [
        { urn: STACK_URN, custom: false, type: STACK_TYPE, created: "2026-01-01T10:00:00.500Z", modified: "2026-01-01T10:00:00.500Z" },
        {
          urn: DEFAULT_PROVIDER_URN,
          custom: true,
          id: DEFAULT_PROVIDER_REF.split("::").pop(),
          type: NATIVE_PROVIDER_TYPE,
          // The default provider's inputs are the stack config's `cycle:` keys: the command reads the same.
          inputs: { apiKey: secret("v1:stackkey"), apiUrl: "http://127.0.0.1:9", hubId: HUB, version: "0.1.0" },
        },
        {
          urn: EXPLICIT_URN,
          custom: true,
          id: EXPLICIT_REF.split("::").pop(),
          type: NATIVE_PROVIDER_TYPE,
          inputs: { hubId: EXPLICIT_HUB, version: "0.1.0" },
        },
        {
          urn: KEYED_URN,
          custom: true,
          id: KEYED_REF.split("::").pop(),
          type: NATIVE_PROVIDER_TYPE,
          inputs: { apiKey: secret("v1:otherkey"), hubId: EXPLICIT_HUB },
        },
        { urn: NODEJS_PROVIDER_URN, custom: true, id: NODEJS_PROVIDER_REF.split("::").pop(), type: "pulumi:providers:pulumi-nodejs" },
        {
          urn: nativeUrn("recorded"),
          custom: true,
          type: NATIVE_INTEGRATION_TYPE,
          id: "dddddddddddddddddddddddd",
          inputs: nativeInputs(),
          outputs: {},
          provider: DEFAULT_PROVIDER_REF,
        },
      ],
      pending_operations: [
        op("native-a", nativeInputs({ extra: { bucket: "x" } }), DEFAULT_PROVIDER_REF),
        op("via-explicit", nativeInputs({ identifier: "explicit-ident" }), EXPLICIT_REF),
        op("own-hub", nativeInputs({ identifier: "own-ident", hubId: HUB }), EXPLICIT_REF),
        op("keyed", nativeInputs({ identifier: "keyed-ident" }), KEYED_REF),
        op("dynamic-b", { ...nativeInputs({ identifier: "dyn-ident" }), __provider: "exports.handler = ..." }, NODEJS_PROVIDER_REF, INTEGRATION_TYPE),
        { resource: { urn: "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", custom: true }, type: "creating" },
      ],
    },
  };
}

test("both faces' types are integrations; nothing else is", () => {
  expect(isIntegrationType(NATIVE_INTEGRATION_TYPE)).toBe(true);
  expect(isIntegrationType(INTEGRATION_TYPE)).toBe(true);
  expect(isIntegrationType(NATIVE_PROVIDER_TYPE)).toBe(false);
  expect(isIntegrationType("cycle:index:getIntegration")).toBe(false);
  expect(isIntegrationType(undefined)).toBe(false);
});

test("native pending creates are read beside dynamic ones, each with its hub: its own, its explicit provider's, or none (the configured one)", () => {
  const s = nativeStack();
  const pending = pendingIntegrationCreates(s);
  expect(pending.map((p) => [p.urn, p.order, p.hubId])).toEqual([
    [nativeUrn("native-a"), 0, undefined],
    [nativeUrn("via-explicit"), 1, EXPLICIT_HUB],
    [nativeUrn("own-hub"), 2, HUB],
    [nativeUrn("keyed"), 3, undefined],
    [dynamicUrn("dynamic-b"), 4, undefined],
  ]);
  expect(pending[0].intent).toEqual({ vendor: "aws", name: "Production AWS", identifier: "production-aws", extra: { bucket: "x" } });
  // A provider with its own key: its hub cannot be searched with the stack's.
  expect(pending[3].intent).toEqual({ error: expect.stringMatching(/its provider `keyed` has its own `apiKey`, stored encrypted/) });
  expect(otherPendingOperations(s)).toBe(1);
  // The native resource already recorded is the stack's: never a match.
  expect([...idsInStack(s)]).toEqual(["dddddddddddddddddddddddd"]);
  // Hubs read: the configured one and the explicit provider's; none for the keyed one alone.
  expect(hubsToRead(pending, HUB).sort()).toEqual([HUB, EXPLICIT_HUB].sort());
});

test("matched native creates become native resources with their provider, the recorded ciphertext and no __provider; nothing is decrypted", () => {
  const s = nativeStack();
  const AWS_DEF = { vendor: "aws", supports_verification: true, editable: true, supports_multiple: true } as IntegrationDefinition;
  const catalogue = toCatalogue({ "infrastructure-provider": [AWS_DEF] });
  const a = integration({ created: after(2), extra: { bucket: "x" }, state: { current: "live", changed: after(3) } });
  const explicit = integration({ created: after(3), identifier: "explicit-ident", hub_id: EXPLICIT_HUB });
  const ownHub = integration({ created: after(4), identifier: "own-ident" });
  const dyn = integration({ created: after(5), identifier: "dyn-ident" });
  // Made in the explicit provider's hub with the keyed resource's identifier: never searched.
  const keyedLookAlike = integration({ created: after(5), identifier: "keyed-ident", hub_id: EXPLICIT_HUB });
  const plan = planRecovery({
    state: s,
    pending: pendingIntegrationCreates(s),
    bound: { localMs: START, source: "--since", loose: false },
    serverBoundMs: START,
    defaultHubId: HUB,
    hubs: new Map([
      [HUB, { integrations: [a, ownHub, dyn], catalogue }],
      [EXPLICIT_HUB, { integrations: [explicit, keyedLookAlike], catalogue }],
    ]),
  });
  expect(plan.matches.map((m) => [m.urn, m.integration.id])).toEqual([
    [nativeUrn("native-a"), a.id],
    [nativeUrn("via-explicit"), explicit.id],
    [nativeUrn("own-hub"), ownHub.id],
    [dynamicUrn("dynamic-b"), dyn.id],
  ]);
  expect(plan.unmatched.map((u) => u.urn)).toEqual([nativeUrn("keyed")]);
  expect(describePlan("dev", plan).join("\n")).toContain("Stack dev: 5 pending create(s) of Integrations from an interrupted update.");

  const before = JSON.stringify(s);
  const now = new Date("2026-01-01T11:00:00Z");
  const next = rewriteState(s, plan.recoveries, plan.handled, now);
  expect(JSON.stringify(s)).toBe(before);
  // Only the bucket's pending create is left, to Pulumi.
  expect(next.deployment.pending_operations!.map((o) => o.resource.urn)).toEqual(["urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b"]);
  const byUrn = new Map(next.deployment.resources!.map((r) => [r.urn, r]));
  const r = byUrn.get(nativeUrn("native-a"))!;
  expect(r).toMatchObject({
    type: NATIVE_INTEGRATION_TYPE,
    id: a.id,
    custom: true,
    parent: STACK_URN,
    provider: DEFAULT_PROVIDER_REF,
    created: now.toISOString(),
  });
  expect(r.inputs).toEqual(nativeInputs({ extra: { bucket: "x" } }));
  expect(r.outputs).toEqual({
    vendor: "aws",
    name: "Production AWS",
    identifier: "production-aws",
    extra: { bucket: "x" },
    auth: secret("v1:native:ct"),
    hubId: HUB,
    integrationId: a.id,
    state: "live",
    verified: true,
    creatorType: "api-key",
    createdAt: a.events.created,
    updatedAt: a.events.updated,
    supportsVerification: true,
    editable: true,
    supportsMultiple: true,
    declared: ["extra"],
  });
  expect(r.outputs).not.toHaveProperty("__provider");
  expect(byUrn.get(nativeUrn("via-explicit"))).toMatchObject({ type: NATIVE_INTEGRATION_TYPE, id: explicit.id, provider: EXPLICIT_REF });
  expect(byUrn.get(nativeUrn("via-explicit"))!.outputs).toMatchObject({ hubId: EXPLICIT_HUB, verified: false });
  // The dynamic one keeps its serialized provider, as before.
  expect(byUrn.get(dynamicUrn("dynamic-b"))!.outputs).toMatchObject({ __provider: "exports.handler = ..." });
  // Every ciphertext of the new state is one the old state held: nothing was decrypted or re-encrypted.
  const ciphertexts = (text: string) => [...text.matchAll(/"ciphertext":"([^"]*)"/g)].map((m) => m[1]);
  expect(new Set(ciphertexts(JSON.stringify(next)))).toEqual(new Set(ciphertexts(before)));
});
