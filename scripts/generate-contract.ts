/**
 * Writes contract/schemas/*.json from the contract's zod schemas
 * (provider/api/contract), and removes files no schema generates.
 * `npm run generate:contract`; tests/conformance/generated.test.ts fails when
 * the committed files differ.
 */
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { contractJsonSchemas, fileTextOf } from "../provider/api/contract/jsonSchema";

const dir = path.resolve(__dirname, "../contract/schemas");
const schemas = contractJsonSchemas();
for (const [name, schema] of schemas) writeFileSync(path.join(dir, `${name}.json`), fileTextOf(schema));
for (const file of readdirSync(dir)) {
  if (file.endsWith(".json") && !schemas.has(file.replace(/\.json$/, ""))) rmSync(path.join(dir, file));
}
console.log(`contract/schemas: ${schemas.size} files`);
