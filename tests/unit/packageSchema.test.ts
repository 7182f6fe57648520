/**
 * The Pulumi package schema built from the resource's one description: the
 * facts a native plugin, its SDKs and `pulumi package get-schema` rely on.
 */
import { AUTH_TOKEN, INTEGRATION_TOKEN, packageSchema } from "../../provider/resource/packageSchema";
import { INPUT_NAMES, OUTPUT_NAMES } from "../../provider/resource/schema";

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
