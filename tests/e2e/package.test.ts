/**
 * The packed package as a user gets it: `npm pack`, installed with
 * @pulumi/pulumi, TypeScript and ts-node into a fresh program directory
 * holding the files `pulumi new typescript` makes (Pulumi.yaml,
 * package.json with `main: index.ts`, tsconfig.json, index.ts), then
 * `pulumi up`, `pulumi preview --expect-no-changes` and `pulumi destroy`
 * there, the program type-checked by ts-node and run by the language host.
 * Also what a user's editor and npm see: types resolve, every file the
 * package points at is in it, no source map, no install script.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { DEMO_SECRETS } from "../../scripts/examples";
import { INPUT_NAMES, INPUTS, OUTPUTS, PROPERTY_NAMES } from "../../provider/resource/schema";
import { createProject, E2EProject, programStack, removeProject } from "./harness";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
let emu: EmulatorHandle;
let project: E2EProject;
let pkgDir: string;

const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Integration, IntegrationArgs, getAvailableIntegrations } from "pulumi-cycle";

const config = new pulumi.Config();

const args: IntegrationArgs = {
  vendor: "aws",
  name: "Packaged AWS",
  auth: { keyId: config.requireSecret("awsAccessKeyId"), secret: config.requireSecret("awsSecretAccessKey") },
};
const aws = new Integration("aws", args);
const tls = new Integration("tls", { vendor: "lets-encrypt", name: "Packaged certificates", extra: { email: "ops@example.com" } });

export const awsState = aws.state;
export const awsVerified = aws.verified;
export const tlsId = tls.id;
export const vendorCount = getAvailableIntegrations().then((defs) => defs.length);
`;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  project = createProject();
  pkgDir = path.join(project.dir, "node_modules", "pulumi-cycle");
  // What `pulumi new typescript` puts in a program besides @pulumi/pulumi.
  const dev = rootPackage.devDependencies;
  execFileSync(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `typescript@${dev.typescript}`,
      `ts-node@${dev["ts-node"]}`,
      `@types/node@${dev["@types/node"]}`,
    ],
    { cwd: project.dir, stdio: ["ignore", "ignore", "inherit"] },
  );
  const pkg = JSON.parse(fs.readFileSync(path.join(project.dir, "package.json"), "utf8")) as Record<string, unknown>;
  fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({ ...pkg, main: "index.ts" }, null, 2));
  fs.writeFileSync(
    path.join(project.dir, "Pulumi.yaml"),
    "name: cycle-packaged\nruntime:\n  name: nodejs\n  options:\n    typescript: true\ndescription: a program using the packed pulumi-cycle\n",
  );
  fs.writeFileSync(
    path.join(project.dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          outDir: "bin",
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          sourceMap: true,
          experimentalDecorators: true,
          pretty: true,
          noFallthroughCasesInSwitch: true,
          noImplicitReturns: true,
          forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(project.dir, "index.ts"), PROGRAM);
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

test("pulumi up / preview --expect-no-changes / destroy in a fresh program that installs the tarball", async () => {
  const stack = programStack(project.dir, "dev");
  await stack.init();
  await stack.setConfig("cycle:apiUrl", emu.url);
  await stack.setConfig("cycle:hubId", emu.hubs.primary);
  await stack.setConfig("cycle:apiKey", emu.keys.admin, true);
  await stack.setConfig("awsAccessKeyId", DEMO_SECRETS.awsAccessKeyId, true);
  await stack.setConfig("awsSecretAccessKey", DEMO_SECRETS.awsSecretAccessKey, true);

  // As a user runs it: a preview, then the update.
  const up = await stack.up([], { env: { CYCLE_QUIET: "1" } });
  expect({ code: up.code, out: up.code === 0 ? "" : `${up.stdout}\n${up.stderr}` }).toEqual({ code: 0, out: "" });
  expect(up.stdout).toMatch(/\+ 3 created/);
  const outputs = await stack.outputs();
  expect(outputs).toMatchObject({ awsState: "live", awsVerified: true });
  expect(outputs.vendorCount).toBeGreaterThan(4);
  expect(emu.integrations(emu.hubs.primary).map((i) => i.id)).toContain(outputs.tlsId);

  const preview = await stack.preview(["--expect-no-changes"]);
  expect({ code: preview.code, out: preview.code === 0 ? "" : preview.stdout }).toEqual({ code: 0, out: "" });

  const destroy = await stack.destroy({ env: { CYCLE_QUIET: "1" } });
  expect(destroy.code).toBe(0);
  expect(destroy.stdout).toMatch(/- 3 deleted/);
  expect(emu.integrations(emu.hubs.primary).filter((i) => i.state.current !== "deleted")).toEqual([]);
});

test("the program type-checks against the shipped declarations with nodenext module resolution too", () => {
  // `pulumi up` above type-checked index.ts with the tsconfig of `pulumi new
  // typescript` (moduleResolution node: main/types). Here a current one
  // (nodenext: the exports map), with the emulator's entry point too.
  const tsc = path.join(project.dir, "node_modules", "typescript", "bin", "tsc");
  fs.writeFileSync(path.join(project.dir, "uses-emulator.ts"), `import { startEmulator } from "pulumi-cycle/emulator";\nexport const start = startEmulator;\n`);
  execFileSync(
    process.execPath,
    [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "index.ts", "uses-emulator.ts"],
    { cwd: project.dir, encoding: "utf8" },
  );
});

test("an editor sees the doc of every argument and every output, as the resource's description gives it", () => {
  // What an editor's language service shows on hover: the documentation the
  // TypeScript checker resolves for each member, from the shipped declarations.
  const ts = require(path.join(project.dir, "node_modules", "typescript")) as typeof import("typescript");
  const index = path.join(project.dir, "index.ts");
  const program = ts.createProgram([index], {
    strict: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(index)!;
  const imported = source.statements.find(
    (s): s is import("typescript").ImportDeclaration =>
      ts.isImportDeclaration(s) && (s.moduleSpecifier as import("typescript").StringLiteral).text === "pulumi-cycle",
  )!;
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(imported.moduleSpecifier)!);
  const docsOf = (name: string, as: "type" | "instance"): Record<string, string> => {
    const symbol = exported.find((e) => e.name === name)!;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const type = checker.getDeclaredTypeOfSymbol(target);
    return Object.fromEntries(
      type
        .getProperties()
        .filter((p) => as === "type" || p.valueDeclaration?.getSourceFile().fileName.includes("node_modules/pulumi-cycle/"))
        .map((p) => [p.name, ts.displayPartsToString(p.getDocumentationComment(checker)).replace(/\s+/g, " ")]),
    );
  };
  const described: Record<string, { doc: string }> = { ...INPUTS, ...OUTPUTS };
  expect(docsOf("IntegrationArgs", "type")).toEqual(Object.fromEntries(INPUT_NAMES.map((n) => [n, INPUTS[n].doc])));
  expect(docsOf("Integration", "instance")).toEqual(Object.fromEntries(PROPERTY_NAMES.map((n) => [n, described[n].doc])));
});

test("the package: license and metadata, every referenced file shipped, no source maps, no install script, runnable bins", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as Record<string, unknown>;
  expect(fs.readFileSync(path.join(pkgDir, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
  expect(pkg.license).toBe("Apache-2.0");
  const scripts = (pkg.scripts ?? {}) as Record<string, string>;
  for (const s of ["preinstall", "install", "postinstall", "prepare"]) expect(scripts[s]).toBeUndefined();
  // The peer range's floor is a published version (3.139.0 brought dynamic providers' configure).
  expect((pkg.peerDependencies as Record<string, string>)["@pulumi/pulumi"]).toBe(">=3.139.0 <4.0.0");

  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(pkgDir);
  expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
  expect(files.filter((f) => /sourceMappingURL/.test(fs.readFileSync(f, "utf8")))).toEqual([]);

  // Every entry point, bin and export resolves to a shipped file.
  const targets: string[] = [pkg.main as string, pkg.types as string, ...Object.values(pkg.bin as Record<string, string>)];
  const collect = (v: unknown): void => {
    if (typeof v === "string") targets.push(v.replace("*", "resource/operations"));
    else if (v && typeof v === "object") Object.values(v).forEach(collect);
  };
  collect(pkg.exports);
  for (const t of targets) expect({ t, exists: fs.existsSync(path.join(pkgDir, t)) }).toEqual({ t, exists: true });

  // Files the declarations cite (`*.md`, relative to the declaration or to the package) are in the package.
  const cited: string[] = [];
  for (const f of files.filter((x) => x.endsWith(".d.ts"))) {
    for (const m of fs.readFileSync(f, "utf8").matchAll(/[`\s(]([A-Za-z0-9_./-]+\.md)\b/g)) {
      const ref = m[1];
      if (!fs.existsSync(path.join(path.dirname(f), ref)) && !fs.existsSync(path.join(pkgDir, ref))) cited.push(`${path.relative(pkgDir, f)}: ${ref}`);
    }
  }
  expect(cited).toEqual([]);

  // The bins run: the emulator answers --help, the provider's command too.
  const help = execFileSync(path.join(project.dir, "node_modules", ".bin", "cycle-emulator"), ["--help"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(help).toMatch(/usage: emulator/);
  // The entry serialized providers load, and the deep paths earlier state loads, are allowed by the exports map.
  execFileSync(
    process.execPath,
    [
      "-e",
      `if (typeof require("pulumi-cycle/dynamic").methodsFor !== "function") process.exit(1); require("pulumi-cycle/bin/provider/resource/engine"); require("pulumi-cycle/bin/provider/resource/operations"); require("pulumi-cycle/bin/provider/resource/provider.js"); require("pulumi-cycle/emulator")`,
    ],
    { cwd: project.dir },
  );
});
