/**
 * A Pulumi stack on this machine, with no cloud and no internet: a local
 * file backend, a fixed passphrase, no update checks and no plugin
 * downloads. The program is a file (a Pulumi program module, as `main` in
 * Pulumi.yaml would name it) run as an Automation API inline program, whose
 * language host runs in this process; see tools/pulumi-cli/README.md for why.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as auto from "@pulumi/pulumi/automation";

const ROOT = path.resolve(__dirname, "..");

/** The directory holding `pulumi`: on PATH, cached, or built (scripts/pulumi-cli.sh). */
export function pulumiCliDir(): string {
  const out = execFileSync("bash", [path.join(ROOT, "scripts", "pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const dir = out.trim().split("\n").pop() ?? "";
  if (!dir || !fs.existsSync(path.join(dir, "pulumi"))) throw new Error(`scripts/pulumi-cli.sh did not provide the Pulumi CLI (got "${dir}")`);
  return dir;
}

export interface LocalStackOptions {
  /** Where state, the stack's Pulumi home and work directory live. Wiped when `fresh`. */
  dir: string;
  /** The Pulumi program module to run (its exports become stack outputs). */
  programFile: string;
  /** The directory the program and the dynamic provider run in (module resolution starts here). */
  workDir: string;
  projectName: string;
  stackName: string;
  fresh?: boolean;
  cliDir?: string;
  /** Extra environment for the CLI and the provider process. */
  env?: Record<string, string>;
}

/** The environment every local run gets. */
export function offlineEnv(dir: string): Record<string, string> {
  return {
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "local-only-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
}

/**
 * Runs the program module afresh each time the engine asks: Node caches
 * modules, and a cached program would register no resources on the second
 * run (and the engine would plan to delete them all).
 */
export function programFrom(file: string): auto.PulumiFn {
  return async () => {
    const resolved = require.resolve(file);
    delete require.cache[resolved];
    const exports = require(resolved) as Record<string, unknown>;
    return { ...exports };
  };
}

export async function localStack(opts: LocalStackOptions): Promise<auto.Stack> {
  if (opts.fresh) fs.rmSync(opts.dir, { recursive: true, force: true });
  const env = offlineEnv(opts.dir);
  fs.mkdirSync(path.join(opts.dir, "state"), { recursive: true });
  fs.mkdirSync(env.PULUMI_HOME, { recursive: true });
  fs.mkdirSync(opts.workDir, { recursive: true });
  const cliDir = opts.cliDir ?? pulumiCliDir();
  const pulumiCommand = await auto.PulumiCommand.get({ root: path.dirname(cliDir) });
  return auto.LocalWorkspace.createOrSelectStack(
    { projectName: opts.projectName, stackName: opts.stackName, program: programFrom(opts.programFile) },
    {
      workDir: opts.workDir,
      pulumiCommand,
      projectSettings: { name: opts.projectName, runtime: "nodejs", description: "pulumi-cycle local stack" },
      // The CLI and the plugins it starts find `pulumi-resource-pulumi-nodejs` next to `pulumi` or on PATH.
      envVars: { ...env, PATH: `${cliDir}:${process.env.PATH ?? ""}`, ...opts.env },
    },
  );
}
