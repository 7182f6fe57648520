/**
 * The emulator shares the contract with the client, never the client's
 * assumptions: from provider/ it may import provider/api/contract and
 * nothing else (not the client, its retries, job polling, redaction or
 * reconciliation). And the contract itself depends on nothing of the
 * project outside it, so importing it cannot pull the client in.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const CONTRACT = path.join(ROOT, "provider/api/contract");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? tsFiles(full) : f.endsWith(".ts") ? [full] : [];
  });
}

/** Every module a file imports or requires, resolved to a path when it is relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith(".") ? path.resolve(path.dirname(file), s) : s));
}

const inside = (target: string, dir: string) => target === dir || target.startsWith(`${dir}${path.sep}`);

describe("import boundaries of the contract", () => {
  it("the emulator imports nothing of provider/ but the contract", () => {
    const files = tsFiles(path.join(ROOT, "emulator"));
    expect(files.length).toBeGreaterThan(10);
    const offending: string[] = [];
    let contractImports = 0;
    for (const file of files) {
      for (const target of importsOf(file)) {
        if (target === "pulumi-cycle" || target.startsWith("pulumi-cycle/")) offending.push(`${path.relative(ROOT, file)} -> ${target}`);
        if (!path.isAbsolute(target) || !inside(target, path.join(ROOT, "provider"))) continue;
        if (inside(target, CONTRACT)) contractImports++;
        else offending.push(`${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`);
      }
    }
    expect(offending).toEqual([]);
    // The check reads the imports it means to read.
    expect(contractImports).toBeGreaterThan(5);
  });

  it("the contract imports nothing of the project outside itself", () => {
    const offending: string[] = [];
    for (const file of tsFiles(CONTRACT)) {
      for (const target of importsOf(file)) {
        const project = path.isAbsolute(target) || target.startsWith("pulumi-cycle");
        if (project && !inside(target, CONTRACT)) offending.push(`${path.relative(ROOT, file)} -> ${target}`);
        if (!project && target !== "zod") offending.push(`${path.relative(ROOT, file)} -> ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
