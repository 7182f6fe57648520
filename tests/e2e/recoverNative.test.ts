/**
 * `pulumi-cycle recover` on a stack of the native `cycle:index:Integration`:
 * a Pulumi YAML program's `pulumi up` of three verifiable integrations is
 * killed (`kill -9` of the CLI, the plugin and everything else it started)
 * once their creates reached the hub; the command writes what they made into
 * the state the engine left (pending creates of the native type); the next
 * `up` ends with exactly three integrations, the same IDs, and an empty plan.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { CliStack } from "../../scripts/cliStack";
import { AWS_GOOD } from "../helpers/fixtures";
import { processTree, programStack, runCommand } from "./harness";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
const NATIVE = "cycle:index:Integration";

const PROGRAM = `config:
  awsKeyId:
    type: string
    secret: true
  awsSecret:
    type: string
    secret: true
resources:
${["one", "two", "three"]
  .map(
    (n) => `  aws-${n}:
    type: ${NATIVE}
    properties:
      vendor: aws
      name: Recover native ${n}
      auth:
        keyId: \${awsKeyId}
        secret: \${awsSecret}`,
  )
  .join("\n")}
`;

let emu: EmulatorHandle;
let dir: string;
let stack: CliStack;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const createPosts = () => emu.requestLog.filter((e) => e.method === "POST" && /\/integrations$/.test(e.path.split("?")[0]));
const present = () => emu.integrations(emu.hubs.primary).filter((i) => i.state.current !== "deleted" && i.state.current !== "deleting");

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  // Verify jobs of about 8 s: the update is still waiting on them when it is killed.
  emu = await startEmulator({ jobStepMs: 2000, deleteGraceMs: 200 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-recover-native-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cycle-recover-native\nruntime: yaml\npackages:\n  cycle: ./node_modules/pulumi-cycle/bin\n");
  fs.writeFileSync(path.join(dir, "Main.yaml"), PROGRAM);
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

test("kill -9 of a YAML program's up mid-create, recover, up: exactly the integrations it made, an empty plan", async () => {
  const args = ["--stack", "dev", "--config-file", stack.configFile, "--non-interactive", "--color", "never"];
  const env = { ...process.env, ...stack.env };
  const up = spawn(path.join(stack.cliDir, "pulumi"), ["up", "--yes", "--skip-preview", ...args], { cwd: dir, env, stdio: "ignore" });
  const exited = new Promise((resolve) => up.on("close", resolve));
  await waitFor("3 create POSTs", () => createPosts().length >= 3, 120_000);
  const tree = processTree(up.pid!);
  expect(tree.some((t) => /pulumi-resource-cycle/.test(t.args))).toBe(true);
  for (const pid of [up.pid!, ...tree.map((t) => t.pid)]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await exited;
  const made = present().map((i) => i.id);
  expect(made).toHaveLength(3);

  const killed = JSON.parse((await stack.must(["stack", "export", "--stack", "dev"])).stdout) as {
    deployment: { resources?: Array<{ type: string }>; pending_operations?: Array<{ type: string; resource: { type: string } }> };
  };
  expect((killed.deployment.pending_operations ?? []).filter((o) => o.type === "creating" && o.resource.type === NATIVE)).toHaveLength(3);
  expect((killed.deployment.resources ?? []).filter((r) => r.type === NATIVE)).toEqual([]);

  // The killed update's lock, then the command, with the connection from the environment (the stack's config file is the test's own).
  await stack.must(["cancel", "--yes", "--stack", "dev", "--non-interactive"]);
  const recovered = await runCommand(process.execPath, [path.join(ROOT, "bin", "provider", "cli", "main.js"), "recover", "--stack", "dev", "--yes"], dir, {
    ...env,
    CYCLE_API_KEY: emu.keys.admin,
    CYCLE_HUB_ID: emu.hubs.primary,
    CYCLE_API_URL: emu.url,
  });
  expect({ code: recovered.code, err: recovered.stderr }).toEqual({ code: 0, err: "" });
  expect(recovered.stdout).toMatch(/Found \(3\)/);

  const after = await stack.up();
  expect({ code: after.code, out: after.code === 0 ? "" : `${after.stdout}\n${after.stderr}` }).toEqual({ code: 0, out: "" });
  expect(createPosts()).toHaveLength(3);
  expect(
    present()
      .map((i) => i.id)
      .sort(),
  ).toEqual([...made].sort());
  const state = JSON.parse((await stack.must(["stack", "export", "--stack", "dev"])).stdout) as {
    deployment: { resources: Array<{ type: string; id?: string; outputs?: Record<string, unknown> }> };
  };
  const recorded = state.deployment.resources.filter((r) => r.type === NATIVE);
  expect(recorded.map((r) => r.id).sort()).toEqual([...made].sort());
  expect(recorded.map((r) => r.outputs?.verified)).toEqual([true, true, true]);
  const preview = await stack.preview(["--expect-no-changes"]);
  expect({ code: preview.code, out: preview.code === 0 ? "" : preview.stdout }).toEqual({ code: 0, out: "" });
  for (const value of [AWS_GOOD.keyId, AWS_GOOD.secret, emu.keys.admin]) {
    expect(JSON.stringify(state)).not.toContain(value);
    expect(recovered.stdout).not.toContain(value);
  }
});
