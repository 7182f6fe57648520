/**
 * The release artifact as a user installs it: `scripts/release-plugin.sh`
 * builds `pulumi-resource-cycle-v<version>-linux-amd64.tar.gz`, `pulumi
 * plugin install resource cycle <version> --file <tarball>` puts it in a
 * fresh Pulumi home, and a YAML program with no `packages:` (and no npm
 * package anywhere near it) then runs `up` and `destroy` on it against the
 * emulator.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../../emulator";
import { emulatorConnection, must, YamlProgram, YamlWorkspace } from "./harness";

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, "..", "..", "..");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let emu: EmulatorHandle;
let ws: YamlWorkspace;
let tarball: string;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 200 });
  ws = YamlWorkspace.empty();
}, 600_000);
afterAll(async () => {
  await emu?.close();
  ws?.remove();
});

test("scripts/release-plugin.sh builds the tarball: the launcher and the bundled plugin (an entry and its chunks), at its root", () => {
  const out = path.join(ws.root, "release");
  tarball = execFileSync("bash", [path.join(ROOT, "scripts", "release-plugin.sh"), out], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  expect(tarball).toBe(path.join(fs.realpathSync(out), `pulumi-resource-cycle-v${VERSION}-linux-amd64.tar.gz`));
  const listing = execFileSync("tar", ["-tvzf", tarball], { encoding: "utf8" }).trim().split("\n");
  const files = listing.filter((l) => l.startsWith("-")).map((l) => l.split(/\s+/).pop()!);
  expect(files.filter((f) => !f.startsWith("chunks/")).sort()).toEqual(["pulumi-resource-cycle", "pulumi-resource-cycle.mjs"]);
  expect(files.filter((f) => f.startsWith("chunks/")).length).toBeGreaterThan(0);
  expect(files.filter((f) => !f.endsWith(".mjs") && f !== "pulumi-resource-cycle")).toEqual([]);
  expect(listing.find((l) => l.endsWith(" pulumi-resource-cycle"))).toMatch(/^-rwxr-xr-x/);
});

test("pulumi plugin install --file puts it in the Pulumi home; a YAML program without packages: runs up and destroy on it", async () => {
  const install = must(await ws.pulumi(ws.root, ["plugin", "install", "resource", "cycle", VERSION, "--file", tarball, "--non-interactive"]));
  expect(`${install.stdout}${install.stderr}`).not.toMatch(/error/i);
  const installed = path.join(ws.pulumiHome, "plugins", `resource-cycle-v${VERSION}`);
  expect(
    fs
      .readdirSync(installed)
      .filter((f) => !f.startsWith("."))
      .sort(),
  ).toEqual(["chunks", "pulumi-resource-cycle", "pulumi-resource-cycle.mjs"]);
  const ls = must(await ws.pulumi(ws.root, ["plugin", "ls", "--json"]));
  expect(JSON.parse(ls.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: "cycle", kind: "resource", version: VERSION })]));

  const prog: YamlProgram = ws.program("installed");
  prog.write(
    `
resources:
  certs:
    type: cycle:Integration
    properties:
      vendor: lets-encrypt
      name: Certificates from the installed plugin
      extra:
        email: ops@example.com
outputs:
  id: \${certs.id}
  state: \${certs.state}
`,
    { packages: false },
  );
  expect(fs.readFileSync(path.join(prog.dir, "Pulumi.yaml"), "utf8")).not.toMatch(/packages:|plugins:/);
  await prog.init();
  await prog.setConfig(emulatorConnection(emu));

  const up = must(await prog.up());
  // Found in the plugin cache, not on PATH (which holds none: see cliPath).
  expect(`${up.stdout}${up.stderr}`).not.toMatch(/from \$PATH/);
  const outputs = (await prog.outputs()) as { id: string; state: string };
  expect(outputs.state).toBe("new");
  expect(emu.integrations(emu.hubs.primary).map((i) => i.id)).toEqual([outputs.id]);

  must(await prog.destroy());
  expect(emu.integrations(emu.hubs.primary).filter((i) => i.state.current !== "deleted")).toEqual([]);
  expect(ws.transcript.flatMap((r) => [r.stdout, r.stderr]).filter((t) => t.includes(emu.keys.admin))).toEqual([]);
});
