/**
 * `pulumi-cycle recover`, the pure parts: reading pending creates from an
 * exported stack, the update's start time, matching, the whole plan and
 * what is printed of it, and the state rewrite.
 */
import type { Integration, IntegrationDefinition } from "../../provider/api/types";
import {
  ExportedStack,
  HistoryEntry,
  INTEGRATION_TYPE,
  parseExport,
  parseHistory,
  providerUrn,
  recoveredOutputs,
  rewriteState,
  STACK_TYPE,
} from "../../provider/cli/exportedStack";
import {
  idsInStack,
  matchPendingCreates,
  PendingCreate,
  pendingIntegrationCreates,
  planRecovery,
  recordedIntent,
  updateStartBound,
} from "../../provider/cli/recoverPlan";
import { describeDryRun, describePlan } from "../../provider/cli/recoverReport";
import { toCatalogue } from "../../provider/catalogue";
import { encryptedSecret } from "../helpers/exportedStack";

const HUB = "aaaaaaaaaaaaaaaaaaaaaaaa";
const OTHER_HUB = "bbbbbbbbbbbbbbbbbbbbbbbb";
const secret = encryptedSecret;

const STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default";
const PROVIDER_REF = `${PROVIDER_URN}::0f5b6ad1-6b1c-4c2a-9b45-6f0f2c5d1e11`;
const urn = (name: string) => `urn:pulumi:dev::proj::${INTEGRATION_TYPE}::${name}`;

