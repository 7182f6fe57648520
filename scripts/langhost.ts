/**
 * The test language host (tests/langhost/, see its README.md): builds it
 * into .cache/langhost/<hash of its sources>/ and returns the directory
 * holding its `pulumi-language-nodejs` executable, to be put first on PATH.
 *
 * The build is a TypeScript transpile of tests/langhost/*.ts (no type check:
 * `npm run typecheck` covers them) and a two-line shell wrapper; it takes
 * well under a second, is reused while the sources do not change, and is
 * atomic (a directory renamed into place), so parallel test files may ask
 * for it at once.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const SOURCES = path.join(ROOT, "tests", "langhost");
export const LANGUAGE_HOST = "pulumi-language-nodejs";

export function testLanguageHostDir(): string {
  const files = fs
    .readdirSync(SOURCES)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".test.ts"))
    .sort();
  const hash = createHash("sha256").update(ts.version);
  for (const f of files) hash.update(f).update(fs.readFileSync(path.join(SOURCES, f)));
  const cacheRoot = path.join(ROOT, ".cache", "langhost");
  const dir = path.join(cacheRoot, hash.digest("hex").slice(0, 16));
  if (fs.existsSync(path.join(dir, LANGUAGE_HOST))) return dir;

  fs.mkdirSync(cacheRoot, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheRoot, ".build-"));
  try {
    const lib = path.join(tmp, "lib");
    fs.mkdirSync(lib);
    for (const f of files) {
      const out = ts.transpileModule(fs.readFileSync(path.join(SOURCES, f), "utf8"), {
        fileName: f,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      fs.writeFileSync(path.join(lib, f.replace(/\.ts$/, ".js")), out.outputText);
    }
    // The final path is written into the wrapper: the directory is renamed, not copied.
    const wrapper = `#!/bin/sh\n# The test language host (${path.relative(ROOT, SOURCES)}/README.md).\nexec node "${path.join(dir, "lib", "main.js")}" "$@"\n`;
    fs.writeFileSync(path.join(tmp, LANGUAGE_HOST), wrapper, { mode: 0o755 });
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
      // Another process built the same sources first.
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * The official Node.js language host, if this machine has one: next to
 * `pulumi` (an official install) or on PATH. A CLI built from Go modules
 * (scripts/pulumi-cli.sh) has none.
 */
export function officialLanguageHost(cliDir: string): string | undefined {
  const dirs = [cliDir, ...(process.env.PATH ?? "").split(path.delimiter)].filter((d) => d && !d.startsWith(path.join(ROOT, ".cache", "langhost")));
  for (const d of dirs) {
    const candidate = path.join(d, LANGUAGE_HOST);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
