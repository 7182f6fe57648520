/**
 * Pulumi YAML programs on the native provider plugin, under the real CLI,
 * against the emulator, from a fresh directory that installed the packed
 * package:
 *
 * - two hubs in one program, through two explicit `pulumi:providers:cycle`
 *   resources, each with its own API key and hub (no stack-level `cycle:`
 *   config at all);
 * - `pulumi import cycle:index:Integration <name> <id> --out <file>` of
 *   integrations made in the hub directly (as in the portal), one of them of
 *   a vendor whose integrations cannot be edited: the code Pulumi writes,
 *   put in the program, previews with no change;
 * - every command's output and each stack's state searched for each
 *   credential used: 0 found.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../../emulator";
import { AWS_GOOD } from "../../helpers/fixtures";
import { credentialHits, emulatorConnection, INTEGRATION_TYPE, must, transcriptTexts, YamlProgram, YamlWorkspace } from "./harness";

jest.setTimeout(240_000);

/** Credentials of an Azure integration (a vendor whose integrations are not editable). */
const AZURE = {
  subscription_id: "4f1c2a8e-93d1-4b7a-8c52-1e0f6a9b3d27",
  client_id: "b7e4d9c1-2a6f-4e08-9d3b-5c8a1f7e2b60",
  secret: "azureClientSecretForImport~0123",
};

let emu: EmulatorHandle;
let ws: YamlWorkspace;
const stateExports: Array<{ label: string; text: string }> = [];

const liveIn = (hub: string) => emu.integrations(hub).filter((i) => i.state.current !== "deleted");

async function exportState(prog: YamlProgram, label: string) {
  const s = await prog.exportState();
  stateExports.push({ label: `${prog.project}: stack export after ${label}`, text: s.text });
  return s;
}

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  ws = YamlWorkspace.create();
}, 600_000);
afterAll(async () => {
  await emu?.close();
  ws?.remove();
});

describe("two hubs through two explicit providers", () => {
  let prog: YamlProgram;

  test("up puts each integration in its provider's hub, with that provider's key", async () => {
    prog = ws.program("hubs");
    prog.write(`
config:
  apiUrl:
    type: string
  stagingHub:
    type: string
  stagingKey:
    type: string
    secret: true
  productionHub:
    type: string
  productionKey:
    type: string
    secret: true
  awsKeyId:
    type: string
    secret: true
  awsSecret:
    type: string
    secret: true

resources:
  staging:
    type: pulumi:providers:cycle
    properties:
      apiUrl: \${apiUrl}
      hubId: \${stagingHub}
      apiKey: \${stagingKey}
  production:
    type: pulumi:providers:cycle
    properties:
      apiUrl: \${apiUrl}
      hubId: \${productionHub}
      apiKey: \${productionKey}

  stagingCerts:
    type: cycle:Integration
    properties:
      vendor: lets-encrypt
      name: Staging certificates
      extra:
        email: staging@example.com
    options:
      provider: \${staging}
  productionAws:
    type: cycle:Integration
    properties:
      vendor: aws
      name: Production AWS
      auth:
        keyId: \${awsKeyId}
        secret: \${awsSecret}
    options:
      provider: \${production}

outputs:
  stagingCerts:
    id: \${stagingCerts.id}
    hubId: \${stagingCerts.hubId}
  productionAws:
    id: \${productionAws.id}
    hubId: \${productionAws.hubId}
    verified: \${productionAws.verified}
`);
    await prog.init();
    await prog.setConfig({
      apiUrl: { value: emu.url },
      stagingHub: { value: emu.hubs.primary },
      stagingKey: { value: emu.keys.admin, secret: true },
      productionHub: { value: emu.hubs.secondary },
      // The admin key reaches the primary hub only: the production provider must use its own.
      productionKey: { value: emu.keys.otherHub, secret: true },
      awsKeyId: { value: AWS_GOOD.keyId, secret: true },
      awsSecret: { value: AWS_GOOD.secret, secret: true },
    });

    must(await prog.up(["--skip-preview"]));
    const outputs = (await prog.outputs()) as Record<string, { id: string; hubId: string; verified?: boolean }>;
    expect(outputs.stagingCerts.hubId).toBe(emu.hubs.primary);
    expect(outputs.productionAws).toMatchObject({ hubId: emu.hubs.secondary, verified: true });
    expect(liveIn(emu.hubs.primary).map((i) => i.id)).toEqual([outputs.stagingCerts.id]);
    expect(liveIn(emu.hubs.secondary).map((i) => i.id)).toEqual([outputs.productionAws.id]);
    // Each request went with the hub of the provider that made it.
    const posts = emu.requestLog.filter((e) => e.method === "POST" && /\/integrations$/.test(e.path.split("?")[0]));
    expect(posts.map((e) => e.hubId).sort()).toEqual([emu.hubs.primary, emu.hubs.secondary].sort());

    const state = await exportState(prog, "up");
    const providers = state.resources.filter((r) => r.type === "pulumi:providers:cycle").map((r) => String(r.urn).split("::").pop());
    expect(providers.sort()).toEqual(["production", "staging"]);
    // Each provider's key is in state, encrypted: shown only with --show-secrets (the sweep below searches the plain export).
    expect(credentialHits([{ label: "stack export --show-secrets", text: await prog.exportWithSecrets() }], [emu.keys.admin, emu.keys.otherHub])).toHaveLength(
      2,
    );
  });

  test("preview --expect-no-changes makes no API call; destroy empties both hubs", async () => {
    emu.clearLog();
    const preview = await prog.preview(["--expect-no-changes"]);
    expect({ code: preview.code, out: preview.code === 0 ? "" : `${preview.stdout}\n${preview.stderr}` }).toEqual({ code: 0, out: "" });
    expect(emu.requestLog.map((e) => `${e.method} ${e.path}`)).toEqual([]);
    must(await prog.destroy());
    expect(liveIn(emu.hubs.primary)).toEqual([]);
    expect(liveIn(emu.hubs.secondary)).toEqual([]);
  });
});