let seq = 0;
function integration(over: Partial<Integration> & { created: string }): Integration {
  const { created, ...rest } = over;
  seq++;
  return {
    id: `${seq.toString(16).padStart(24, "0")}`,
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

function inputs(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { vendor: "aws", name: "Production AWS", auth: secret("v1:abc:def"), __provider: "exports.handler = ...", ...over };
}

function stack(opts: {
  pending?: Array<{ name: string; inputs: Record<string, unknown>; type?: string; opType?: string }>;
  resources?: unknown[];
  manifestTime?: string;
  stackCreated?: string;
}): ExportedStack {
  return {
    version: 3,
    deployment: {
      manifest: { time: opts.manifestTime ?? "2026-01-01T10:05:00.000Z", magic: "x", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:..." } },
      resources: [
        {
          urn: STACK_URN,
          custom: false,
          type: STACK_TYPE,
          created: opts.stackCreated ?? "2026-01-01T10:00:00.500Z",
          modified: opts.stackCreated ?? "2026-01-01T10:00:00.500Z",
        },
        { urn: PROVIDER_URN, custom: true, id: PROVIDER_REF.split("::").pop(), type: "pulumi:providers:pulumi-nodejs", created: "2026-01-01T10:00:01Z" },
        ...((opts.resources ?? []) as ExportedStack["deployment"]["resources"] & unknown[]),
      ],
      pending_operations: (opts.pending ?? []).map((p) => ({
        resource: {
          urn: urn(p.name),
          custom: true,
          type: p.type ?? INTEGRATION_TYPE,
          inputs: p.inputs,
          parent: STACK_URN,
          provider: PROVIDER_REF,
          additionalSecretOutputs: ["auth"],
        },
        type: p.opType ?? "creating",
      })),
    },
  };
}

const START = Date.parse("2026-01-01T10:00:00Z");
const after = (s: number) => new Date(START + s * 1000).toISOString();
const hubs = (list: Integration[]) => (h: string) => list.filter((i) => i.hub_id === h);
const defaultHub = (p: PendingCreate) => p.hubId ?? HUB;

describe("reading the exported stack", () => {
  test("pending creates of Integrations only, in the engine's order, with their intent", () => {
    const s = stack({
      pending: [
        { name: "a", inputs: inputs() },
        { name: "other", inputs: {}, type: "aws:s3/bucket:Bucket" },
        { name: "upd", inputs: inputs(), opType: "updating" },
        { name: "b", inputs: inputs({ identifier: "b-ident", extra: { bucket: "x" }, hubId: OTHER_HUB }) },
      ],
    });
    const p = pendingIntegrationCreates(s);
    expect(p.map((x) => x.urn)).toEqual([urn("a"), urn("b")]);
    expect(p[0].intent).toEqual({ vendor: "aws", name: "Production AWS", identifier: "production-aws" });
    expect(p[1]).toMatchObject({
      order: 3,
      hubId: OTHER_HUB,
      intent: { vendor: "aws", name: "Production AWS", identifier: "b-ident", extra: { bucket: "x" } },
    });
  });

  test("an intent that cannot be read from state says why", () => {
    expect(recordedIntent(inputs({ extra: secret("zz") }))).toEqual({ error: expect.stringMatching(/`extra` is a secret/) });
    expect(recordedIntent(inputs({ extra: { bucket: secret("zz") } }))).toEqual({ error: expect.stringMatching(/`extra.bucket` is a secret/) });
    expect(recordedIntent(inputs({ name: secret("zz") }))).toEqual({ error: expect.stringMatching(/`name` is a secret/) });
    expect(recordedIntent({ vendor: "aws" })).toEqual({ error: expect.stringMatching(/no plain `vendor` and `name`/) });
    // Its own connection: the stack's key may not reach its hub, and its own key is encrypted.
    expect(recordedIntent(inputs({ apiKey: secret("zz") }))).toEqual({ error: expect.stringMatching(/own `apiKey`/) });
    expect(recordedIntent(inputs({ apiUrl: "https://elsewhere.example" }))).toEqual({ error: expect.stringMatching(/own `apiUrl`/) });
    // Declared but empty extra is part of the intent (the create sent it).
    expect(recordedIntent(inputs({ extra: {} }))).toEqual({ vendor: "aws", name: "Production AWS", identifier: "production-aws", extra: {} });
  });

  test("integrations already in resources are the stack's (never a match)", () => {
    const s = stack({ resources: [{ urn: urn("done"), custom: true, type: INTEGRATION_TYPE, id: "dddddddddddddddddddddddd" }] });
    expect([...idsInStack(s)]).toEqual(["dddddddddddddddddddddddd"]);
  });

  test("parse errors are clear", () => {
    expect(() => parseExport("not json")).toThrow(/did not print JSON/);
    expect(() => parseExport(JSON.stringify({ version: 2, deployment: {} }))).toThrow(/version 2/);
    expect(parseHistory("[]")).toEqual([]);
    expect(parseHistory("null")).toEqual([]);
    expect(() => parseHistory("{}")).toThrow(/not print a list/);
  });
});

describe("when the interrupted update started", () => {
  const s = (over: { manifestTime?: string; stackCreated?: string } = {}) => stack({ pending: [{ name: "a", inputs: inputs() }], ...over });

  test("an in-progress history entry (Pulumi Cloud) gives its start", () => {
    const h: HistoryEntry[] = [
      { kind: "update", startTime: "2026-01-01T09:00:00Z", endTime: "2026-01-01T09:01:00Z", result: "succeeded", version: 1 },
      { kind: "update", startTime: "2026-01-01T10:02:00Z", result: "in-progress", version: 2 },
    ];
    expect(updateStartBound(h, s())).toMatchObject({ localMs: Date.parse("2026-01-01T10:02:00Z"), loose: false });
  });

  test("an entry covering the last checkpoint write is the interrupted update (e.g. cancelled afterwards)", () => {
    const h: HistoryEntry[] = [{ kind: "update", startTime: "2026-01-01T10:03:00Z", endTime: "2026-01-01T10:30:00Z", result: "failed", version: 4 }];
    expect(updateStartBound(h, s())).toMatchObject({ localMs: Date.parse("2026-01-01T10:03:00Z"), loose: false, source: expect.stringMatching(/#4/) });
  });

  test("no history entry (a self-managed backend after kill -9) and a first update: the root resource's creation", () => {
    expect(updateStartBound([], s())).toMatchObject({
      localMs: Date.parse("2026-01-01T10:00:00.500Z"),
      loose: false,
      source: expect.stringMatching(/root resource/),
    });
  });

  test("no entry for it, but earlier updates: the later of their end and the root resource's creation", () => {
    const h: HistoryEntry[] = [
      { kind: "update", startTime: "2026-01-01T08:00:00Z", endTime: "2026-01-01T08:01:00Z", result: "succeeded" },
      { kind: "update", startTime: "2026-01-01T09:00:00Z", endTime: "2026-01-01T09:01:00Z", result: "succeeded" },
    ];
    // The root resource was created by the first update, long before: the previous end is the bound, and it is loose.
    expect(updateStartBound(h, s({ stackCreated: "2026-01-01T08:00:00.2Z" }))).toMatchObject({ localMs: Date.parse("2026-01-01T09:01:00Z"), loose: true });
    // A destroy removed the root resource; the interrupted update created it again.
    expect(updateStartBound(h, s({ stackCreated: "2026-01-01T10:00:00.5Z" }))).toMatchObject({ localMs: Date.parse("2026-01-01T10:00:00.5Z"), loose: false });
  });

  test("nothing to go by: undefined (the command then asks for --since)", () => {
    const bare = s();
    bare.deployment.resources = [];
    expect(updateStartBound([], bare)).toBeUndefined();
  });
});

describe("matching pending creates to hub integrations", () => {
  test("exactly what was sent, created after the start, not claimed", () => {
    const before = integration({ created: after(-5) }); // a look-alike made before the update
    const ours = integration({ created: after(3) });
    const claimed = integration({ created: after(2) });
    const otherName = integration({ created: after(4), name: "Production AWS 2", identifier: "production-aws-2" });
    const otherIdent = integration({ created: after(4), identifier: "custom" });
    const deleted = integration({ created: after(4), state: { current: "deleted", changed: after(5) } });
    const p = pendingIntegrationCreates(stack({ pending: [{ name: "a", inputs: inputs() }] }));
    const r = matchPendingCreates(p, defaultHub, hubs([before, ours, claimed, otherName, otherIdent, deleted]), START, new Set([claimed.id]));
    expect(r.matches).toEqual([{ urn: urn("a"), integration: ours, paired: false }]);
    expect(r.unmatched).toEqual([]);
  });

  test("a hand-made look-alike before the update is never a match; the pending create is then unmatched with no candidates", () => {
    const lookAlike = integration({ created: after(-1) });
    const p = pendingIntegrationCreates(stack({ pending: [{ name: "a", inputs: inputs() }] }));
    const r = matchPendingCreates(p, defaultHub, hubs([lookAlike]), START, new Set());
    expect(r.matches).toEqual([]);
    expect(r.unmatched).toEqual([{ urn: urn("a"), reason: expect.stringMatching(/did not reach the hub/), candidates: [] }]);
  });

  test("extra is compared as declared; undeclared extra matches only an integration without extra", () => {
    const withExtra = integration({ created: after(1), vendor: "backblaze-b2", name: "Backups", identifier: "backups", extra: { bucket: "b1" } });
    const withOther = integration({ created: after(1), vendor: "backblaze-b2", name: "Backups", identifier: "backups", extra: { bucket: "b2" } });
    const p = pendingIntegrationCreates(
      stack({ pending: [{ name: "b", inputs: inputs({ vendor: "backblaze-b2", name: "Backups", extra: { bucket: "b1" } }) }] }),
    );
    expect(matchPendingCreates(p, defaultHub, hubs([withOther, withExtra]), START, new Set()).matches.map((m) => m.integration.id)).toEqual([withExtra.id]);
    const q = pendingIntegrationCreates(stack({ pending: [{ name: "b", inputs: inputs({ vendor: "backblaze-b2", name: "Backups" }) }] }));
    expect(matchPendingCreates(q, defaultHub, hubs([withOther, withExtra]), START, new Set()).matches).toEqual([]);
  });

  test("each pending create looks in its own hub", () => {
    const inOther = integration({ created: after(1), hub_id: OTHER_HUB });
    const p = pendingIntegrationCreates(
      stack({
        pending: [
          { name: "a", inputs: inputs() },
          { name: "b", inputs: inputs({ name: "Production AWS", hubId: OTHER_HUB }) },
        ],
      }),
    );
    const r = matchPendingCreates(p, defaultHub, hubs([inOther]), START, new Set());
    expect(r.matches).toEqual([{ urn: urn("b"), integration: inOther, paired: false }]);
    expect(r.unmatched.map((u) => u.urn)).toEqual([urn("a")]);
  });

  test("identical intents with as many candidates are paired in creation order", () => {
    const first = integration({ created: after(2) });
    const second = integration({ created: after(1) });
    const p = pendingIntegrationCreates(
      stack({
        pending: [
          { name: "x", inputs: inputs() },
          { name: "y", inputs: inputs() },
        ],
      }),
    );
    const r = matchPendingCreates(p, defaultHub, hubs([first, second]), START, new Set());
    expect(r.matches).toEqual([
      { urn: urn("x"), integration: second, paired: true },
      { urn: urn("y"), integration: first, paired: true },
    ]);
    expect(r.unmatched).toEqual([]);
  });

  test("identical intents with fewer candidates: the first ones are paired, the rest made nothing", () => {
    const only = integration({ created: after(2) });
    const p = pendingIntegrationCreates(
      stack({
        pending: [
          { name: "x", inputs: inputs() },
          { name: "y", inputs: inputs() },
        ],
      }),
    );
    const r = matchPendingCreates(p, defaultHub, hubs([only]), START, new Set());
    expect(r.matches).toEqual([{ urn: urn("x"), integration: only, paired: true }]);
    expect(r.unmatched).toEqual([{ urn: urn("y"), reason: expect.stringMatching(/did not reach the hub/), candidates: [] }]);
  });

  test("more candidates than pending creates of that intent: none matched, candidates listed", () => {
    const a = integration({ created: after(1) });
    const b = integration({ created: after(2) });
    const p = pendingIntegrationCreates(
      stack({
        pending: [
          { name: "x", inputs: inputs() },
          { name: "other", inputs: inputs({ name: "Other thing" }) },
        ],
      }),
    );
    const other = integration({ created: after(1), name: "Other thing", identifier: "other-thing" });
    const r = matchPendingCreates(p, defaultHub, hubs([a, b, other]), START, new Set());
    expect(r.matches).toEqual([{ urn: urn("other"), integration: other, paired: false }]);
    expect(r.unmatched).toEqual([{ urn: urn("x"), reason: expect.stringMatching(/2 integrations .* match it exactly/), candidates: [a.id, b.id] }]);
  });

  test("an integration that could belong to two different intents is matched to neither", () => {
    // Absent and empty extra are the same to the hub: two intents, one integration.
    const shared = integration({ created: after(1), extra: {} });
    const p = pendingIntegrationCreates(
      stack({
        pending: [
          { name: "x", inputs: inputs() },
          { name: "y", inputs: inputs({ extra: {} }) },
        ],
      }),
    );
    const r = matchPendingCreates(p, defaultHub, hubs([shared]), START, new Set());
    expect(r.matches).toEqual([]);
    expect(r.unmatched.map((u) => [u.urn, u.candidates])).toEqual([
      [urn("x"), [shared.id]],
      [urn("y"), [shared.id]],
    ]);
    expect(r.unmatched[0].reason).toMatch(/another pending create/);
  });

  test("unreadable intents and a missing hub are reported, never matched", () => {
    const p = pendingIntegrationCreates(
      stack({
        pending: [
          { name: "s", inputs: inputs({ extra: secret("q") }) },
          { name: "n", inputs: inputs() },
        ],
      }),
    );
    const r = matchPendingCreates(p, () => undefined, hubs([integration({ created: after(1) })]), START, new Set());
    expect(r.matches).toEqual([]);
    expect(r.unmatched.map((u) => u.reason)).toEqual([expect.stringMatching(/cannot tell what its create sent/), expect.stringMatching(/no hub/)]);
  });
});

describe("the new state", () => {
  const AWS_DEF = { vendor: "aws", supports_verification: true, editable: true, supports_multiple: true } as IntegrationDefinition;
  const LE_DEF = { vendor: "lets-encrypt", supports_verification: false, editable: true, supports_multiple: false } as IntegrationDefinition;

  test("matched pending creates become resources; every handled pending operation goes; the rest is kept", () => {
    const live = integration({ created: after(1), state: { current: "live", changed: after(2) } });
    const other = { resource: { urn: "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", custom: true }, type: "creating" };
    const s = stack({
      pending: [
        { name: "a", inputs: inputs({ verifyTimeoutSeconds: 60 }) },
        { name: "gone", inputs: inputs({ name: "Nothing made" }) },
      ],
    });
    s.deployment.pending_operations!.push(other);
    const before = JSON.stringify(s);
    const now = new Date("2026-01-01T11:00:00Z");
    const next = rewriteState(s, [{ urn: urn("a"), integration: live, definition: AWS_DEF }], new Set([urn("a"), urn("gone")]), now);
    expect(JSON.stringify(s)).toBe(before); // the input is not modified
    expect(next.deployment.pending_operations).toEqual([other]);
    expect(next.deployment.secrets_providers).toEqual(s.deployment.secrets_providers);
    const res = next.deployment.resources!;
    expect(res.slice(0, 2)).toEqual(s.deployment.resources);
    const r = res[2];
    expect(r).toMatchObject({
      urn: urn("a"),
      id: live.id,
      type: INTEGRATION_TYPE,
      custom: true,
      parent: STACK_URN,
      provider: PROVIDER_REF,
      additionalSecretOutputs: ["auth"],
      created: now.toISOString(),
      modified: now.toISOString(),
    });
    expect(r.inputs).toEqual(inputs({ verifyTimeoutSeconds: 60 }));
    expect(r.outputs).toEqual({
      vendor: "aws",
      name: "Production AWS",
      identifier: "production-aws",
      auth: secret("v1:abc:def"),
      __provider: "exports.handler = ...",
      verifyTimeoutSeconds: 60,
      hubId: HUB,
      integrationId: live.id,
      state: "live",
      verified: true,
      creatorType: "api-key",
      createdAt: live.events.created,
      updatedAt: live.events.updated,
      supportsVerification: true,
      editable: true,
      supportsMultiple: true,
      declared: [],
    });
  });

  test("verified is false unless live, for a vendor that verifies; true for one that does not", () => {
    const fresh = integration({ created: after(1), state: { current: "verifying", changed: after(1) } });
    expect(recoveredOutputs(fresh, inputs(), AWS_DEF)).toMatchObject({ state: "verifying", verified: false });
    expect(recoveredOutputs(fresh, inputs(), undefined)).toMatchObject({ verified: false });
    const le = integration({ created: after(1), vendor: "lets-encrypt", extra: { email: "a@b.c" } });
    expect(recoveredOutputs(le, inputs({ vendor: "lets-encrypt", extra: { email: "a@b.c" }, identifier: "le-ident", hubId: HUB }), LE_DEF)).toMatchObject({
      verified: true,
      supportsVerification: false,
      supportsMultiple: false,
      extra: { email: "a@b.c" },
      declared: ["identifier", "extra", "hubId"],
    });
  });

  test("the state error is redacted", () => {
    const failed = integration({
      created: after(1),
      state: { current: "new", changed: after(1), error: { message: "bad key sk_live_abcdef", time: after(1) } },
    });
    expect(recoveredOutputs(failed, inputs(), AWS_DEF, (t) => t.replace("sk_live_abcdef", "[REDACTED]")).stateError).toBe("bad key [REDACTED]");
  });

  test("no pending operations left: the key is dropped", () => {
    const s = stack({ pending: [{ name: "gone", inputs: inputs() }] });
    const next = rewriteState(s, [], new Set([urn("gone")]), new Date());
    expect(next.deployment.pending_operations).toBeUndefined();
    expect(next.deployment.resources).toEqual(s.deployment.resources);
  });

  test("refuses a recovery whose provider or parent is not in state, or that is already a resource", () => {
    const live = integration({ created: after(1) });
    const s = stack({ pending: [{ name: "a", inputs: inputs() }] });
    const noProvider = JSON.parse(JSON.stringify(s)) as ExportedStack;
    noProvider.deployment.resources = noProvider.deployment.resources!.filter((r) => r.urn !== PROVIDER_URN);
    expect(() => rewriteState(noProvider, [{ urn: urn("a"), integration: live }], new Set([urn("a")]), new Date())).toThrow(
      /pulumi-nodejs::default, which is not in the stack's resources/,
    );
    const dup = stack({ pending: [{ name: "a", inputs: inputs() }], resources: [{ urn: urn("a"), type: INTEGRATION_TYPE, id: "x" }] });
    expect(() => rewriteState(dup, [{ urn: urn("a"), integration: live }], new Set([urn("a")]), new Date())).toThrow(/already in the stack's resources/);
    expect(() => rewriteState(s, [{ urn: urn("zzz"), integration: live }], new Set(), new Date())).toThrow(/no pending create/);
    expect(providerUrn(PROVIDER_REF)).toBe(PROVIDER_URN);
  });
});

describe("the plan", () => {
  const AWS_DEF = { vendor: "aws", supports_verification: true, editable: true, supports_multiple: true } as IntegrationDefinition;
  const catalogue = toCatalogue({ "infrastructure-provider": [AWS_DEF] });
  const bound = { localMs: START, source: "--since", loose: false };

  test("matches in each pending create's hub, never an ID the stack records, with the vendor's definition; counts what it leaves to Pulumi", () => {
    const ours = integration({ created: after(3) });
    const recorded = integration({ created: after(2) });
    const elsewhere = integration({ created: after(3), hub_id: OTHER_HUB, identifier: "b-ident" });
    const s = stack({
      pending: [
        { name: "a", inputs: inputs() },
        { name: "b", inputs: inputs({ identifier: "b-ident", hubId: OTHER_HUB }) },
        { name: "secret", inputs: inputs({ name: secret("zz") }) },
        { name: "upd", inputs: inputs(), opType: "updating" },
      ],
      resources: [{ urn: urn("done"), custom: true, type: INTEGRATION_TYPE, id: recorded.id }],
    });
    const pending = pendingIntegrationCreates(s);
    const plan = planRecovery({
      state: s,
      pending,
      bound,
      serverBoundMs: START,
      defaultHubId: HUB,
      hubs: new Map([
        [HUB, { integrations: [recorded, ours], catalogue }],
        [OTHER_HUB, { integrations: [elsewhere], catalogue: new Map() }],
      ]),
    });
    expect(plan.matches.map((m) => [m.urn, m.integration.id])).toEqual([
      [urn("a"), ours.id],
      [urn("b"), elsewhere.id],
    ]);
    expect(plan.recoveries).toEqual([
      { urn: urn("a"), integration: ours, definition: AWS_DEF },
      { urn: urn("b"), integration: elsewhere, definition: undefined },
    ]);
    expect(plan.unmatched).toEqual([{ urn: urn("secret"), reason: expect.stringMatching(/`name` is a secret/), candidates: [] }]);
    expect([...plan.handled]).toEqual([urn("a"), urn("b"), urn("secret")]);
    expect(plan.otherPending).toBe(1);
    expect(plan.serverClockKnown).toBe(true);
  });

  test("the bound is taken in the API's clock when known, else this machine's (and the report warns)", () => {
    // Made 10 s after the local start, but the API's clock runs 20 s ahead: in its clock the update started at +20 s.
    const early = integration({ created: after(10) });
    const s = stack({ pending: [{ name: "a", inputs: inputs() }] });
    const input = { state: s, pending: pendingIntegrationCreates(s), bound, defaultHubId: HUB, hubs: new Map([[HUB, { integrations: [early], catalogue }]]) };
    expect(planRecovery({ ...input, serverBoundMs: START + 20_000 }).matches).toEqual([]);
    const local = planRecovery(input);
    expect(local.matches.map((m) => m.integration.id)).toEqual([early.id]);
    expect(local.serverClockKnown).toBe(false);
    expect(describePlan("dev", local).join("\n")).toMatch(/Warning: the API's answers carry no Date header/);
  });

  test("the report names each match and each unmatched create with what to do, and without --yes says nothing changed", () => {
    const ours = integration({ created: after(3), state: { current: "live", changed: after(4) } });
    const twin1 = integration({ created: after(3), name: "Twin one", identifier: "twin" });
    const twin2 = integration({ created: after(4), name: "Twin one", identifier: "twin" });
    const s = stack({
      pending: [
        { name: "a", inputs: inputs() },
        { name: "t", inputs: inputs({ name: "Twin one", identifier: "twin" }) },
        { name: "none", inputs: inputs({ name: "Never made" }) },
      ],
    });
    const plan = planRecovery({
      state: s,
      pending: pendingIntegrationCreates(s),
      bound: { ...bound, loose: true },
      serverBoundMs: START,
      defaultHubId: HUB,
      hubs: new Map([[HUB, { integrations: [ours, twin1, twin2], catalogue }]]),
    });
    const text = describePlan("dev", plan).join("\n");
    expect(text).toContain("Stack dev: 3 pending create(s) of Integrations from an interrupted update.");
    expect(text).toMatch(/Warning: this is a loose bound/);
    expect(text).toContain(`Found (1):\n  ${urn("a")}\n    -> integration ${ours.id} (aws "Production AWS", live, created ${ours.events.created})`);
    expect(text).toContain(`Not matched (2):\n  ${urn("t")}`);
    expect(text).toContain(`Candidates: ${twin1.id}, ${twin2.id}.`);
    expect(text).toMatch(/set `adoptId: "<id>"` on this resource/);
    expect(text).toMatch(
      new RegExp(
        `${urn("none").replace(/[$()*+.?[\\\]^{|}]/g, "\\$&")}\\n    no integration created since the update started matches it[^\\n]*\\n    Its pending create is dropped`,
      ),
    );
    expect(text).not.toMatch(/Warning: the API's answers carry no Date header/);
    expect(describeDryRun("dev", plan)[0]).toBe(
      "Nothing was changed. Run again with --yes to write 1 integration(s) into the state and drop the 3 pending create(s).",
    );
  });
});
