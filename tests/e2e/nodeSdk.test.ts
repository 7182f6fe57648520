/**
 * The generated Node.js SDK (`sdk/nodejs`, `@pulumi-cycle/cycle`) end to end
 * under the real CLI: the SDK compiled as a user's install would be, a
 * program using it run by the Node.js language host (the test host of
 * tests/langhost), and the native plugin (`bin/pulumi-resource-cycle`, through
 * `plugins: providers:` in Pulumi.yaml) serving it, against the emulator.
 * One stack: `up` creates the integration and looks it up by vendor and
 * identifier (`getIntegrationOutput`, an Invoke), `preview
 * --expect-no-changes`, the state holds no credential (the SDK marks `auth`
 * secret although the program writes it as literals), `destroy` deletes it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cliStack";
import { AWS_GOOD } from "../helpers/fixtures";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
const IDENTIFIER = "node-sdk-backups";

let emu: EmulatorHandle;
let work: string;
let stack: CliStack;

const PROGRAM = `
const cycle = require("@pulumi-cycle/cycle");

// Literal credentials on purpose: the SDK itself must make them secret.
const integration = new cycle.Integration("backups", {
  vendor: "aws",
  name: "Node SDK backups",
  identifier: ${JSON.stringify(IDENTIFIER)},
  auth: { keyId: ${JSON.stringify(AWS_GOOD.keyId)}, secret: ${JSON.stringify(AWS_GOOD.secret)} },
});
// Looked up once the integration exists (its identifier is an output).
const found = cycle.getIntegrationOutput({ vendor: integration.vendor, identifier: integration.identifier });

exports.integrationId = integration.integrationId;
exports.foundId = found.id;
exports.foundName = found.name;
`;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  // Under the repository, so that the program and the SDK resolve @pulumi/pulumi
  // (and the SDK's build its types) from the repository's node_modules.
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  work = fs.mkdtempSync(path.join(ROOT, ".cache", "e2e-node-sdk-"));
  const sdk = path.join(work, "node_modules", "@pulumi-cycle", "cycle");
  // Built as the SDK's own `npm run build` does (tsc), from a copy, so nothing lands in sdk/.
  fs.cpSync(path.join(ROOT, "sdk", "nodejs"), path.join(work, "sdk-src"), { recursive: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(work, "sdk-src", "tsconfig.json"), "--outDir", sdk], {
    stdio: "inherit",
  });
  fs.copyFileSync(path.join(work, "sdk-src", "package.json"), path.join(sdk, "package.json"));

  const project = path.join(work, "program");
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, "Pulumi.yaml"),
    [
      "name: cycle-node-sdk",
      "runtime: nodejs",
      "main: index.js",
      "plugins:",
      "  providers:",
      "    - name: cycle",
      `      path: ${path.join(ROOT, "bin")}`,
      "",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
  stack = new CliStack({ projectDir: project, dir: path.join(work, "stack"), stackName: "e2e", languageHost: "test" });
  await stack.init();
  await stack.setConfig("cycle:apiKey", emu.keys.admin, true);
  await stack.setConfig("cycle:hubId", emu.hubs.primary);
  await stack.setConfig("cycle:apiUrl", emu.url);
});
afterAll(async () => {
  await emu?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const ours = () => emu.integrations(emu.hubs.primary).filter((i) => i.identifier === IDENTIFIER);

test("up creates the integration and looks it up; preview is empty; no credential in state; destroy deletes it", async () => {
  await stack.must(["up", "--yes", "--skip-preview", "--stack", "e2e", "--config-file", stack.configFile, "--non-interactive", "--color", "never"]);
  const [created, ...more] = ours();
  expect(more).toEqual([]);
  expect(created).toMatchObject({ vendor: "aws", name: "Node SDK backups", state: { current: "live" } });
  expect(await stack.outputs()).toEqual({ integrationId: created.id, foundId: created.id, foundName: "Node SDK backups" });

  const preview = await stack.preview(["--expect-no-changes"]);
  expect([preview.code, preview.code === 0 ? "" : preview.stdout + preview.stderr]).toEqual([0, ""]);

  const state = (await stack.must(["stack", "export", "--stack", "e2e"])).stdout;
  expect(state).toContain("cycle:index:Integration");
  for (const value of [AWS_GOOD.keyId, AWS_GOOD.secret, emu.keys.admin]) expect(state).not.toContain(value);

  await stack.must(["destroy", "--yes", "--skip-preview", "--stack", "e2e", "--config-file", stack.configFile, "--non-interactive", "--color", "never"]);
  // Deleted (and, after the emulator's grace period, purged).
  expect(ours().filter((i) => i.state.current !== "deleted")).toEqual([]);
  expect(emu.requestLog.filter((e) => e.method === "DELETE").map((e) => e.path.split("?")[0])).toEqual([`/v1/hubs/current/integrations/${created.id}`]);
});
