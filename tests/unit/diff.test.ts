import { diffIntegration } from "../../provider/resource/diff";
import type { IntegrationInputs, IntegrationOutputs } from "../../provider/resource/model";
import { UNKNOWN } from "../../provider/resource/unknown";

const HUB = "651586fca6078e98982dbd90";
const OTHER_HUB = "651586fca6078e98982dbd91";

const olds: IntegrationOutputs = {
  vendor: "aws",
  name: "Production AWS",
  identifier: "production-aws",
  auth: { keyId: "AKIAABCDEFGHIJKLMNOP", secret: "s3cr3t" },
  extra: { region: "us-east-1" },
  hubId: HUB,
  integrationId: "751586fca6078e98982dbd90",
  state: "live",
  verified: true,
  creatorType: "api-key",
  createdAt: "2026-11-28T00:00:00Z",
  updatedAt: "2026-11-28T00:00:00Z",
  supportsVerification: true,
  editable: true,
  supportsMultiple: true,
  declared: ["extra"],
};

const same: IntegrationInputs = {
  vendor: "aws",
  name: "Production AWS",
  auth: { keyId: "AKIAABCDEFGHIJKLMNOP", secret: "s3cr3t" },
  extra: { region: "us-east-1" },
};

type Case = [string, Partial<IntegrationOutputs>, Partial<IntegrationInputs>, { changed: string[]; replaces: string[]; verify?: boolean; dbr?: boolean }];

const cases: Case[] = [
  ["no change", {}, {}, { changed: [], replaces: [] }],
  ["identifier omitted is no change", {}, { identifier: undefined }, { changed: [], replaces: [] }],
  ["identifier declared equal", {}, { identifier: "production-aws" }, { changed: [], replaces: [] }],
  ["identifier declared different", {}, { identifier: "prod" }, { changed: ["identifier"], replaces: [] }],
  ["rename", {}, { name: "Production AWS 2" }, { changed: ["name"], replaces: [], verify: false }],
  ["extra changed", {}, { extra: { region: "eu-west-1" } }, { changed: ["extra"], replaces: [] }],
  ["extra key order is not a change", { extra: { a: "1", b: "2" } }, { extra: { b: "2", a: "1" } }, { changed: [], replaces: [] }],
  ["extra not declared is not managed", {}, { extra: undefined }, { changed: [], replaces: [] }],
  ["auth changed re-verifies", {}, { auth: { keyId: "AKIAABCDEFGHIJKLMNOQ", secret: "s3cr3t" } }, { changed: ["auth"], replaces: [], verify: true }],
  ["auth field removed", {}, { auth: { keyId: "AKIAABCDEFGHIJKLMNOP" } }, { changed: ["auth"], replaces: [], verify: true }],
  ["vendor change replaces", {}, { vendor: "gcp" }, { changed: ["vendor"], replaces: ["vendor"] }],
  ["explicit hub change replaces", {}, { hubId: OTHER_HUB }, { changed: ["hubId"], replaces: ["hubId"] }],
  ["explicit hub equal to current", {}, { hubId: HUB }, { changed: [], replaces: [] }],
  ["not editable: rename replaces", { editable: false }, { name: "Production AWS 2" }, { changed: ["name"], replaces: ["name"] }],
  ["not editable, no change", { editable: false }, {}, { changed: [], replaces: [] }],
  ["single-instance vendor replaces delete-first", { supportsMultiple: false }, { vendor: "gcp" }, { changed: ["vendor"], replaces: ["vendor"], dbr: true }],
  ["failed verification is retried", { verified: false, state: "new" }, {}, { changed: ["verified"], replaces: [], verify: true }],
  ["verify turned off: no pending verification", { verified: false, state: "new" }, { verify: false }, { changed: ["verify"], replaces: [], verify: false }],
  ["timeout setting changes update only state", {}, { verifyTimeoutSeconds: 60 }, { changed: ["verifyTimeoutSeconds"], replaces: [] }],
  ["unknown name during preview", {}, { name: UNKNOWN }, { changed: ["name"], replaces: [] }],
  ["unknown auth during preview", {}, { auth: { keyId: UNKNOWN } }, { changed: ["auth"], replaces: [] }],
  ["auth removed from the program: recorded, not sent, not verified", {}, { auth: undefined }, { changed: ["auth"], replaces: [], verify: false }],
  ["a new verifyTrigger verifies unchanged credentials", {}, { verifyTrigger: "2026-11-29" }, { changed: ["verifyTrigger"], replaces: [], verify: true }],
  ["a changed verifyTrigger verifies again", { verifyTrigger: "a" }, { verifyTrigger: "b" }, { changed: ["verifyTrigger"], replaces: [], verify: true }],
  ["the same verifyTrigger is no change", { verifyTrigger: "a" }, { verifyTrigger: "a" }, { changed: [], replaces: [] }],
  ["a removed verifyTrigger verifies nothing", { verifyTrigger: "a" }, {}, { changed: ["verifyTrigger"], replaces: [], verify: false }],
  [
    "a verifyTrigger on a vendor without verification verifies nothing",
    { supportsVerification: false },
    { verifyTrigger: "b" },
    { changed: ["verifyTrigger"], replaces: [], verify: false },
  ],
  ["a connection setting changes the record only", {}, { apiUrl: "https://api.cycle.io" }, { changed: ["apiUrl"], replaces: [], verify: false }],
];

describe("diffIntegration", () => {
  test.each(cases)("%s", (_name, oldOver, newOver, want) => {
    const d = diffIntegration({ ...olds, ...oldOver }, { ...same, ...newOver }, { defaultHubId: HUB });
    expect(d.changed.sort()).toEqual(want.changed.sort());
    expect(d.replaces.sort()).toEqual(want.replaces.sort());
    expect(d.changes).toBe(want.changed.length > 0);
    if (want.verify !== undefined) expect(d.needsVerification).toBe(want.verify);
    if (want.dbr !== undefined) expect(d.deleteBeforeReplace).toBe(want.dbr);
  });

  test("a change of the configured hub replaces resources that did not name one", () => {
    const d = diffIntegration(olds, same, { defaultHubId: OTHER_HUB });
    expect(d.replaces).toEqual(["hubId"]);
  });

  test("changes is always a boolean", () => {
    for (const [, o, n] of cases) {
      expect(typeof diffIntegration({ ...olds, ...o }, { ...same, ...n }, { defaultHubId: HUB }).changes).toBe("boolean");
    }
  });
});
