import type { IntegrationDefinition } from "../../provider/api/types";
import { checkDeclaration } from "../../provider/resource/parse";
import { validateAgainstDefinition } from "../../provider/resource/validate";
import type { IntegrationInputs } from "../../provider/resource/model";
import { UNKNOWN } from "../../provider/resource/unknown";

const def = (over: Partial<IntegrationDefinition> = {}): IntegrationDefinition => ({
  vendor: "aws",
  name: "Amazon Web Services",
  supports_verification: true,
  supports_multiple: true,
  features: null,
  extends: null,
  extended_configuration: null,
  fields: {
    auth: {
      key_id: { name: "Access Key ID", required: true, regex: "^AKIA[0-9A-Z]{16}$" },
      secret: { name: "Secret Access Key", required: true },
    },
    extra: {
      region: { name: "Region", required: false, type: "select", options: ["us-east-1", "eu-west-1"] },
      retries: { name: "Retries", required: false, type: "int" },
    },
  },
  url: "https://aws.amazon.com",
  public: true,
  usable: true,
  deprecated: false,
  editable: true,
  ...over,
});

/** The failures of a declaration's check without the API. */
const validateShape = (raw: Record<string, unknown>) => checkDeclaration(raw).failures;

const good: IntegrationInputs = {
  vendor: "aws",
  name: "Production AWS",
  auth: { keyId: "AKIAABCDEFGHIJKLMNOP", secret: "s3cr3t-value" },
};

describe("validateShape", () => {
  test("accepts well-formed inputs", () => {
    expect(validateShape({ ...good, __provider: "x" })).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["missing vendor", { name: "Production" }, "vendor", /vendor is required/],
    ["missing name", { vendor: "aws" }, "name", /name is required/],
    ["short name", { vendor: "aws", name: "abc" }, "name", /at least 5 characters/],
    ["short identifier", { vendor: "aws", name: "Production", identifier: "ab" }, "identifier", /at least 3 characters/],
    ["unknown property", { vendor: "aws", name: "Production", colour: "red" }, "colour", /unknown property/],
    ["unknown auth field", { vendor: "aws", name: "Production", auth: { password: "x" } }, "auth.password", /unknown credential field/],
    // The engine prints the value of the property a failure names: a failure about a secret names none, its reason does.
    ["auth not an object", { vendor: "aws", name: "Production", auth: "x" }, "", /^auth must be an object/],
    ["non-string auth", { vendor: "aws", name: "Production", auth: { keyId: 5 } }, "auth.keyId", /must be a string/],
    ["non-string extra", { vendor: "aws", name: "Production", extra: { a: 1 } }, "extra.a", /must be a string/],
    ["bad hubId", { vendor: "aws", name: "Production", hubId: "hub-1" }, "hubId", /24 lowercase hex/],
    ["bad adoptId", { vendor: "aws", name: "Production", adoptId: "ABC" }, "adoptId", /24 lowercase hex/],
    ["zero timeout", { vendor: "aws", name: "Production", verifyTimeoutSeconds: 0 }, "verifyTimeoutSeconds", /whole number/],
    ["fractional timeout", { vendor: "aws", name: "Production", deleteTimeoutSeconds: 1.5 }, "deleteTimeoutSeconds", /whole number/],
    ["verify not boolean", { vendor: "aws", name: "Production", verify: "yes" }, "verify", /true or false/],
    [
      "adopt both ways",
      { vendor: "aws", name: "Production", identifier: "prod", adoptId: "651586fca6078e98982dbd90", adoptByIdentifier: true },
      "adoptId",
      /not both/,
    ],
    ["adopt by identifier without one", { vendor: "aws", name: "Production", adoptByIdentifier: true }, "adoptByIdentifier", /needs `identifier`/],
  ])("%s", (_case, raw, property, reason) => {
    const failures = validateShape(raw);
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  test("unknown values (preview) are not judged", () => {
    expect(validateShape({ vendor: UNKNOWN, name: UNKNOWN, identifier: UNKNOWN, hubId: UNKNOWN, auth: { keyId: UNKNOWN } })).toEqual([]);
  });
});

describe("validateAgainstDefinition", () => {
  const run = (inputs: IntegrationInputs, d = def(), existing = false) => validateAgainstDefinition(inputs, { definition: d, existing });

  test("accepts valid inputs", () => expect(run(good)).toEqual([]));

  test.each<[string, IntegrationInputs, Partial<IntegrationDefinition>, boolean, string, RegExp]>([
    ["missing required auth field", { ...good, auth: { keyId: "AKIAABCDEFGHIJKLMNOP" } }, {}, false, "auth.secret", /requires auth.secret/],
    ["no auth at all", { vendor: "aws", name: "Production" }, {}, false, "auth.keyId", /requires auth.keyId/],
    ["regex mismatch", { ...good, auth: { keyId: "nope", secret: "x" } }, {}, false, "auth.keyId", /does not match the pattern/],
    ["auth field the vendor lacks", { ...good, auth: { ...good.auth, region: "x" } }, {}, false, "auth.region", /has no credential field/],
    ["extra key the vendor lacks", { ...good, extra: { colour: "red" } }, {}, false, "extra.colour", /has no setting/],
    ["select option", { ...good, extra: { region: "mars-1" } }, {}, false, "extra.region", /must be one of us-east-1, eu-west-1/],
    ["int field", { ...good, extra: { retries: "three" } }, {}, false, "extra.retries", /whole number/],
    ["deprecated vendor, new integration", good, { deprecated: true }, false, "vendor", /deprecated/],
    ["unusable vendor", good, { usable: false }, false, "vendor", /cannot be used/],
    ["verify on a vendor without verification", { ...good, verify: true }, { supports_verification: false }, false, "verify", /does not support verification/],
  ])("%s", (_case, inputs, over, existing, property, reason) => {
    expect(run(inputs, def(over), existing)).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  test("an integration that exists may leave auth out (its credentials are not managed); a new one may not", () => {
    const bare = { vendor: "aws", name: "Production" } as IntegrationInputs;
    expect(run(bare, def(), true)).toEqual([]);
    expect(run(bare, def(), false).map((f) => f.property)).toContain("auth.keyId");
  });

  test("a deprecated vendor is fine for an integration that already exists", () => {
    expect(run(good, def({ deprecated: true }), true)).toEqual([]);
  });

  test("credential values are never quoted in a reason", () => {
    const failures = run({ ...good, auth: { keyId: "AKIA-not-valid-secret", secret: "x" } });
    expect(failures.length).toBeGreaterThan(0);
    expect(JSON.stringify(failures)).not.toContain("AKIA-not-valid-secret");
  });
});
