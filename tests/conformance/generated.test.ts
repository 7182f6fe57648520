/**
 * contract/schemas/*.json is generated from the contract's zod schemas
 * (provider/api/contract); the committed files must be exactly what
 * `npm run generate:contract` writes, so the JSON the conformance tests
 * validate against cannot drift from the types the client and the emulator
 * are built on.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { contractJsonSchemas, fileTextOf } from "../../provider/api/contract/jsonSchema";
import { SCHEMA_DIR } from "./schemas";

describe("contract/schemas is generated from provider/api/contract", () => {
  const generated = contractJsonSchemas();

  it("has one file per named contract schema, and no other", () => {
    const committed = readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""))
      .sort();
    expect(committed).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])("%s.json is what `npm run generate:contract` writes", (name) => {
    const committed = readFileSync(path.join(SCHEMA_DIR, `${name}.json`), "utf8");
    expect(committed).toBe(fileTextOf(generated.get(name)));
  });

  it("refers between files by name, and every reference names a generated file", () => {
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if (k === "$ref") refs.add(String(x));
          else walk(x);
        }
    };
    generated.forEach(walk);
    expect(refs.size).toBeGreaterThan(5);
    for (const ref of refs) expect({ ref, known: generated.has(ref.replace(/\.json$/, "")) }).toEqual({ ref, known: true });
  });
});
