/**
 * `npm run schema`: writes the package schema of `cycle` (provider/resource/
 * packageSchema.ts, from the one model) to `schema.json` at the repository
 * root, with the package's version from package.json. `npm run sdk`
 * generates `sdk/` from that file; tests/unit/schemaFile.test.ts fails when
 * it is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { packageSchema } from "../provider/resource/packageSchema";

export const SCHEMA_FILE = path.resolve(__dirname, "..", "schema.json");

/** The schema document as written: two-space JSON, a final newline. */
export function renderSchema(): string {
  const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "package.json"), "utf8")) as { version: string };
  return `${JSON.stringify(packageSchema(version), null, 2)}\n`;
}

// `ts-node scripts/schema.ts [file]`: writes schema.json, or `file` (the staleness check writes a copy).
if (require.main === module) {
  const out = process.argv[2] ?? SCHEMA_FILE;
  fs.writeFileSync(out, renderSchema());
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
