/**
 * A Pulumi YAML program on the native provider plugin, under the real CLI
 * and its YAML language host, against the emulator: the program of
 * examples/yaml (the quick start in YAML, with an `fn::invoke` lookup) run
 * from a fresh directory that installed the packed package, the plugin
 * found through `packages: cycle: ../node_modules/pulumi-cycle/bin`. One
 * stack through its whole life: `up` with verify jobs, a preview with no
 * change and no API call, drift fixed by `refresh` and `up`, a vendor change
 * that replaces, lookups by ID and by vendor and identifier, a credential
 * written as a literal (valid, and one that fails validation), `destroy`;
 * then every command's output and the state searched for each credential.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../../emulator";
import { DEMO_SECRETS } from "../../../scripts/examples";
import { credentialHits, emulatorConnection, INTEGRATION_TYPE, must, transcriptTexts, YamlProgram, YamlWorkspace } from "./harness";

jest.setTimeout(240_000);

const EXAMPLE = path.resolve(__dirname, "..", "..", "..", "examples", "yaml", "Pulumi.yaml");

/** ZeroSSL credentials written as literals in the program (they pass the catalogue's patterns). */
const ZEROSSL_LITERAL = { keyId: "zsKeyIdLiteral_0123456", secret: "zsHmacLiteral_abcdefghijklmnopqrstuvwxyz0123456789" };
/** A literal that fails the catalogue's pattern for the ZeroSSL HMAC key (too short): the failure must not quote it. */
const BAD_LITERAL = "zsBadHmacLiteral_xyz";

let emu: EmulatorHandle;
let ws: YamlWorkspace;
let prog: YamlProgram;
/** Every `stack export`, for the sweep. */
const stateExports: Array<{ label: string; text: string }> = [];

/** The example's program, with its plugin directory pointed at the installed package instead of the checkout's bin/. */
function exampleProgram(): string {
  const text = fs.readFileSync(EXAMPLE, "utf8");
  const rewritten = text.replace(/^packages:\n {2}cycle: \.\.\/\.\.\/bin$/m, `packages:\n  cycle: ${path.relative(prog.dir, ws.pluginDir)}`);
  if (rewritten === text) throw new Error(`${EXAMPLE} no longer says packages: cycle: ../../bin`);
  return rewritten;
}

/** The example's `resources:` block with `tls` replaced by `replacement` (YAML of the resource, indented by 4). */
function withTls(program: string, replacement: string): string {
  const start = program.indexOf("  # TLS certificate generation.");
  const end = program.indexOf("  # Image builder");
  if (start < 0 || end < start) throw new Error("examples/yaml changed: the tls resource is not where this test expects it");
  return `${program.slice(0, start)}  tls:\n${replacement}\n${program.slice(end)}`;
}

const zeroSsl = (secret: string) =>
  [
    "    type: cycle:Integration",
    "    properties:",
    "      vendor: zerossl",
    "      name: ZeroSSL certificates",
    "      auth:",
    `        keyId: ${ZEROSSL_LITERAL.keyId}`,
    `        secret: ${secret}`,
  ].join("\n");

const liveInHub = () => emu.integrations(emu.hubs.primary).filter((i) => i.state.current !== "deleted");
const verifyPosts = () => emu.requestLog.filter((e) => e.method === "POST" && e.path.includes("/tasks"));

async function exportState(label: string) {
  const s = await prog.exportState();
  stateExports.push({ label: `stack export after ${label}`, text: s.text });
  return s;
}

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  ws = YamlWorkspace.create();
  prog = ws.program("quickstart");
  fs.writeFileSync(path.join(prog.dir, "Pulumi.yaml"), exampleProgram());
  await prog.init();
  await prog.setConfig({
    ...emulatorConnection(emu),
    ...Object.fromEntries(Object.entries(DEMO_SECRETS).map(([key, value]) => [key, { value, secret: true }])),
  });
}, 600_000);
afterAll(async () => {
  await emu?.close();
  ws?.remove();
});

