/**
 * The packed package, as a user installs it, made once per test run.
 *
 * Every end-to-end project installs `npm pack`'s tarball of this repository.
 * Packing runs the `prepack` build again (about 15 s) and each install takes
 * about 10 s more; a test run makes some twenty projects, so each did both
 * and spent minutes of CI on the same bytes. Now the first project of a run
 * packs (after the build jest's global setup made, so the tarball holds that
 * build) and installs one template per dependency list; every project gets a
 * hard-linked copy of that template's `node_modules` (a plain copy where
 * links cannot cross file systems). What a project installs is still the
 * packed tarball, with npm, from the npm cache.
 *
 * Jest runs each test file in its own module registry, and files may run in
 * parallel workers, so the cache is on disk (the run directory global setup
 * names in CYCLE_E2E_RUN_DIR), and each entry appears with one atomic rename.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/** Where this test run keeps its tarball and templates (made by tests/globalSetup.js; a private one outside jest). */
function runDir(): string {
  const dir = process.env.CYCLE_E2E_RUN_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-run-"));
  process.env.CYCLE_E2E_RUN_DIR = dir;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Builds `name` in a scratch directory with `make`, then renames it into place; a concurrent builder's finished copy wins. */
function once(name: string, make: (scratch: string) => void): string {
  const target = path.join(runDir(), name);
  if (fs.existsSync(target)) return target;
  const scratch = fs.mkdtempSync(path.join(runDir(), `.${name}-`));
  try {
    make(scratch);
    fs.renameSync(scratch, target);
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw err;
  }
  return target;
}

/** The tarball `npm pack` makes of this repository (its `prepack` steps after the build global setup made). */
export function packedTarball(): string {
  const dir = once("pack", (scratch) => {
    // `npm run build` ran in global setup; the rest of `prepack` is this script.
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "prepack.js")], { cwd: ROOT, stdio: "inherit" });
    execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", scratch], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  });
  const tgz = fs.readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack left no tarball in ${dir}`);
  return path.join(dir, tgz);
}

/**
 * Installs the packed package (and `extra` packages, with `npm install`'s
 * `flags`) into `dir`, which must hold a package.json: copies the
 * `node_modules` of a template installed once per run for that list.
 */
export function installPacked(dir: string, extra: string[] = [], flags: string[] = []): void {
  const tarball = packedTarball();
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([extra, flags]))
    .digest("hex")
    .slice(0, 12);
  const template = once(`install-${key}`, (scratch) => {
    fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "cycle-e2e-template", private: true }));
    // Prefer the npm cache (filled by the repository's own install); fetch what is not there.
    execFileSync("npm", ["install", ...flags, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...extra], {
      cwd: scratch,
      stdio: ["ignore", "ignore", "inherit"],
    });
  });
  copyTree(path.join(template, "node_modules"), path.join(dir, "node_modules"));
  recordDependencies(dir, template);
}

/**
 * Writes the template's dependencies into the project's package.json, as
 * `npm install` would have (a later `npm install` in the project keeps them
 * instead of pruning them); `file:` specs made absolute, as the project is
 * elsewhere.
 */
function recordDependencies(dir: string, template: string): void {
  const read = (f: string) => JSON.parse(fs.readFileSync(f, "utf8")) as { dependencies?: Record<string, string> };
  const installed = read(path.join(template, "package.json")).dependencies ?? {};
  const dependencies = Object.fromEntries(
    Object.entries(installed).map(([name, spec]) => [name, spec.startsWith("file:") ? `file:${path.resolve(template, spec.slice(5))}` : spec]),
  );
  const projectFile = path.join(dir, "package.json");
  const project = read(projectFile);
  fs.writeFileSync(projectFile, JSON.stringify({ ...project, dependencies: { ...project.dependencies, ...dependencies } }, null, 2));
}

/** Hard links where the file system allows (nothing writes into installed packages), a copy otherwise. */
function copyTree(from: string, to: string): void {
  try {
    execFileSync("cp", ["-al", from, to], { stdio: ["ignore", "ignore", "pipe"] });
  } catch {
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}
