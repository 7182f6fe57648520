/**
 * A Pulumi stack on this machine, with no cloud and no internet: a local
 * file backend, a fixed passphrase, no update checks and no plugin
 * downloads. `scripts/cliStack.ts` drives such a stack of a program
 * directory through the `pulumi` command; the e2e harness uses the same
 * environment.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** The directory holding `pulumi`: on PATH, cached, or built (scripts/pulumi-cli.sh). */
export function pulumiCliDir(): string {
  const out = execFileSync("bash", [path.join(ROOT, "scripts", "pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const dir = out.trim().split("\n").pop() ?? "";
  if (!dir || !fs.existsSync(path.join(dir, "pulumi"))) throw new Error(`scripts/pulumi-cli.sh did not provide the Pulumi CLI (got "${dir}")`);
  return dir;
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