let ids: Record<string, string> = {};
/** The state with its secrets shown, before destroy: where the sweep must not find them in plain text. */
let decrypted = "";

test("up of examples/yaml: four integrations, a verify job for each that has one, verified outputs, the lookup", async () => {
  emu.clearLog();
  const up = must(await prog.up());
  expect(up.stdout).toMatch(/\+ 5 created/); // the stack and four integrations (providers are not counted)
  const outputs = await prog.outputs();
  const integrations = outputs.integrations as Record<string, { id: string; vendor: string; state: string; verified: boolean; identifier: string }>;
  ids = Object.fromEntries(Object.entries(integrations).map(([k, v]) => [k, v.id]));
  expect(integrations).toMatchObject({
    aws: { vendor: "aws", state: "live", verified: true },
    backups: { vendor: "backblaze-b2", identifier: "backups", state: "live", verified: true },
    tls: { vendor: "lets-encrypt", state: "new", verified: true },
    builder: { vendor: "depot", state: "live", verified: true },
  });
  expect(
    liveInHub()
      .map((i) => i.id)
      .sort(),
  ).toEqual(Object.values(ids).sort());
  expect(
    verifyPosts()
      .map((e) => e.path.split("/")[5])
      .sort(),
  ).toEqual([ids.aws, ids.backups, ids.builder].sort());
  // fn::invoke of cycle:index:getIntegration by ID: the hub's own record.
  expect(outputs.backupsInHub).toEqual({ id: ids.backups, name: "Container backups", state: "live" });

  const state = await exportState("up");
  const types = state.resources.map((r) => r.type);
  expect(types.filter((t) => t === INTEGRATION_TYPE)).toHaveLength(4);
  expect(types).toContain("pulumi:providers:cycle");
  expect(types.filter((t) => String(t).startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
});

test("preview --expect-no-changes: no change, and no API call for the four integrations", async () => {
  // The lookup reads the hub on every run by design; without it, nothing reaches the API.
  const withoutLookup = exampleProgram()
    .replace(/^variables:\n[\s\S]*?(?=^outputs:)/m, "")
    .replace(/^ {2}backupsInHub:\n(?: {4}.*\n)+/m, "");
  expect(withoutLookup).not.toContain("fn::invoke");
  fs.writeFileSync(path.join(prog.dir, "Pulumi.yaml"), withoutLookup);
  emu.clearLog();
  const preview = await prog.preview(["--expect-no-changes"]);
  expect({ code: preview.code, out: preview.code === 0 ? "" : `${preview.stdout}\n${preview.stderr}` }).toEqual({ code: 0, out: "" });
  expect(emu.requestLog.map((e) => `${e.method} ${e.path}`)).toEqual([]);
  fs.writeFileSync(path.join(prog.dir, "Pulumi.yaml"), exampleProgram());
});

test("a rename in the hub: refresh records the drift, up puts the name back", async () => {
  emu.outOfBand.rename(ids.aws, "Renamed in the portal");
  const refresh = must(await prog.refresh(["--skip-preview"]));
  expect(refresh.stdout).toMatch(/~ 1 updated/);
  const drifted = (await exportState("refresh")).resources.find((r) => r.id === ids.aws) as { outputs: { name: string } };
  expect(drifted.outputs.name).toBe("Renamed in the portal");

  const preview = must(await prog.preview(["--diff"]));
  expect(preview.stdout).toMatch(/~ name\s*:\s*"Renamed in the portal" => "Production AWS"/);
  emu.clearLog();
  const up = must(await prog.up(["--skip-preview"]));
  expect(up.stdout).toMatch(/~ 1 updated/);
  expect(emu.integrations(emu.hubs.primary).find((i) => i.id === ids.aws)?.name).toBe("Production AWS");
  // A rename is no change of credentials: no verify job.
  expect(verifyPosts()).toEqual([]);
});

test("a credential written as a literal that fails validation: the failure names the field and does not quote it, nothing changes", async () => {
  fs.writeFileSync(path.join(prog.dir, "Pulumi.yaml"), withTls(exampleProgram(), zeroSsl(BAD_LITERAL)));
  emu.clearLog();
  const preview = await prog.preview();
  expect(preview.code).not.toBe(0);
  expect(`${preview.stdout}\n${preview.stderr}`).toMatch(/auth\.secret/);
  expect(`${preview.stdout}\n${preview.stderr}`).not.toContain(BAD_LITERAL);
  expect(emu.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
});

test("a vendor change replaces: preview --diff names vendor, up makes the new one and deletes the old", async () => {
  const program = withTls(exampleProgram(), zeroSsl(ZEROSSL_LITERAL.secret))
    // A second lookup, by vendor and the identifier the API derived from the name.
    .replace(
      /^variables:\n/m,
      "variables:\n  awsByIdentifier:\n    fn::invoke:\n      function: cycle:index:getIntegration\n      arguments:\n        vendor: aws\n        identifier: ${aws.identifier}\n",
    )
    .replace(/^outputs:\n/m, "outputs:\n  awsByIdentifier:\n    id: ${awsByIdentifier.id}\n    name: ${awsByIdentifier.name}\n");
  fs.writeFileSync(path.join(prog.dir, "Pulumi.yaml"), program);
  const preview = must(await prog.preview(["--diff"]));
  expect(preview.stdout).toMatch(/\+-\s*cycle:index:Integration: \(replace\)/);
  expect(preview.stdout).toMatch(/~ vendor\s*:\s*"lets-encrypt" => "zerossl"/);
  expect(preview.stdout).toMatch(/\+-1 to replace/);

  emu.clearLog();
  const up = must(await prog.up(["--skip-preview"]));
  expect(up.stdout).toMatch(/\+-1 replaced/);
  const outputs = await prog.outputs();
  const tls = (outputs.integrations as Record<string, { id: string; vendor: string; state: string; verified: boolean }>).tls;
  expect(tls).toMatchObject({ vendor: "zerossl", state: "live", verified: true });
  expect(tls.id).not.toBe(ids.tls);
  expect(emu.integrations(emu.hubs.primary).find((i) => i.id === ids.tls)?.state.current ?? "deleted").toBe("deleted");
  expect(verifyPosts().map((e) => e.path.split("/")[5])).toEqual([tls.id]);
  expect(outputs.awsByIdentifier).toEqual({ id: ids.aws, name: "Production AWS" });
  ids.tls = tls.id;
  await exportState("replace");
  decrypted = await prog.exportWithSecrets();
});

test("destroy deletes every integration: the hub is empty", async () => {
  const destroy = must(await prog.destroy());
  expect(destroy.stdout).toMatch(/- 5 deleted/);
  expect(liveInHub()).toEqual([]);
});

test("no credential anywhere: not in any command's output, not in any stack export", () => {
  const secrets = [emu.keys.admin, ...Object.values(DEMO_SECRETS), ZEROSSL_LITERAL.keyId, ZEROSSL_LITERAL.secret, BAD_LITERAL];
  // The sweep looks where it should: the commands ran, and the state does hold the credentials in use (encrypted).
  expect(ws.transcript.length).toBeGreaterThan(10);
  expect(stateExports).toHaveLength(3);
  const inUse = [emu.keys.admin, DEMO_SECRETS.awsAccessKeyId, DEMO_SECRETS.depotToken, ZEROSSL_LITERAL.keyId, ZEROSSL_LITERAL.secret];
  expect(credentialHits([{ label: "stack export --show-secrets", text: decrypted }], inUse)).toHaveLength(inUse.length);
  expect(credentialHits([...transcriptTexts(ws), ...stateExports], secrets)).toEqual([]);
});
