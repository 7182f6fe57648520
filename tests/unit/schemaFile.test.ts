/**
 * `schema.json`, the package schema the SDKs in `sdk/` are generated from,
 * is written from the one model (`npm run schema`): this fails when the
 * committed file is not what the model gives, so a change to the resource or
 * a function cannot miss the schema (and `scripts/sdk-check.sh`, in CI, then
 * catches SDKs not regenerated from it).
 */
import * as fs from "fs";
import { renderSchema, SCHEMA_FILE } from "../../scripts/schema";

test("schema.json is current (run `npm run schema`, then `npm run sdk`)", () => {
  expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(renderSchema());
});

test("schema.json carries the package's own version", () => {
  const pkg = JSON.parse(fs.readFileSync(require.resolve("../../package.json"), "utf8")) as { version: string };
  expect((JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as { version: string }).version).toBe(pkg.version);
});
