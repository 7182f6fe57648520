#!/usr/bin/env node
// `npm run release:check`: what to run before publishing.
//
// 1. The version is stated once, in package.json, and CHANGELOG.md has an
//    entry for it or an "Unreleased" section.
// 2. `npm pack` (its prepack builds bin/) into .cache/release/: the tarball
//    that would be published. Its contents are checked (the entry points, the
//    command and the types are there; no source maps, tests or TypeScript
//    sources), and, installed into a fresh directory, its `pulumi-cycle
//    --version` prints package.json's version.
// 3. The packed-install test (tests/e2e/package.test.ts): the packed package
//    in a fresh program, `pulumi up`, an empty preview, `pulumi destroy`.
//
// Exits non-zero at the first failure.
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function step(text) {
  console.log(`\nrelease:check: ${text}`);
}
function fail(text) {
  console.error(`release:check: FAILED: ${text}`);
  process.exit(1);
}

// --- 1. version and changelog ---------------------------------------------------
step(`version ${pkg.version} (package.json)`);
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version)) fail(`package.json's version is not semver: ${pkg.version}`);
const changelogFile = path.join(root, "CHANGELOG.md");
if (!fs.existsSync(changelogFile)) fail("CHANGELOG.md is missing");
const headings = fs
  .readFileSync(changelogFile, "utf8")
  .split("\n")
  .filter((l) => l.startsWith("## "))
  .map((l) => l.slice(3).trim());
const escaped = pkg.version.replace(/\./g, "\\.");
if (!headings.some((h) => h === "Unreleased" || new RegExp(`^\\[?${escaped}\\]?( |$)`).test(h))) {
  fail(`CHANGELOG.md has no "## ${pkg.version}" entry and no "## Unreleased" section`);
}
console.log(`CHANGELOG.md: ${headings.slice(0, 3).join(" | ")}`);

// --- 2. the tarball ---------------------------------------------------------------
const outDir = path.join(root, ".cache", "release");
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
step("npm pack");
const packed = JSON.parse(
  execFileSync(npm, ["pack", "--json", "--pack-destination", outDir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }),
)[0];
const tarball = path.join(outDir, packed.filename);
const files = packed.files.map((f) => f.path);
console.log(`${tarball}: ${packed.files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, sha512 ${packed.integrity}`);
if (packed.version !== pkg.version) fail(`the tarball is version ${packed.version}, package.json says ${pkg.version}`);
const mustHave = ["package.json", "README.md", pkg.main, pkg.types, ...Object.values(pkg.bin || {})].filter(Boolean);
const missing = mustHave.filter((f) => !files.includes(f.replace(/^\.\//, "")));
if (missing.length > 0) fail(`the tarball lacks ${missing.join(", ")}`);
const unwanted = files.filter(
  (f) => f.endsWith(".map") || f.startsWith("tests/") || (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.startsWith("node_modules/"),
);
if (unwanted.length > 0) fail(`the tarball holds files it should not: ${unwanted.slice(0, 10).join(", ")}`);
if (!files.includes("CHANGELOG.md")) console.log('note: CHANGELOG.md is not in the tarball (add it to "files" in package.json to ship it)');

step("the packed command's --version");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-release-"));
try {
  fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ name: "release-check", private: true }));
  const peer = (pkg.devDependencies || {})["@pulumi/pulumi"];
  execFileSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...(peer ? [`@pulumi/pulumi@${peer}`] : [])], {
    cwd: tmp,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const bin = path.join(tmp, "node_modules", ".bin", "pulumi-cycle");
  const version = execFileSync(bin, ["--version"], { cwd: tmp, encoding: "utf8" }).trim();
  console.log(`pulumi-cycle --version: ${version}`);
  if (version !== pkg.version) fail(`the packed command says ${version}, package.json says ${pkg.version}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// --- 3. the packed-install test ---------------------------------------------------
step("the packed-install test (tests/e2e/package.test.ts)");
const jest = spawnSync(process.execPath, [require.resolve("jest/bin/jest", { paths: [root] }), "tests/e2e/package.test.ts"], { cwd: root, stdio: "inherit" });
if (jest.status !== 0) fail("the packed-install test failed");
console.log(`\nrelease:check: ${pkg.name} ${pkg.version} is ready: ${path.relative(root, tarball)}`);
