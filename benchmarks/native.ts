/**
 * The native leg of the benchmark: the same N integrations as a Pulumi YAML
 * program on the plugin `pulumi-resource-cycle` of the packed package
 * (`packages: cycle: ../node_modules/pulumi-cycle/bin`), driven by the real
 * `pulumi` with its YAML language host, each operation as the Automation API
 * runs the dynamic leg's (`--yes --skip-preview`, `preview` alone).
 */
import * as fs from "fs";
import * as path from "path";
import { CliStack } from "../scripts/cliStack";
import type { E2EProject } from "../tests/e2e/harness";

/** The YAML program: N AWS integrations named `<prefix> <i>`, credentials from secret config. */
export function yamlProgram(n: number, namePrefix: string): string {
  const lines = [
    "name: cycle-bench-native",
    "runtime: yaml",
    "packages:",
    "  cycle: ../node_modules/pulumi-cycle/bin",
    "config:",
    "  awsKeyId:",
    "    type: string",
    "    secret: true",
    "  awsSecret:",
    "    type: string",
    "    secret: true",
    n > 0 ? "resources:" : "resources: {}",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  i${i}:`,
      "    type: cycle:index:Integration",
      "    properties:",
      "      vendor: aws",
      `      name: ${JSON.stringify(`${namePrefix} ${i}`)}`,
      "      auth:",
      "        keyId: ${awsKeyId}",
      "        secret: ${awsSecret}",
    );
  }
  return `${lines.join("\n")}\n`;
}

export interface NativeStack {
  /** Runs `up`, `preview`, `refresh` or `destroy`; throws with the CLI's output when it fails. */
  run(op: string): Promise<void>;
  /** `pulumi stack export`, as printed. */
  exportText(): Promise<string>;
}

/**
 * A new stack of the YAML program in `<project>/<name>/` (its own backend
 * and Pulumi home), configured for the emulator.
 */
export async function nativeStack(
  project: E2EProject,
  name: string,
  n: number,
  namePrefix: string,
  config: Record<string, { value: string; secret?: boolean }>,
): Promise<NativeStack> {
  const dir = path.join(project.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yamlProgram(n, namePrefix));
  const stack = new CliStack({ projectDir: dir, dir: path.join(dir, ".stack"), stackName: "bench", fresh: true, env: { CYCLE_QUIET: "1" } });
  await stack.init();
  for (const [key, v] of Object.entries(config)) await stack.setConfig(key, v.value, v.secret === true);
  const check = (r: { code: number; stdout: string; stderr: string; command: string }) => {
    if (r.code !== 0) throw new Error(`${r.command} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  };
  return {
    async run(op: string) {
      if (op === "up") check(await stack.up(["--skip-preview"]));
      else if (op === "preview") check(await stack.preview());
      else if (op === "refresh") check(await stack.refresh());
      else if (op === "destroy") check(await stack.destroy());
      else throw new Error(`unknown op ${op}`);
    },
    async exportText() {
      return (await stack.must(["stack", "export", "--stack", "bench"])).stdout;
    },
  };
}