describe("pulumi import of integrations made in the hub", () => {
  let prog: YamlProgram;
  let awsId: string;
  let azureId: string;

  test("pulumi import --out writes a program for each; Pulumi records them, and nothing is sent to the API but reads", async () => {
    awsId = emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: "AWS made in the portal", identifier: "portal-aws", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
      { state: "live" },
    ).id;
    azureId = emu.outOfBand.create(emu.hubs.primary, { vendor: "azure", name: "Azure made in the portal", auth: AZURE }, { state: "live" }).id;

    prog = ws.program("imports");
    prog.write("resources: {}");
    await prog.init();
    await prog.setConfig(emulatorConnection(emu));

    emu.clearLog();
    // By ID (hub from config), and by <hubId>/<id>.
    const byId = must(
      await prog.pulumi([
        "import",
        INTEGRATION_TYPE,
        "portalAws",
        awsId,
        "--yes",
        "--out",
        "aws.yaml",
        "--stack",
        prog.stack,
        "--non-interactive",
        "--color",
        "never",
      ]),
    );
    expect(byId.stdout).toMatch(/= 1 imported/);
    const byHub = must(
      await prog.pulumi([
        "import",
        INTEGRATION_TYPE,
        "portalAzure",
        `${emu.hubs.primary}/${azureId}`,
        "--yes",
        "--out",
        "azure.yaml",
        "--stack",
        prog.stack,
        "--non-interactive",
      ]),
    );
    expect(byHub.stdout).toMatch(/= 1 imported/);
    expect(emu.requestLog.filter((e) => e.method !== "GET")).toEqual([]);

    const state = await exportState(prog, "import");
    const imported = state.resources.filter((r) => r.type === INTEGRATION_TYPE);
    expect(imported.map((r) => r.id).sort()).toEqual([awsId, azureId].sort());
    for (const r of imported) expect(r.protect).toBe(true);
  });

  test("the generated code, put in the program, previews with no change", async () => {
    const aws = fs.readFileSync(path.join(prog.dir, "aws.yaml"), "utf8");
    const azure = fs.readFileSync(path.join(prog.dir, "azure.yaml"), "utf8");
    for (const code of [aws, azure]) {
      expect(code).toMatch(/^resources:\n/);
      expect(code).toMatch(/type: cycle:(index:)?Integration/);
      expect(code).toMatch(/protect: true/);
      // Pulumi writes what Read returned as inputs: never credentials.
      expect(code).not.toMatch(/auth:/);
    }
    expect(aws).toMatch(/vendor: aws/);
    expect(aws).toMatch(/identifier: portal-aws/);
    expect(azure).toMatch(/vendor: azure/);
    // One program: both files' resources under one `resources:`.
    prog.write(`${aws.trimEnd()}\n${azure.replace(/^resources:\n/, "")}`);

    emu.clearLog();
    const preview = await prog.preview(["--expect-no-changes"]);
    expect({ code: preview.code, out: preview.code === 0 ? "" : `${preview.stdout}\n${preview.stderr}` }).toEqual({ code: 0, out: "" });
    expect(emu.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
  });

  test("unprotected, destroy deletes both: the hub is empty", async () => {
    must(await prog.pulumi(["state", "unprotect", "--all", "--yes", "--stack", prog.stack, "--non-interactive", "--color", "never"]));
    const destroy = must(await prog.destroy());
    expect(destroy.stdout).toMatch(/- 3 deleted/);
    expect(liveIn(emu.hubs.primary)).toEqual([]);
  });
});

test("no credential anywhere: not in any command's output, the generated code or any stack export", () => {
  const secrets = [emu.keys.admin, emu.keys.otherHub, AWS_GOOD.keyId, AWS_GOOD.secret, ...Object.values(AZURE)];
  const generated = ["aws.yaml", "azure.yaml"].map((f) => ({ label: f, text: fs.readFileSync(path.join(ws.root, "imports", f), "utf8") }));
  expect(ws.transcript.length).toBeGreaterThan(10);
  expect(stateExports).toHaveLength(2);
  expect(credentialHits([...transcriptTexts(ws), ...stateExports, ...generated], secrets)).toEqual([]);
});
