/**
 * End-to-end harness for Pulumi YAML programs on the native provider plugin,
 * as a user runs them: the packed package (`npm pack`) installed with npm
 * into a fresh directory, and each program a directory beside it whose
 * `Pulumi.yaml` says `runtime: yaml` and `packages: cycle:
 * ../node_modules/pulumi-cycle/bin` (the plugin the installed package
 * ships). Commands are the real `pulumi` of scripts/pulumi-cli.sh with its
 * YAML language host, a local file backend, a Pulumi home of its own, and
 * plugin downloads disabled, so a plugin that cannot be found fails instead
 * of being fetched.
 *
 * Every command's output is kept (`transcript`), so a test can search all
 * of it, and every stack's `pulumi stack export`, for credentials.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { offlineEnv, pulumiCliDir } from "../../../scripts/localStack";
import { CommandResult, runCommand } from "../harness";
import { installPacked } from "../packed";

/** One command a test ran, with what it printed. */
export interface CommandRecord extends CommandResult {
  /** `pulumi <args>`, for messages. */
  command: string;
}

/**
 * PATH for the CLI: its own directory and Node.js (the plugin's launcher
 * runs `node`), then the caller's PATH less every `node_modules/.bin` (an
 * ambient `pulumi-resource-cycle` there would be found before the one a test
 * means to exercise).
 */
export function cliPath(cliDir: string): string {
  const rest = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "" && !d.includes(`node_modules${path.sep}.bin`));
  return [cliDir, path.dirname(process.execPath), ...rest].join(path.delimiter);
}

/** The environment of every command: local backend, own Pulumi home, no plugin downloads, no CYCLE_* variables. */
export function cliEnv(stateDir: string, cliDir: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const base = offlineEnv(stateDir);
  fs.mkdirSync(base.PULUMI_HOME, { recursive: true });
  fs.mkdirSync(base.PULUMI_BACKEND_URL.replace("file://", ""), { recursive: true });
  return {
    ...process.env,
    ...base,
    PATH: cliPath(cliDir),
    CYCLE_API_KEY: undefined,
    CYCLE_HUB_ID: undefined,
    CYCLE_API_URL: undefined,
    CYCLE_DEBUG: undefined,
    ...extra,
  };
}

/** A directory holding the installed package, and YAML programs beside it sharing one backend and Pulumi home. */
export class YamlWorkspace {
  readonly transcript: CommandRecord[] = [];

  private constructor(
    readonly root: string,
    readonly cliDir: string,
    readonly env: Record<string, string | undefined>,
  ) {}

