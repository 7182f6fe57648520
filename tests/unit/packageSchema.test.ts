/**
 * The Pulumi package schema built from the resource's one description: the
 * facts a native plugin, its SDKs and `pulumi package get-schema` rely on.
 */
import { AUTH_TOKEN, INTEGRATION_TOKEN, packageSchema } from "../../provider/resource/packageSchema";
import { INPUT_NAMES, OUTPUT_NAMES } from "../../provider/resource/schema";
import { FUNCTIONS, GET_INTEGRATION_ARGS, INTEGRATION_FIELDS } from "../../provider/resource/functionSchema";

const schema = packageSchema("0.1.0");
const integration = schema.resources[INTEGRATION_TOKEN];

test("package name, version and the one resource", () => {
  expect(schema.name).toBe("cycle");
  expect(schema.version).toBe("0.1.0");
  expect(Object.keys(schema.resources)).toEqual(["cycle:index:Integration"]);
  expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
});

test("every input and output, each with a description", () => {
  expect(Object.keys(integration.inputProperties)).toEqual(INPUT_NAMES);
  expect(Object.keys(integration.properties).sort()).toEqual([...new Set([...INPUT_NAMES, ...OUTPUT_NAMES])].sort());
  for (const p of [...Object.values(integration.inputProperties), ...Object.values(integration.properties)]) expect(p.description.length).toBeGreaterThan(10);
  expect(integration.requiredInputs).toEqual(["vendor", "name"]);
  expect(integration.required).toEqual(expect.arrayContaining(["vendor", "name", "identifier", "hubId", "integrationId", "state", "verified"]));
  expect(integration.required).not.toContain("stateError");
});

test("types: strings, booleans, integers with defaults, a string map, and the credentials object", () => {
  expect(integration.inputProperties.vendor.type).toBe("string");
  expect(integration.inputProperties.verify.type).toBe("boolean");
  expect(integration.inputProperties.verifyTimeoutSeconds).toMatchObject({ type: "integer", default: 300 });
  expect(integration.inputProperties.deleteTimeoutSeconds).toMatchObject({ type: "integer", default: 300 });
  expect(integration.inputProperties.extra).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
  expect(integration.inputProperties.auth.$ref).toBe(`#/types/${AUTH_TOKEN}`);
  expect(Object.keys(schema.types[AUTH_TOKEN].properties)).toEqual([
    "region",
    "namespace",
    "apiKey",
    "keyId",
    "secret",
    "subscriptionId",
    "clientId",
    "base64Config",
  ]);
});

test("secrets: auth and apiKey, as inputs and outputs; nothing else", () => {
  for (const bag of [integration.inputProperties, integration.properties]) {
    expect(Object.keys(bag).filter((k) => bag[k].secret)).toEqual(["auth", "apiKey"]);
  }
});

test("replacement: vendor and hubId", () => {
  for (const bag of [integration.inputProperties, integration.properties]) {
    expect(Object.keys(bag).filter((k) => bag[k].willReplaceOnChanges)).toEqual(["vendor", "hubId"]);
  }
});

test("provider config: apiKey (secret), hubId, apiUrl, each with its environment variable", () => {
  expect(schema.config.variables).toEqual({
    apiKey: expect.objectContaining({ type: "string", secret: true, defaultInfo: { environment: ["CYCLE_API_KEY"] } }),
    hubId: expect.objectContaining({ type: "string", defaultInfo: { environment: ["CYCLE_HUB_ID"] } }),
    apiUrl: expect.objectContaining({ type: "string", defaultInfo: { environment: ["CYCLE_API_URL"] } }),
  });
  expect(schema.config.variables.hubId.secret).toBeUndefined();
  expect(schema.provider.inputProperties).toEqual(schema.config.variables);
});

describe("functions", () => {
  test("the three lookups, each argument and result field described, from the one description", () => {
    expect(Object.keys(schema.functions)).toEqual(["cycle:index:getIntegration", "cycle:index:getIntegrations", "cycle:index:getAvailableIntegrations"]);
    for (const [token, fn] of Object.entries(schema.functions)) {
      expect(fn.description).toBe(FUNCTIONS[token].doc);
      expect(Object.keys(fn.inputs.properties)).toEqual(Object.keys(FUNCTIONS[token].args));
      expect(Object.keys(fn.outputs.properties)).toEqual(Object.keys(FUNCTIONS[token].result));
      for (const p of [...Object.values(fn.inputs.properties), ...Object.values(fn.outputs.properties)]) expect(p.description.length).toBeGreaterThan(10);
    }
    const get = schema.functions["cycle:index:getIntegration"];
    expect(get.inputs.properties.id.description).toBe(GET_INTEGRATION_ARGS.id.doc);
    // id, or vendor and identifier: none is required on its own.
    expect(get.inputs.required).toBeUndefined();
    expect(get.outputs.properties).not.toHaveProperty("auth");
    expect(get.outputs.required).toEqual(Object.keys(INTEGRATION_FIELDS).filter((k) => !["extra", "stateError", "creatorType"].includes(k)));
    expect(get.outputs.properties.extra).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
  });

  test("lists and nested objects refer to named types, each defined", () => {
    expect(schema.functions["cycle:index:getIntegrations"].outputs.properties.integrations).toMatchObject({
      type: "array",
      items: { $ref: "#/types/cycle:index:IntegrationSummary" },
    });
    expect(schema.functions["cycle:index:getIntegrations"].inputs.properties.filter.$ref).toBe("#/types/cycle:index:IntegrationFilter");
    const refs = JSON.stringify(schema).match(/#\/types\/[^"]+/g) ?? [];
    for (const ref of new Set(refs)) expect(schema.types).toHaveProperty([ref.slice("#/types/".length)]);
    expect(schema.types["cycle:index:IntegrationDefinition"].properties.authFields).toMatchObject({
      additionalProperties: { $ref: "#/types/cycle:index:IntegrationDefinitionField" },
    });
  });
});

test("SDK settings: a pack per language, the Node.js SDK not named like the dynamic package", () => {
  expect(schema.meta.supportPack).toBe(true);
  expect(schema.language.nodejs.packageName).toBe("@pulumi-cycle/cycle");
  expect(schema.language.python).toMatchObject({ packageName: "pulumi_cycle", pyproject: { enabled: true } });
  expect(schema.language.go.importBasePath).toMatch(/\/sdk\/go\/cycle$/);
});
