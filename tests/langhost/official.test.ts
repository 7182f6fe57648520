/**
 * The test language host against the official host of Pulumi v3.248.0
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go and main_test.go at tag
 * v3.248.0): the expected values below are written out from that source, not
 * computed by the code under test. tests/e2e/programs.test.ts checks the
 * same arguments on the command the host really starts under `pulumi up`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  MIRRORED_VERSION,
  configJson,
  configSecretKeysJson,
  locateModuleScript,
  parseRuntimeOptions,
  runArguments,
  runEnvironment,
  shlexSplit,
} from "./official";
import { incompatiblePulumiVersions, requiredPackages } from "./packages";

const base = {
  runPath: "/p/node_modules/@pulumi/pulumi/cmd/run/index.js",
  monitorAddress: "127.0.0.1:1001",
  engineAddress: "127.0.0.1:1002",
  syncDirectory: "/tmp/pulumi-node-pipes123",
  organization: "acme",
  project: "proj",
  rootDirectory: "/p",
  stack: "dev",
  programDirectory: "/p/src",
  dryRun: false,
  parallel: 48,
  tracing: "",
  entryPoint: "index.ts",
  args: [] as string[],
};

test("mirrors v3.248.0", () => {
  expect(MIRRORED_VERSION).toBe("3.248.0");
});

test("Run's node arguments are constructArguments' (flag order, --dry-run bare, --parallel always, entry point then args)", () => {
  expect(runArguments(base)).toEqual([
    "/p/node_modules/@pulumi/pulumi/cmd/run/index.js",
    "--monitor", "127.0.0.1:1001",
    "--engine", "127.0.0.1:1002",
    "--sync", "/tmp/pulumi-node-pipes123",
    "--organization", "acme",
    "--project", "proj",
    "--root-directory", "/p",
    "--stack", "dev",
    "--pwd", "/p/src",
    "--parallel", "48",
    "index.ts",
  ]); // prettier-ignore
  expect(runArguments({ ...base, dryRun: true, tracing: "http://zipkin", args: ["a", "b"], parallel: 0 })).toEqual([
    "/p/node_modules/@pulumi/pulumi/cmd/run/index.js",
    "--monitor", "127.0.0.1:1001",
    "--engine", "127.0.0.1:1002",
    "--sync", "/tmp/pulumi-node-pipes123",
    "--organization", "acme",
    "--project", "proj",
    "--root-directory", "/p",
    "--stack", "dev",
    "--pwd", "/p/src",
    "--dry-run",
    "--parallel", "0",
    "--tracing", "http://zipkin",
    "index.ts", "a", "b",
  ]); // prettier-ignore
});

// main_test.go TestArgumentConstruction, case by case.
test("TestArgumentConstruction's cases", () => {
  const empty = {
    ...base,
    runPath: "",
    monitorAddress: "",
    engineAddress: "",
    syncDirectory: "",
    organization: "",
    project: "",
    stack: "",
    rootDirectory: "/foo/bar",
    programDirectory: "/foo/bar",
    entryPoint: ".",
    parallel: 0,
  };
  const dry = runArguments({ ...empty, dryRun: true });
  expect(dry).toContain("--dry-run");
  expect(dry).not.toContain("true");
  expect(runArguments({ ...empty, project: "foo" }).join(" ")).toContain("--project foo");
  expect(runArguments(empty).join(" ")).not.toContain("--stack");
  expect(runArguments(empty)).toContain(".");
  expect(runArguments({ ...empty, entryPoint: "foobar" })).toContain("foobar");
});

test("PULUMI_CONFIG: keys in the old <namespace>:config:<name> form; secret keys as a JSON array", () => {
  expect(configJson([])).toBe("{}"); // TestConfig: Config-Empty
  expect(
    JSON.parse(
      configJson([
        ["cycle:apiKey", "k"],
        ["proj:bucket", "b"],
        ["aws:config:region", "r"],
      ]),
    ),
  ).toEqual({
    "cycle:config:apiKey": "k",
    "proj:config:bucket": "b",
    "aws:config:region": "r",
  });
  expect(() => configJson([["nonamespace", "x"]])).toThrow(/configuration keys should be of the form/);
  expect(configSecretKeysJson([])).toBe("[]");
  expect(configSecretKeysJson(["cycle:apiKey"])).toBe('["cycle:apiKey"]');
});

test("the environment: the host's own, then config, TypeScript and tsconfig (later wins)", () => {
  const env = runEnvironment(
    { PATH: "/bin", PULUMI_CONFIG: "stale", PULUMI_NODEJS_TYPESCRIPT: undefined },
    { config: "{}", configSecretKeys: "[]", options: parseRuntimeOptions({ tsconfig: "tsconfig.pulumi.json" }) },
  );
  expect(env).toEqual({
    PATH: "/bin",
    PULUMI_CONFIG: "{}",
    PULUMI_CONFIG_SECRET_KEYS: "[]",
    PULUMI_NODEJS_TYPESCRIPT: "true",
    PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json",
  });
  const js = runEnvironment({}, { config: "{}", configSecretKeys: "[]", options: parseRuntimeOptions({ typescript: false }) });
  expect(js.PULUMI_NODEJS_TYPESCRIPT).toBeUndefined();
});

test("runtime options as parseOptions reads them (TestParseOptions)", () => {
  expect(parseRuntimeOptions({})).toEqual({ typescript: true, tsconfigpath: "", nodeargs: "", packagemanager: "auto" });
  expect(parseRuntimeOptions({ typescript: false, nodeargs: "--max-old-space-size=4096", packagemanager: "pnpm" })).toMatchObject({
    typescript: false,
    nodeargs: "--max-old-space-size=4096",
    packagemanager: "pnpm",
  });
  expect(() => parseRuntimeOptions({ typescript: "yes" })).toThrow("typescript option must be a boolean");
  expect(() => parseRuntimeOptions({ tsconfig: 1 })).toThrow("tsconfigpath option must be a string");
  expect(() => parseRuntimeOptions({ nodeargs: [] })).toThrow("nodeargs option must be a string");
  expect(() => parseRuntimeOptions({ packagemanager: "foo" })).toThrow('packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "foo"');
});

test("nodeargs are split as shlex does", () => {
  expect(shlexSplit("")).toEqual([]);
  expect(shlexSplit("--max-old-space-size=4096  --inspect")).toEqual(["--max-old-space-size=4096", "--inspect"]);
  expect(shlexSplit(`--title 'a b' --x "c \\"d\\"" e\\ f`)).toEqual(["--title", "a b", "--x", 'c "d"', "e f"]);
  expect(() => shlexSplit("'open")).toThrow();
});

test("locateModule's script is one line, as the official host sends it", () => {
  const s = locateModuleScript("@pulumi/pulumi/cmd/run");
  expect(s).not.toContain("\n");
  expect(s).toContain("console.log(require.resolve('@pulumi/pulumi/cmd/run'));");
  expect(s).toContain("Have you run pulumi install?");
});

test("GetRequiredPackages: resource plugins from node_modules package.json files, links followed once, policy packs skipped", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "langhost-pkgs-"));
  try {
    const pkg = (rel: string, json: object): void => {
      fs.mkdirSync(path.join(dir, rel), { recursive: true });
      fs.writeFileSync(path.join(dir, rel, "package.json"), JSON.stringify(json));
    };
    pkg("node_modules/@pulumi/aws", { name: "@pulumi/aws", version: "6.1.0", pulumi: { resource: true } });
    pkg("node_modules/@pulumi/pulumi", { name: "@pulumi/pulumi", version: "3.248.0", pulumi: { comment: "x" } });
    pkg("node_modules/third", { name: "third", version: "1.0.0", pulumi: { resource: true, name: "thirdp", server: "https://example.com" } });
    pkg("node_modules/broken", { name: "broken", version: "1.0.0", pulumi: { resource: true } });
    pkg("node_modules/policy/node_modules/@pulumi/gcp", { name: "@pulumi/gcp", version: "7.0.0", pulumi: { resource: true } });
    fs.writeFileSync(path.join(dir, "node_modules/policy/PulumiPolicy.yaml"), "runtime: nodejs\n");
    pkg("node_modules/nested/node_modules/@pulumi/pulumi", { name: "@pulumi/pulumi", version: "2.0.0" });
    fs.symlinkSync(dir, path.join(dir, "node_modules", "loop"));
    const r = requiredPackages(dir);
    expect(r.packages.map((p) => [p.name, p.version, p.server]).sort()).toEqual([
      ["aws", "v6.1.0", ""],
      ["thirdp", "v1.0.0", "https://example.com"],
    ]);
    expect(r.errors.join("\n")).toMatch(/Missing property "name" for the third-party plugin 'broken'/);
    expect(incompatiblePulumiVersions(r.pulumiVersions)).toMatch(/Found incompatible versions of @pulumi\/pulumi. Differing major versions are not supported./);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
