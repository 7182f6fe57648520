/**
 * The native face's values: Struct ⇄ plain, secrets unwrapped on the way in
 * and wrapped on the way out, the unknown sentinel passed through.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { fromStruct, isSecret, secret, SECRET_SIG, SIG_KEY, toStruct, unwrapSecrets, withoutUndefined, wrapSecrets } from "../../provider/native/values";
import { UNKNOWN } from "../../provider/resource/unknown";

describe("Struct round trip", () => {
  test("objects, arrays, strings, numbers, booleans and null come back as they went", () => {
    const bag = { s: "x", n: 42.5, b: false, z: null, a: ["p", 1, true], o: { deep: { deeper: ["q"] } }, sec: secret({ token: "t" }) };
    expect(fromStruct(Struct.deserializeBinary(toStruct(bag).serializeBinary()))).toEqual(bag);
  });

  test("undefined is left out at every depth (Struct.fromJavaScript throws on it)", () => {
    expect(() => Struct.fromJavaScript({ a: { b: undefined } })).toThrow();
    const bag = { a: undefined, b: { c: undefined, d: 1 }, e: [{ f: undefined }], g: secret({ h: undefined, i: "j" }) };
    expect(fromStruct(toStruct(bag))).toEqual({ b: { d: 1 }, e: [{}], g: secret({ i: "j" }) });
    expect(withoutUndefined([1, undefined, 2])).toEqual([1, 2]);
  });

  test("an absent Struct is an empty bag", () => expect(fromStruct(undefined)).toEqual({}));
});

describe("secrets", () => {
  test("the engine's signature", () => {
    expect(secret("v")).toEqual({ [SIG_KEY]: SECRET_SIG, value: "v" });
    expect(SIG_KEY).toBe("4dabf18193072939515e22adb298388d");
    expect(SECRET_SIG).toBe("1b47061264138c4ac30d75fd1eb44270");
    expect(isSecret({ [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "x" })).toBe(false);
  });

  test("unwrapped at any depth, noting which top-level keys held one", () => {
    const { plain, secretKeys } = unwrapSecrets({
      name: "n",
      auth: secret({ keyId: "k", secret: "s" }),
      extra: { region: secret("r") },
      nested: secret(secret("twice")),
    });
    expect(plain).toEqual({ name: "n", auth: { keyId: "k", secret: "s" }, extra: { region: "r" }, nested: "twice" });
    expect([...secretKeys].sort()).toEqual(["auth", "extra", "nested"]);
  });

  test("wrapped again: auth and apiKey always, other keys when they arrived secret, never twice", () => {
    const out = wrapSecrets({ name: "n", auth: { keyId: "k" }, apiKey: "key", extra: { region: "r" }, other: secret("o"), gone: undefined }, [
      "extra",
      "other",
    ]);
    expect(out).toEqual({ name: "n", auth: secret({ keyId: "k" }), apiKey: secret("key"), extra: secret({ region: "r" }), other: secret("o") });
    expect("gone" in out).toBe(false);
  });

  test("a plain credential never leaves plain: auth and apiKey are wrapped even when they arrived plain", () => {
    const { plain, secretKeys } = unwrapSecrets({ auth: { keyId: "plain-key" }, apiKey: "plain-api-key" });
    expect(secretKeys.size).toBe(0);
    const out = wrapSecrets(plain, secretKeys);
    expect(isSecret(out.auth) && isSecret(out.apiKey)).toBe(true);
  });
});

describe("unknowns", () => {
  test("the sentinel passes through, inside a secret too", () => {
    const { plain, secretKeys } = unwrapSecrets({ name: UNKNOWN, auth: secret({ keyId: UNKNOWN }) });
    expect(plain).toEqual({ name: UNKNOWN, auth: { keyId: UNKNOWN } });
    expect(wrapSecrets(plain, secretKeys)).toEqual({ name: UNKNOWN, auth: secret({ keyId: UNKNOWN }) });
    expect(fromStruct(toStruct({ name: UNKNOWN }))).toEqual({ name: UNKNOWN });
  });
});
