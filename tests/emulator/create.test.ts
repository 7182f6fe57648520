/** POST /v1/hubs/current/integrations: the resource it makes and every validation rule. */
import { AUTH_FIELDS, ID_PATTERN, Integration, ZERO_TIME } from "../../provider/api/contract";
import { definitionOf, EmulatorHandle, startEmulator, VENDORS } from "../../emulator";
import { AWS_KEY_ID, AWS_SECRET, call, create, dataOf, expectError, paths, SAMPLE_BODIES } from "./helpers";

let h: EmulatorHandle;

beforeAll(async () => {
  // These tests read back what was stored and when, so they ask for the lenient echo, creator and clock explicitly.
  h = await startEmulator({ jobStepMs: 5, deleteGraceMs: 50, echoAuth: true, creatorType: "api-key", clockOffsetMs: 0 });
});
afterAll(() => h.close());

const post = (body: unknown) => call(h, "POST", paths.integrations, { body });
const aws = SAMPLE_BODIES.aws;

describe("a created integration", () => {
  it("answers 201 with the full resource", async () => {
    const before = Date.now();
    const r = await post(aws);
    expect(r.status).toBe(201);
    const i = dataOf<Integration>(r);
    expect(i.id).toMatch(ID_PATTERN);
    expect(i).toMatchObject({
      name: "Production AWS",
      vendor: "aws",
      identifier: "production-aws",
      extra: null,
      creator: { type: "api-key", id: h.keyIds.admin },
      hub_id: h.hubs.primary,
      state: { current: "new" },
    });
    expect(i.state.error).toBeUndefined();
    expect(i.events.deleted).toBe(ZERO_TIME);
    expect(Date.parse(i.events.created)).toBeGreaterThanOrEqual(before - 5);
    expect(i.events.updated).toBe(i.events.created);
    expect(i.state.changed).toBe(i.events.created);
    expect(i).not.toHaveProperty("meta");
  });

  it("echoes auth as all eight fields, null where not given", async () => {
    const i = await create(h, aws);
    expect(Object.keys(i.auth!).sort()).toEqual([...AUTH_FIELDS].sort());
    expect(i.auth).toMatchObject({ key_id: AWS_KEY_ID, secret: AWS_SECRET, region: null, api_key: null });
  });

  it("has auth null for a vendor without auth fields", async () => {
    const i = await create(h, SAMPLE_BODIES[VENDORS.letsEncrypt]);
    expect(i.auth).toBeNull();
    expect(i.extra).toEqual({ email: "ops@example.com" });
  });

  it("gets random, distinct IDs", async () => {
    const a = await create(h, { ...aws, name: "Random ID one" });
    const b = await create(h, { ...aws, name: "Random ID two" });
    expect(a.id).not.toBe(b.id);
  });

  it("can be created for every usable, non-deprecated vendor", async () => {
    const vendors = Object.values(VENDORS).filter((v) => {
      const d = definitionOf(v)!;
      return d.usable && !d.deprecated && d.supports_multiple;
    });
    for (const v of vendors) {
      const r = await post(SAMPLE_BODIES[v]);
      expect({ vendor: v, status: r.status }).toEqual({ vendor: v, status: 201 });
    }
  });

  it("embeds the definition with meta=definition", async () => {
    const r = await call(h, "POST", `${paths.integrations}?meta=definition`, { body: SAMPLE_BODIES[VENDORS.backblazeB2] });
    const i = dataOf<Integration>(r);
    expect(i.meta?.definition).toEqual(definitionOf(VENDORS.backblazeB2));
  });
});

describe("identifier", () => {
  it.each([
    ["My Container", "my-container"],
    ["  Prod -- AWS (EU) ", "prod-aws-eu"],
    ["Backups_2024!", "backups-2024"],
    ["ÜBER cloud", "ber-cloud"],
  ])("is tokenized from %j as %j when not given", async (name, identifier) => {
    const i = await create(h, { ...aws, name });
    expect(i.identifier).toBe(identifier);
  });

  it("is kept as given", async () => {
    const i = await create(h, { ...aws, name: "Given identifier", identifier: "aws-prod-eu" });
    expect(i.identifier).toBe("aws-prod-eu");
  });

  it("need not be unique", async () => {
    const a = await create(h, { ...aws, name: "Same identifier", identifier: "dup-ident" });
    const b = await create(h, { ...aws, name: "Same identifier", identifier: "dup-ident" });
    expect(a.identifier).toBe(b.identifier);
  });

  it("must be at least 3 characters (given or derived)", async () => {
    expectError(await post({ ...aws, identifier: "ab" }), "422.invalid-argument", "/identifier");
    expectError(await post({ ...aws, name: "!! ab !!" }), "422.invalid-argument", "/name");
  });
});

