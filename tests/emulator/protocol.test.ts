/** Envelope, content types, routing, IDs, query parameters and the catalogue. */
import { AvailableIntegrations, INTEGRATION_CATEGORIES, Integration } from "../../provider/api/contract";
import { CATALOGUE, EmulatorHandle, startEmulator, VENDORS } from "../../emulator";
import { call, create, dataOf, expectError, paths, SAMPLE_BODIES } from "./helpers";

let h: EmulatorHandle;
let integration: Integration;

beforeAll(async () => {
  h = await startEmulator({ jobStepMs: 5 });
  integration = await create(h, SAMPLE_BODIES.aws);
});
afterAll(() => h.close());

describe("root document", () => {
  it("wraps success in {data} and answers JSON", async () => {
    const r = await call(h, "GET", paths.integration(integration.id));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(r.doc!)).toEqual(["data"]);
  });

  it("wraps errors in {error, data: null} with status, code, title, detail", async () => {
    const r = await call(h, "GET", paths.integration("aaaaaaaaaaaaaaaaaaaaaaaa"));
    const e = expectError(r, "404.hub.integration");
    expect(Object.keys(r.doc!).sort()).toEqual(["data", "error"]);
    expect(e.title).toBeTruthy();
    expect(e.detail).toBeTruthy();
  });
});

describe("request bodies", () => {
  it("refuses a POST body that is not application/json (415)", async () => {
    const body = JSON.stringify(SAMPLE_BODIES.aws);
    expectError(await call(h, "POST", paths.integrations, { rawBody: body }), "415.invalid-content-type");
    expectError(await call(h, "POST", paths.integrations, { rawBody: body, contentType: "text/plain" }), "415.invalid-content-type");
    expectError(
      await call(h, "PATCH", paths.integration(integration.id), { rawBody: '{"name":"Other name"}', contentType: "application/x-www-form-urlencoded" }),
      "415.invalid-content-type",
    );
    expectError(await call(h, "POST", paths.tasks(integration.id), { rawBody: '{"action":"verify"}' }), "415.invalid-content-type");
  });

  it("accepts application/json with a charset", async () => {
    const r = await call(h, "PATCH", paths.integration(integration.id), {
      rawBody: '{"name":"Production AWS"}',
      contentType: "application/json; charset=utf-8",
    });
    expect(r.status).toBe(200);
  });

  it("refuses unparseable JSON (400.invalid-syntax)", async () => {
    expectError(await call(h, "POST", paths.integrations, { rawBody: '{"name": "x",', contentType: "application/json" }), "400.invalid-syntax");
    expectError(await call(h, "POST", paths.integrations, { rawBody: "", contentType: "application/json" }), "400.invalid-syntax");
  });

  it("refuses JSON that is not an object (422.invalid-input)", async () => {
    expectError(await call(h, "POST", paths.integrations, { body: [SAMPLE_BODIES.aws] }), "422.invalid-input");
    expectError(await call(h, "POST", paths.integrations, { body: "aws" }), "422.invalid-input");
  });
});

describe("routing", () => {
  it("answers 404.uri for unknown paths", async () => {
    expectError(await call(h, "GET", "/v1/hubs/current/widgets"), "404.uri");
    expectError(await call(h, "GET", "/v1/integrations"), "404.uri");
    expectError(await call(h, "GET", `${paths.integrations}/`), "404.uri");
    expectError(await call(h, "GET", "/"), "404.uri");
  });

  it("answers 404.uri for a wrong method on a known path", async () => {
    expectError(await call(h, "PUT", paths.integration(integration.id), { body: {} }), "404.uri");
    expectError(await call(h, "DELETE", paths.integrations), "404.uri");
    expectError(await call(h, "GET", paths.tasks(integration.id)), "404.uri");
    expectError(await call(h, "POST", paths.available, { body: {} }), "404.uri");
    expectError(await call(h, "DELETE", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa")), "404.uri");
  });

  it("treats a malformed ID as a missing resource of its kind", async () => {
    expectError(await call(h, "GET", paths.integration("123")), "404.hub.integration");
    expectError(await call(h, "GET", paths.integration(integration.id.toUpperCase())), "404.hub.integration");
    expectError(await call(h, "PATCH", paths.integration("nope"), { body: { name: "Whatever" } }), "404.hub.integration");
    expectError(await call(h, "DELETE", paths.integration("nope")), "404.hub.integration");
    expectError(await call(h, "POST", paths.tasks("nope"), { body: { action: "verify" } }), "404.hub.integration");
    expectError(await call(h, "GET", paths.job("nope")), "404.job");
    expectError(await call(h, "GET", paths.job("aaaaaaaaaaaaaaaaaaaaaaaa")), "404.job");
  });
});

describe("query parameters", () => {
  it("refuses unknown or repeated parameters (422.invalid-argument)", async () => {
    expectError(await call(h, "GET", `${paths.integrations}?pagesize=5`), "422.invalid-argument");
    expectError(await call(h, "GET", `${paths.integrations}?page[size]=5&page[size]=6`), "422.invalid-argument");
    expectError(await call(h, "GET", `${paths.integration(integration.id)}?include=creators`), "422.invalid-argument");
    expectError(await call(h, "GET", `${paths.available}?meta=definition`), "422.invalid-argument");
    expectError(await call(h, "GET", `${paths.job("aaaaaaaaaaaaaaaaaaaaaaaa")}?meta=definition`), "422.invalid-argument");
  });

  it("refuses unknown meta values on every call that takes meta", async () => {
    expectError(await call(h, "GET", `${paths.integration(integration.id)}?meta=definition,creator`), "422.invalid-argument");
    expectError(await call(h, "GET", `${paths.integrations}?meta=nope`), "422.invalid-argument");
    expectError(await call(h, "POST", `${paths.integrations}?meta=x`, { body: SAMPLE_BODIES.vultr }), "422.invalid-argument");
    expectError(await call(h, "DELETE", `${paths.integration(integration.id)}?meta=x`), "422.invalid-argument");
    // Nothing was created or deleted by the refused calls.
    expect(h.integrations().map((i) => i.state.current)).toEqual(["new"]);
  });
});

describe("available", () => {
  it("lists every category with the catalogue's definitions", async () => {
    const data = dataOf<AvailableIntegrations>(await call(h, "GET", paths.available));
    expect(Object.keys(data).sort()).toEqual([...INTEGRATION_CATEGORIES].sort());
    for (const c of INTEGRATION_CATEGORIES) {
      expect(data[c]!.map((d) => d.vendor)).toEqual(CATALOGUE.filter((e) => e.category === c).map((e) => e.definition.vendor));
    }
    const s3 = data["object-storage"]!.find((d) => d.vendor === VENDORS.awsS3)!;
    expect(s3.extends).toEqual(["backups"]);
    expect(s3.fields.extra?.bucket).toMatchObject({ required: true, regex: expect.any(String) });
  });

  it("covers every flag the contract names", () => {
    const defs = CATALOGUE.map((e) => e.definition);
    expect(defs.some((d) => !d.supports_verification)).toBe(true);
    expect(defs.some((d) => !d.supports_multiple)).toBe(true);
    expect(defs.some((d) => !d.editable)).toBe(true);
    expect(defs.some((d) => d.deprecated)).toBe(true);
    expect(defs.some((d) => !d.usable)).toBe(true);
  });
});
