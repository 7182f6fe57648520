/**
 * The Integration resource class under Pulumi's mocks: every documented
 * output is an Output property (the SDK only creates those it is given),
 * and the type token is the documented one.
 */
import * as pulumi from "@pulumi/pulumi";

const registered: pulumi.runtime.MockResourceArgs[] = [];

void pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: "651586fca6078e98982dbd90", state: { ...args.inputs, identifier: args.inputs.identifier ?? "derived-id", state: "live", verified: true } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

test("outputs exist for undeclared optional inputs, and the type token is stable", async () => {
  const { Integration } = await import("../../provider/resource/integration");
  const i = new Integration("x", { vendor: "aws", name: "Production AWS", auth: { keyId: "AKIAIOSFODNN7EXAMPLE" } });
  for (const key of [
    "identifier",
    "extra",
    "hubId",
    "state",
    "verified",
    "integrationId",
    "stateError",
    "lastVerifyJobId",
    "supportsVerification",
    "editable",
    "supportsMultiple",
    "createdAt",
    "updatedAt",
    "creatorType",
  ]) {
    expect(pulumi.Output.isInstance((i as unknown as Record<string, unknown>)[key])).toBe(true);
  }
  expect(await value(i.identifier)).toBe("derived-id");
  expect(await value(i.state)).toBe("live");
  expect(registered[0].type).toBe("pulumi-nodejs:dynamic/cycle:Integration");
  expect(typeof registered[0].inputs.__provider).toBe("string");
});

test("auth is made secret even when the program passed it plain", async () => {
  const { Integration } = await import("../../provider/resource/integration");
  const i = new Integration("y", { vendor: "aws", name: "Production AWS", auth: { keyId: "AKIAIOSFODNN7EXAMPLE" } });
  expect(await pulumi.isSecret(i.auth)).toBe(true);
});

test("a key the resource does not know reaches the provider, which names it at check, instead of being dropped", async () => {
  const { Integration } = await import("../../provider/resource/integration");
  // As a JavaScript program passes it: no types to catch the spelling.
  const args: Record<string, unknown> = { vendor: "aws", name: "Production AWS", adoptID: "651586fca6078e98982dbd90" };
  new Integration("misspelt", args as unknown as import("../../provider/resource/integration").IntegrationArgs);
  await new Promise((r) => setImmediate(r));
  const inputs = registered.find((r) => r.name === "misspelt")?.inputs;
  expect(inputs).toMatchObject({ adoptID: "651586fca6078e98982dbd90" });
  expect(inputs).not.toHaveProperty("adoptId");
});

test("apiKey is made secret even when the program passed it plain", async () => {
  const { Integration } = await import("../../provider/resource/integration");
  const i = new Integration("z", { vendor: "aws", name: "Production AWS", apiKey: "plain-key-value" });
  expect(await pulumi.isSecret(i.apiKey)).toBe(true);
});