  /** A new directory with the packed package installed, as `npm install pulumi-cycle` does. */
  static create(): YamlWorkspace {
    const cliDir = pulumiCliDir();
    if (!fs.existsSync(path.join(cliDir, "pulumi-language-yaml"))) throw new Error(`${cliDir} has no pulumi-language-yaml (scripts/pulumi-cli.sh builds it)`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-yaml-"));
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "cycle-yaml-programs", private: true }));
    // Without the peer @pulumi/pulumi (which npm adds by default): the plugin
    // is one bundle and must need nothing else, and a YAML program has no use
    // for the Node.js SDK. Packed and installed once per test run (../packed.ts).
    installPacked(root, [], ["--omit=peer"]);
    return new YamlWorkspace(root, cliDir, cliEnv(path.join(root, ".pulumi-local"), cliDir));
  }

  /** A new directory without the package: its programs find the plugin some other way (`pulumi plugin install`). */
  static empty(): YamlWorkspace {
    const cliDir = pulumiCliDir();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-yaml-"));
    return new YamlWorkspace(root, cliDir, cliEnv(path.join(root, ".pulumi-local"), cliDir));
  }

  /** The Pulumi home every command of this workspace uses. */
  get pulumiHome(): string {
    return this.env.PULUMI_HOME!;
  }

  /** The plugin directory the installed package ships (`packages: cycle: <this>`). */
  get pluginDir(): string {
    return path.join(this.root, "node_modules", "pulumi-cycle", "bin");
  }

  /** A program directory `<root>/<name>` with a stack `<stack>` (not yet created: see `YamlProgram.init`). */
  program(name: string, stack = "dev"): YamlProgram {
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { recursive: true });
    return new YamlProgram(this, dir, name, stack);
  }

  /** Runs `pulumi <args>` in `cwd`, recorded in the transcript; never throws for a failed command. */
  async pulumi(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CommandRecord> {
    const r = await runCommand(path.join(this.cliDir, "pulumi"), args, cwd, { ...this.env, ...env });
    const record = { ...r, command: `pulumi ${args.join(" ")}` };
    this.transcript.push(record);
    return record;
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Throws with the command's output when it failed. */
export function must(r: CommandRecord): CommandRecord {
  if (r.code !== 0) throw new Error(`${r.command} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`.trim());
  return r;
}

/** A YAML program directory and one stack of it. */
export class YamlProgram {
  constructor(
    readonly workspace: YamlWorkspace,
    readonly dir: string,
    readonly project: string,
    readonly stack: string,
  ) {}

  /**
   * Writes `Pulumi.yaml`: the project header (name, `runtime: yaml`, and
   * unless `packages` is false the installed package's plugin directory,
   * relative as a user writes it) followed by `body` (top-level YAML:
   * `config:`, `resources:`, `variables:`, `outputs:`).
   */
  write(body: string, opts: { packages?: boolean } = {}): void {
    const pluginDir = path.relative(this.dir, this.workspace.pluginDir);
    const header = [`name: ${this.project}`, "runtime: yaml", ...(opts.packages === false ? [] : ["packages:", `  cycle: ${pluginDir}`])];
    fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), `${header.join("\n")}\n${body.trimEnd()}\n`);
  }

  pulumi(args: string[], env: Record<string, string | undefined> = {}): Promise<CommandRecord> {
    return this.workspace.pulumi(this.dir, args, env);
  }

  private stackArgs(): string[] {
    return ["--stack", this.stack, "--non-interactive", "--color", "never"];
  }

  async init(): Promise<void> {
    must(await this.pulumi(["stack", "init", this.stack, "--non-interactive"]));
  }

  /** `pulumi config set-all`: each value `--plaintext` or, when `secret`, `--secret` (encrypted in the stack file). */
  async setConfig(values: Record<string, { value: string; secret?: boolean }>): Promise<void> {
    const args = Object.entries(values).flatMap(([key, v]) => [v.secret ? "--secret" : "--plaintext", `${key}=${v.value}`]);
    must(await this.pulumi(["config", "set-all", ...this.stackArgs(), ...args]));
  }

  up(extra: string[] = []): Promise<CommandRecord> {
    return this.pulumi(["up", "--yes", ...extra, ...this.stackArgs()]);
  }

  preview(extra: string[] = []): Promise<CommandRecord> {
    return this.pulumi(["preview", ...extra, ...this.stackArgs()]);
  }

  refresh(extra: string[] = []): Promise<CommandRecord> {
    return this.pulumi(["refresh", "--yes", ...extra, ...this.stackArgs()]);
  }

  destroy(extra: string[] = []): Promise<CommandRecord> {
    return this.pulumi(["destroy", "--yes", "--skip-preview", ...extra, ...this.stackArgs()]);
  }

  /** `pulumi stack output --json` (secrets stay `[secret]`). */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse(must(await this.pulumi(["stack", "output", "--json", "--stack", this.stack])).stdout) as Record<string, unknown>;
  }

  /** `pulumi stack export` as a user or a CI log sees it (no --show-secrets): its text and its resources. */
  async exportState(): Promise<{ text: string; resources: Array<Record<string, unknown>> }> {
    const text = must(await this.pulumi(["stack", "export", "--stack", this.stack])).stdout;
    const parsed = JSON.parse(text) as { deployment: { resources?: Array<Record<string, unknown>> } };
    return { text, resources: parsed.deployment.resources ?? [] };
  }

  /**
   * `pulumi stack export --show-secrets`: the state with its secrets
   * decrypted, to show that a credential missing from the plain export was
   * there (encrypted). Kept out of the transcript, which it would fill with them.
   */
  async exportWithSecrets(): Promise<string> {
    const r = await runCommand(
      path.join(this.workspace.cliDir, "pulumi"),
      ["stack", "export", "--show-secrets", "--stack", this.stack],
      this.dir,
      this.workspace.env,
    );
    if (r.code !== 0) throw new Error(`pulumi stack export --show-secrets failed (exit ${r.code}):\n${r.stderr}`);
    return r.stdout;
  }
}

/** The stack config that reaches an emulator: its URL, the primary hub, and the admin key as a secret. */
export function emulatorConnection(emu: {
  url: string;
  hubs: { primary: string };
  keys: { admin: string };
}): Record<string, { value: string; secret?: boolean }> {
  return {
    "cycle:apiUrl": { value: emu.url },
    "cycle:hubId": { value: emu.hubs.primary },
    "cycle:apiKey": { value: emu.keys.admin, secret: true },
  };
}

/** The type token of the native resource, as state records it. */
export const INTEGRATION_TYPE = "cycle:index:Integration";

/**
 * Where any of `secrets` occurs in `texts` (label → text): one line per hit
 * naming the text and the secret's position in the list (never the secret).
 */
export function credentialHits(texts: Array<{ label: string; text: string }>, secrets: string[]): string[] {
  const hits: string[] = [];
  for (const { label, text } of texts) {
    secrets.forEach((s, i) => {
      if (s.length > 0 && text.includes(s)) hits.push(`${label}: credential #${i}`);
    });
  }
  return hits;
}

/** Every output of the workspace's commands, for `credentialHits`. */
export function transcriptTexts(ws: YamlWorkspace): Array<{ label: string; text: string }> {
  return ws.transcript.flatMap((r, i) => [
    { label: `#${i} ${r.command} (stdout)`, text: r.stdout },
    { label: `#${i} ${r.command} (stderr)`, text: r.stderr },
  ]);
}
