/**
 * The one parser of the Integration's properties: what a program declares
 * (check at preview: unknown keys with the nearest known one, types,
 * limits, a name whose derived identifier the API refuses) and what the
 * engine hands back from state. No message quotes a value.
 */
import * as fs from "fs";
import * as path from "path";
import { checkDeclaration, InvalidPropertiesError, parseInputs, parsePreviewInputs, parseRecorded, suggestion } from "../../provider/resource/parse";
import { UNKNOWN } from "../../provider/resource/unknown";

const base = { vendor: "aws", name: "Production AWS" };
const failuresOf = (raw: Record<string, unknown>, creating = true) => checkDeclaration(raw, { creating }).failures;

describe("check: unknown and misspelt keys", () => {
  test.each<[string, string]>([
    ["adoptID", "adoptId"],
    ["hubID", "hubId"],
    ["verifyTimeout", "verifyTimeoutSeconds"],
    ["identifer", "identifier"],
    ["Name", "name"],
  ])("`%s` names `%s`", (key, near) => {
    expect(failuresOf({ ...base, [key]: "x" })).toContainEqual({ property: key, reason: `unknown property \`${key}\`; did you mean \`${near}\`?` });
  });

  test("a key far from every known one is named without a guess", () => {
    expect(failuresOf({ ...base, colour: "red" })).toEqual([{ property: "colour", reason: "unknown property `colour`" }]);
  });

  test("credential fields: the API's snake_case and near misses are named", () => {
    expect(failuresOf({ ...base, auth: { key_id: "x" } })).toContainEqual({ property: "auth.key_id", reason: expect.stringMatching(/did you mean `keyId`\?/) });
    expect(failuresOf({ ...base, auth: { secrett: "x" } })).toContainEqual({
      property: "auth.secrett",
      reason: expect.stringMatching(/did you mean `secret`\?/),
    });
  });

  test("the engine's own key is not the program's mistake", () => {
    expect(failuresOf({ ...base, __provider: "serialized" })).toEqual([]);
  });

  test("suggestion ignores case and stays quiet when nothing is near", () => {
    expect(suggestion("ADOPTID", ["adoptId", "apiKey"])).toBe("; did you mean `adoptId`?");
    expect(suggestion("zzzzzzzz", ["adoptId", "apiKey"])).toBe("");
  });
});

