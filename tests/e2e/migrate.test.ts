/**
 * From the dynamic `Integration` to the native `cycle:index:Integration`
 * without an API write, under the real Pulumi CLI: a Node.js program
 * (through the test language host) makes two integrations; then the recipe
 * of the README, each command as `pulumi-cycle import --from-stack` prints
 * it: the project switched to Pulumi YAML on the plugin, `pulumi import
 * --file` (Pulumi writes Main.yaml), `pulumi state delete` of the dynamic
 * resources and their provider. The emulator sees no write (no POST, PATCH
 * or DELETE, so no job); the YAML program's `pulumi preview
 * --expect-no-changes` passes; the state holds the same integration IDs as
 * native resources, and neither credential in plain text.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { CliStack } from "../../scripts/cliStack";
import { AWS_GOOD, LETS_ENCRYPT_EXTRA } from "../helpers/fixtures";
import { programStack, runCommand } from "./harness";
import { shellWords } from "./programFile";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
const DYNAMIC = "pulumi-nodejs:dynamic/cycle:Integration";
const NATIVE = "cycle:index:Integration";

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const { Integration } = require("pulumi-cycle");
const config = new pulumi.Config();
new Integration("aws-prod", {
  vendor: "aws",
  name: "Production AWS",
  auth: { keyId: config.requireSecret("awsKeyId"), secret: config.requireSecret("awsSecret") },
});
new Integration("tls", { vendor: "lets-encrypt", name: "Certificates", extra: ${JSON.stringify(LETS_ENCRYPT_EXTRA)} });
`;

let emu: EmulatorHandle;
let dir: string;
let stack: CliStack;

interface Resource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
}

async function exported(): Promise<{ text: string; resources: Resource[] }> {
  const r = await stack.must(["stack", "export", "--stack", "dev"]);
  return { text: r.stdout, resources: (JSON.parse(r.stdout) as { deployment: { resources?: Resource[] } }).deployment.resources ?? [] };
}

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-migrate-"));
  // The repository's own install, where pulumi-cycle links to this checkout (built): what the program and the plugin resolve.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cycle-migrate\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cycle-migrate", private: true, main: "index.js" }));
  fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
  stack = programStack(dir, "dev", path.join(dir, ".stack"));
  await stack.init();
  await stack.setConfig("cycle:apiUrl", emu.url);
  await stack.setConfig("cycle:hubId", emu.hubs.primary);
  await stack.setConfig("cycle:apiKey", emu.keys.admin, true);
  await stack.setConfig("awsKeyId", AWS_GOOD.keyId, true);
  await stack.setConfig("awsSecret", AWS_GOOD.secret, true);
});

afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("a dynamic stack moves to the native resource with 0 API writes: same IDs, empty plan on the YAML program", async () => {
  const up = await stack.up();
  expect({ code: up.code, out: up.code === 0 ? "" : `${up.stdout}\n${up.stderr}` }).toEqual({ code: 0, out: "" });
  const before = (await exported()).resources.filter((r) => r.type === DYNAMIC);
  const ids: Record<string, string | undefined> = Object.fromEntries(before.map((r) => [r.urn.split("::").pop() ?? "", r.id]));
  expect(Object.keys(ids).sort()).toEqual(["aws-prod", "tls"]);
  emu.clearLog();

  // 1. The bulk file and the steps, from the state alone.
  const cliEnv = { ...process.env, ...stack.env };
  const planned = await runCommand(
    process.execPath,
    [path.join(ROOT, "bin", "provider", "cli", "main.js"), "import", "--from-stack", "--stack", "dev"],
    dir,
    cliEnv,
  );
  expect({ code: planned.code, err: planned.stderr }).toEqual({ code: 0, err: "" });
  expect(planned.stdout).toContain("Wrote integrations.json: 2 to import as cycle:index:Integration (aws-prod, tls).");
  const step = (n: number) => {
    const line = planned.stdout.split("\n").find((l) => l.startsWith(`  ${n}. pulumi `));
    if (!line) throw new Error(`no step ${n} in:\n${planned.stdout}`);
    return shellWords(line.replace(/^\s*\d+\.\s+pulumi\s+/, ""));
  };
  const bulk = JSON.parse(fs.readFileSync(path.join(dir, "integrations.json"), "utf8")) as unknown;
  expect(bulk).toEqual({
    resources: [
      { type: NATIVE, name: "aws-prod", id: `${emu.hubs.primary}/${ids["aws-prod"]}` },
      { type: NATIVE, name: "tls", id: `${emu.hubs.primary}/${ids.tls}` },
    ],
  });

  // 2. The project switched to Pulumi YAML on the plugin the package ships; the Node program moved aside.
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cycle-migrate\nruntime: yaml\npackages:\n  cycle: ./node_modules/pulumi-cycle/bin\n");
  fs.renameSync(path.join(dir, "index.js"), path.join(dir, "index.js.dynamic"));
  const withConfig = ["--config-file", stack.configFile, "--non-interactive", "--color", "never"];

  // 3. pulumi import --file: Pulumi reads each integration and writes the program, made Main.yaml.
  await stack.must([...step(2), ...withConfig]);
  expect(planned.stdout).toContain("`mv imported.yaml Main.yaml`");
  fs.renameSync(path.join(dir, "imported.yaml"), path.join(dir, "Main.yaml"));
  const program = fs.readFileSync(path.join(dir, "Main.yaml"), "utf8");
  expect(program).toMatch(/type: cycle:Integration|type: cycle:index:Integration/);
  expect(program).toMatch(/vendor: aws/);
  expect(program).toMatch(/vendor: lets-encrypt/);
  expect(program).not.toMatch(/auth|protect/);

  // 4. pulumi state delete of the dynamic resources and their provider.
  await stack.must(step(3));

  // 5. The YAML program: no change.
  const preview = await stack.preview(["--expect-no-changes"]);
  expect({ code: preview.code, out: preview.code === 0 ? "" : `${preview.stdout}\n${preview.stderr}` }).toEqual({ code: 0, out: "" });

  // No write reached the API (no job either: only a write starts one).
  expect(emu.requestLog.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`)).toEqual([]);
  expect(emu.requestLog.length).toBeGreaterThan(0);

  const after = await exported();
  expect(after.resources.filter((r) => r.type === DYNAMIC || r.type === "pulumi:providers:pulumi-nodejs")).toEqual([]);
  const native = after.resources.filter((r) => r.type === NATIVE);
  expect(Object.fromEntries(native.map((r) => [r.urn.split("::").pop(), r.id]))).toEqual(ids);
  // Nothing recorded for credentials, and neither credential nor the key anywhere in the state or the outputs.
  expect(native.map((r) => r.inputs?.auth)).toEqual([undefined, undefined]);
  for (const value of [AWS_GOOD.keyId, AWS_GOOD.secret, emu.keys.admin]) {
    expect(after.text).not.toContain(value);
    expect(planned.stdout).not.toContain(value);
    expect(preview.stdout).not.toContain(value);
  }
});