describe("validation", () => {
  const cases: Array<[string, unknown, string, string]> = [
    ["missing vendor", { name: "No vendor here" }, "422.missing-argument", "/vendor"],
    ["empty vendor", { name: "No vendor here", vendor: "" }, "422.missing-argument", "/vendor"],
    ["unknown vendor", { name: "Unknown vendor", vendor: "digitalocean" }, "422.invalid-argument", "/vendor"],
    ["deprecated vendor", SAMPLE_BODIES[VENDORS.equinixMetal], "422.invalid-argument", "/vendor"],
    ["vendor not usable", SAMPLE_BODIES[VENDORS.dockerBuildCloud], "403.not-allowed", "/vendor"],
    ["missing name", { vendor: "aws", auth: aws.auth }, "422.missing-argument", "/name"],
    ["short name", { ...aws, name: "abcd" }, "422.invalid-argument", "/name"],
    ["blank name", { ...aws, name: "      " }, "422.invalid-argument", "/name"],
    ["short identifier", { ...aws, identifier: "ab" }, "422.invalid-argument", "/identifier"],
    ["missing auth", { name: "No auth given", vendor: "aws" }, "422.missing-argument", "/auth/key_id"],
    ["missing required auth field", { ...aws, auth: { key_id: AWS_KEY_ID } }, "422.missing-argument", "/auth/secret"],
    ["empty required auth field", { ...aws, auth: { key_id: AWS_KEY_ID, secret: "" } }, "422.missing-argument", "/auth/secret"],
    ["null required auth field", { ...aws, auth: { key_id: null, secret: AWS_SECRET } }, "422.missing-argument", "/auth/key_id"],
    ["auth value failing its regex", { ...aws, auth: { key_id: "AKIA123", secret: AWS_SECRET } }, "422.invalid-argument", "/auth/key_id"],
    ["auth field the vendor does not define", { ...aws, auth: { ...aws.auth, api_key: "abc" } }, "422.invalid-argument", "/auth/api_key"],
    ["auth key that is no auth field", { ...aws, auth: { ...aws.auth, password: "x" } }, "422.invalid-input", "/auth/password"],
    ["auth value of the wrong type", { ...aws, auth: { key_id: 12, secret: AWS_SECRET } }, "422.invalid-input", "/auth/key_id"],
    ["auth not an object", { ...aws, auth: "AKIA" }, "422.invalid-input", "/auth"],
    ["auth null", { ...aws, auth: null }, "422.invalid-input", "/auth"],
    ["missing required extra", { ...SAMPLE_BODIES[VENDORS.backblazeB2], extra: {} }, "422.missing-argument", "/extra/bucket"],
    ["extra failing its regex", { ...SAMPLE_BODIES[VENDORS.backblazeB2], extra: { bucket: "Bad_Bucket" } }, "422.invalid-argument", "/extra/bucket"],
    [
      "extra select not in options",
      { ...SAMPLE_BODIES[VENDORS.backblazeB2], extra: { bucket: "my-backups", region: "mars-1" } },
      "422.invalid-argument",
      "/extra/region",
    ],
    [
      "extra int not an integer",
      { ...SAMPLE_BODIES[VENDORS.awsS3], extra: { bucket: "my-bucket", retention_days: "ten" } },
      "422.invalid-argument",
      "/extra/retention_days",
    ],
    [
      "extra key the vendor does not define",
      { ...SAMPLE_BODIES[VENDORS.backblazeB2], extra: { bucket: "my-backups", prefix: "x" } },
      "422.invalid-argument",
      "/extra/prefix",
    ],
    ["extra on a vendor without extra fields", { ...aws, extra: { foo: "bar" } }, "422.invalid-argument", "/extra/foo"],
    ["extra value of the wrong type", { ...SAMPLE_BODIES[VENDORS.backblazeB2], extra: { bucket: 42 } }, "422.invalid-input", "/extra/bucket"],
    ["email failing its regex", { ...SAMPLE_BODIES[VENDORS.letsEncrypt], extra: { email: "not-an-email" } }, "422.invalid-argument", "/extra/email"],
    ["auth on a vendor without auth", { ...SAMPLE_BODIES[VENDORS.letsEncrypt], auth: { api_key: "x" } }, "422.invalid-argument", "/auth/api_key"],
    ["unknown top-level property", { ...aws, region: "us-east-1" }, "422.invalid-input", "/region"],
    ["state in the body", { ...aws, state: { current: "live" } }, "422.invalid-input", "/state"],
    ["name of the wrong type", { ...aws, name: 12345 }, "422.invalid-input", "/name"],
    ["vendor of the wrong type", { ...aws, vendor: ["aws"] }, "422.invalid-input", "/vendor"],
    ["identifier of the wrong type", { ...aws, identifier: 123 }, "422.invalid-input", "/identifier"],
    ["identifier null", { ...aws, identifier: null }, "422.invalid-input", "/identifier"],
  ];

  it.each(cases)("refuses %s", async (_what, body, code, source) => {
    const before = h.integrations().length;
    expectError(await post(body), code, source);
    expect(h.integrations().length).toBe(before);
  });

  it("accepts optional fields left out", async () => {
    const b2 = SAMPLE_BODIES[VENDORS.backblazeB2];
    const i = await create(h, { ...b2, extra: { bucket: "my-backups" } });
    expect(i.extra).toEqual({ bucket: "my-backups" });
  });

  it("accepts nulls for auth fields the vendor does not define (an echoed auth object)", async () => {
    const i = await create(h, { ...aws, auth: { ...aws.auth, region: null, api_key: null } });
    expect(i.auth?.region).toBeNull();
  });
});

describe("supports_multiple: false", () => {
  it("refuses a second integration of the vendor in the hub with 409.duplicate-found", async () => {
    const first = await create(h, SAMPLE_BODIES.stripe);
    expectError(await post({ ...SAMPLE_BODIES.stripe, name: "Second Stripe" }), "409.duplicate-found", "/vendor");
    // Another hub is unaffected.
    await create(h, SAMPLE_BODIES.stripe, { key: h.keys.otherHub, hub: h.hubs.secondary });

    // While the first is deleting it still counts; once deleted the vendor is free.
    expect((await call(h, "DELETE", paths.integration(first.id))).status).toBe(202);
    expectError(await post(SAMPLE_BODIES.stripe), "409.duplicate-found", "/vendor");
    h.outOfBand.delete(first.id);
    expect((await post(SAMPLE_BODIES.stripe)).status).toBe(201);
  });
});
