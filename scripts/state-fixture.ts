/**
 * Writes a state fixture for tests/e2e/state.test.ts: a packed pulumi-cycle
 * (a release's tarball, or `npm pack` of a commit) installed in a fresh
 * program, `pulumi up` under the real CLI against the emulator with a fixed
 * seed, and `pulumi stack export`. What a version wrote must keep
 * refreshing and destroying with every later one.
 *
 *   npx ts-node --transpile-only scripts/state-fixture.ts <package.tgz> <out dir> <stack> "<who wrote it>"
 *
 * Writes stack.json, Pulumi.<stack>.yaml and meta.json into <out dir>.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { offlineEnv, pulumiCliDir } from "./localStack";

const ROOT = path.resolve(__dirname, "..");

/** The same hubs and key as every fixture, so tests map one state as they map another. */
const SEED = {
  hubs: { primary: "6a1f0c2e9b3d4a5f6e7d8c9b", secondary: "6b2f0c2e9b3d4a5f6e7d8c9c" },
  keys: { admin: "emu_fixture_admin_key_0001" },
};

const AWS = { keyId: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/** What the program declares: the same three integrations as the 0.1.0 fixture. */
const INTEGRATIONS = [
  { name: "aws", args: { vendor: "aws", name: "Fixture AWS", auth: { keyId: "config:awsKeyId", secret: "config:awsSecret" } } },
  {
    name: "backups",
    args: {
      vendor: "backblaze-b2",
      name: "Fixture backups",
      identifier: "fixture-backups",
      auth: { keyId: "0012ab34cd56ef7890", secret: "K0123456789abcdefghijABCDEFGHIJ" },
      extra: { bucket: "fixture-bucket" },
    },
  },
  { name: "tls", args: { vendor: "lets-encrypt", name: "Fixture certificates", extra: { email: "ops@example.com" } } },
];

async function main(): Promise<void> {
  const [tarball, outDir, stack, by] = process.argv.slice(2);
  if (!tarball || !outDir || !stack || !by) throw new Error('usage: state-fixture.ts <package.tgz> <out dir> <stack> "<who wrote it>"');
  const cliDir = pulumiCliDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-fixture-"));
  const emu = await startEmulator({ jobStepMs: 20, deleteGraceMs: 300, seed: SEED });
  try {
    const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[
      "@pulumi/pulumi"
    ];
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cycle-e2e-program", private: true }));
    execFileSync(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", path.resolve(tarball), `@pulumi/pulumi@${pulumiVersion}`],
      {
        cwd: dir,
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    for (const f of ["driver.js", "program.js"]) fs.copyFileSync(path.join(ROOT, "tests", "e2e", "project", f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, `program.${stack}.json`), JSON.stringify({ integrations: INTEGRATIONS }, null, 2));
    const local = offlineEnv(path.join(dir, ".pulumi-local"));
    const env = { ...process.env, ...local, PULUMI_CLI_ROOT: path.dirname(cliDir), PATH: `${cliDir}:${process.env.PATH ?? ""}` };
    fs.mkdirSync(local.PULUMI_HOME, { recursive: true });
    fs.mkdirSync(local.PULUMI_BACKEND_URL.replace("file://", ""), { recursive: true });
    // Not spawnSync: the emulator answers from this process's event loop.
    const driver = async (op: string, opts: unknown = {}): Promise<void> => {
      const child = spawn(process.execPath, ["driver.js", stack, op, JSON.stringify(opts)], { cwd: dir, env });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      await new Promise((resolve) => child.on("close", resolve));
      const line = out.split("\n").find((l) => l.startsWith("__RESULT__"));
      const result = line ? (JSON.parse(line.slice("__RESULT__".length)) as { ok: boolean; error?: string }) : undefined;
      if (!result?.ok) throw new Error(`${op} failed: ${result?.error ?? err}`);
    };
    await driver("config", {
      set: {
        "cycle:apiUrl": { value: emu.url },
        "cycle:hubId": { value: SEED.hubs.primary },
        "cycle:apiKey": { value: SEED.keys.admin, secret: true },
        "cycle-e2e:awsKeyId": { value: AWS.keyId, secret: true },
        "cycle-e2e:awsSecret": { value: AWS.secret, secret: true },
      },
    });
    await driver("up");
    const exported = execFileSync(path.join(cliDir, "pulumi"), ["stack", "export", "--stack", stack], { cwd: dir, env, encoding: "utf8" });
    const resources = (JSON.parse(exported) as { deployment: { resources: Array<{ type: string; id?: string; urn: string }> } }).deployment.resources;
    const ids: Record<string, string> = {};
    for (const r of resources.filter((x) => x.type === "pulumi-nodejs:dynamic/cycle:Integration")) ids[r.urn.split("::").pop()!] = r.id!;

    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, "stack.json"), exported);
    fs.copyFileSync(path.join(dir, `Pulumi.${stack}.yaml`), path.join(outDir, `Pulumi.${stack}.yaml`));
    const meta = { written: new Date().toISOString(), by, stack, seed: SEED, emulatorUrl: emu.url, ids, integrations: INTEGRATIONS };
    fs.writeFileSync(path.join(outDir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
    console.log(`wrote ${outDir}: ${Object.keys(ids).length} integrations`);
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