describe("check: types, each failure naming its property", () => {
  test.each<[string, Record<string, unknown>, string, string]>([
    ["vendor a number", { ...base, vendor: 7 }, "vendor", "vendor must be a string"],
    ["name a boolean", { ...base, name: true }, "name", "name must be a string"],
    ["verify a string", { ...base, verify: "yes" }, "verify", "verify must be true or false"],
    ["extra a list", { ...base, extra: ["a"] }, "extra", "extra must be a map of strings"],
    ["an extra value a number", { ...base, extra: { a: 1 } }, "extra.a", "extra.a must be a string"],
    [
      "timeout a string",
      { ...base, deleteTimeoutSeconds: "60" },
      "deleteTimeoutSeconds",
      "deleteTimeoutSeconds must be a whole number of seconds from 1 to 21600",
    ],
    [
      "timeout too long",
      { ...base, verifyTimeoutSeconds: 21601 },
      "verifyTimeoutSeconds",
      "verifyTimeoutSeconds must be a whole number of seconds from 1 to 21600",
    ],
    ["apiUrl a number", { ...base, apiUrl: 443 }, "apiUrl", "apiUrl must be a string"],
  ])("%s", (_case, raw, property, reason) => {
    expect(failuresOf(raw)).toContainEqual({ property, reason });
  });

  test("apiKey: 12345 is `apiKey must be a string`, with no property (the engine would print its value) and no value", () => {
    const failures = failuresOf({ ...base, apiKey: 12345 });
    expect(failures).toEqual([{ property: "", reason: "apiKey must be a string" }]);
    expect(JSON.stringify(failures)).not.toContain("12345");
  });

  test("a credential of the wrong type is named, never quoted", () => {
    const failures = failuresOf({ ...base, auth: { keyId: 987654321, secret: ["hunter2-very-secret"] } });
    expect(failures).toEqual([
      { property: "auth.keyId", reason: "auth.keyId must be a string" },
      { property: "auth.secret", reason: "auth.secret must be a string" },
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/987654321|hunter2/);
  });

  test("an empty apiKey names apiKey without a property", () => {
    expect(failuresOf({ ...base, apiKey: "  " })).toEqual([{ property: "", reason: "apiKey must not be empty" }]);
  });

  test("a type failure leaves no value: the definition's checks need typed inputs", () => {
    expect(checkDeclaration({ ...base, apiKey: 12345 }).value).toBeUndefined();
    expect(checkDeclaration({ ...base, name: "abc" }).value).toMatchObject({ name: "abc" });
  });
});

describe("check: a name whose derived identifier the API refuses", () => {
  test.each<[string, string]>([
    ["Ab!!!", "only `ab`"],
    ["本番のストレージ", "no identifier at all"],
    ["-- x --", "only `x`"],
  ])("%s", (name, gives) => {
    const failures = failuresOf({ vendor: "aws", name });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("name");
    expect(failures[0].reason).toContain(gives);
    expect(failures[0].reason).toMatch(/at least 3 characters\. Declare `identifier`/);
  });

  test("passes with an identifier declared, for a resource that exists, when adopting, or while the name is unknown", () => {
    expect(failuresOf({ vendor: "aws", name: "本番のストレージ", identifier: "production-storage" })).toEqual([]);
    expect(failuresOf({ vendor: "aws", name: "Ab!!!" }, false)).toEqual([]);
    expect(failuresOf({ vendor: "aws", name: "Ab!!!", adoptId: "651586fca6078e98982dbd90" })).toEqual([]);
    expect(failuresOf({ vendor: "aws", name: UNKNOWN })).toEqual([]);
  });

  test("a name long enough whose identifier is too is fine", () => {
    expect(failuresOf({ vendor: "aws", name: "Ab!!! backups" })).toEqual([]);
  });
});

describe("what the engine hands back", () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "state-0.1.0", "stack.json"), "utf8")) as {
    deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> }> };
  };
  const recorded = fixture.deployment.resources.filter((r) => r.type.endsWith("cycle:Integration"));

  test("state written by 0.1.0 parses (its secrets unwrapped, as the dynamic provider hands them over)", () => {
    expect(recorded.length).toBeGreaterThan(0);
    for (const r of recorded) {
      const outputs = { ...r.outputs!, ...(r.outputs!.auth ? { auth: { keyId: "AKIAIOSFODNN7EXAMPLE", secret: "plain" } } : {}) };
      const parsed = parseRecorded(outputs);
      expect(parsed.integrationId).toMatch(/^[a-f0-9]{24}$/);
      expect(parsed).not.toHaveProperty("__provider");
    }
  });

  test("recorded values the hub may have changed are not held to input limits", () => {
    const r = recorded[0].outputs!;
    expect(parseRecorded({ ...r, name: "abc", identifier: "ab" }).name).toBe("abc");
  });

  test("a recorded value that does not parse is an error naming the property, not quoting the value", () => {
    const r = recorded[0].outputs!;
    const attempt = () => parseRecorded({ ...r, hubId: "not-a-hub-with-secret-ish-text", auth: { keyId: 42 } });
    expect(attempt).toThrow(InvalidPropertiesError);
    expect(attempt).toThrow(
      /The resource's recorded state do not parse: .*auth\.keyId must be a string.*hubId must be a Cycle ID|hubId must be a Cycle ID.*auth\.keyId must be a string/,
    );
    expect(attempt).not.toThrow(/not-a-hub-with/);
  });

  test("create's inputs are never unknown; diff's may be", () => {
    expect(() => parseInputs({ ...base, verify: UNKNOWN })).toThrow(/verify must be true or false/);
    expect(parsePreviewInputs({ ...base, verify: UNKNOWN, auth: UNKNOWN, adoptionDone: true, __provider: "x" })).toEqual({
      ...base,
      verify: UNKNOWN,
      auth: UNKNOWN,
      adoptionDone: true,
    });
    expect(() => parseInputs({ name: "Production AWS" })).toThrow(/vendor is required/);
  });
});
