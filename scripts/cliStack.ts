/**
 * A Pulumi stack of a program directory (one holding `Pulumi.yaml`), driven
 * through the `pulumi` command exactly as a user types it: `pulumi up` runs
 * the program through the Node.js language host. Used by `npm start`,
 * `npm run example` and the end-to-end tests.
 *
 * Everything the stack writes stays in `dir`: the local file backend, the
 * Pulumi home, and the stack's config file (passed with `--config-file`, so
 * the program directory gets no `Pulumi.<stack>.yaml`).
 *
 * The language host: the official `pulumi-language-nodejs` when this
 * machine has one (next to `pulumi` or on PATH), otherwise the test host of
 * tests/langhost (a CLI built from Go modules has none); `languageHost:
 * "test"` always uses the test host (the end-to-end tests do).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { offlineEnv, pulumiCliDir } from "./localStack";
import { officialLanguageHost, testLanguageHostDir } from "./langhost";

export interface CliStackOptions {
  /** The directory holding Pulumi.yaml. */
  projectDir: string;
  /** Where state, the Pulumi home and the stack's config file live. */
  dir: string;
  stackName: string;
  /** Remove `dir` first. */
  fresh?: boolean;
  cliDir?: string;
  /** `auto` (default): the official host if there is one, else the test host. */
  languageHost?: "auto" | "test";
  /** Extra environment for the CLI (and so for the program and the provider). */
  env?: Record<string, string>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The command line, for messages. */
  command: string;
}

export class CliStack {
  readonly projectDir: string;
  readonly dir: string;
  readonly stackName: string;
  readonly cliDir: string;
  readonly configFile: string;
  /** The environment every command gets (on top of this process's). */
  readonly env: Record<string, string>;
  /** Which language host runs the program: `official <path>` or `test <dir>`. */
  readonly languageHost: string;
  /** What is put before the user's PATH: the test host's directory (if used) and the CLI's. */
  readonly pathPrefix: string;

  constructor(opts: CliStackOptions) {
    this.projectDir = opts.projectDir;
    this.dir = opts.dir;
    this.stackName = opts.stackName;
    if (opts.fresh) fs.rmSync(opts.dir, { recursive: true, force: true });
    this.cliDir = opts.cliDir ?? pulumiCliDir();
    const official = opts.languageHost === "test" ? undefined : officialLanguageHost(this.cliDir);
    const hostDir = official ? undefined : testLanguageHostDir();
    this.languageHost = official ? `official ${official}` : `test ${hostDir}`;
    const base = offlineEnv(opts.dir);
    fs.mkdirSync(base.PULUMI_BACKEND_URL.replace("file://", ""), { recursive: true });
    fs.mkdirSync(base.PULUMI_HOME, { recursive: true });
    this.configFile = path.join(opts.dir, `Pulumi.${opts.stackName}.yaml`);
    this.pathPrefix = [hostDir, this.cliDir].filter((p): p is string => p !== undefined).join(path.delimiter);
    this.env = { ...base, PATH: [this.pathPrefix, process.env.PATH ?? ""].filter((p) => p !== "").join(path.delimiter), ...opts.env };
  }

  /** Runs `pulumi <args>` in the program directory; never throws for a failed command. */
  pulumi(args: string[], opts: { echo?: (chunk: string) => void; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    const env: Record<string, string | undefined> = { ...process.env, ...this.env, ...opts.env };
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.cliDir, "pulumi"), args, { cwd: this.projectDir, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        opts.echo?.(d.toString());
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        opts.echo?.(d.toString());
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, command: `pulumi ${args.join(" ")}` }));
    });
  }

  /** Like `pulumi`, but throws with the command's output when it fails. */
  async must(args: string[], opts: Parameters<CliStack["pulumi"]>[1] = {}): Promise<CliResult> {
    const r = await this.pulumi(args, opts);
    if (r.code !== 0) throw new Error(`${r.command} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`.trim());
    return r;
  }

  private stackArgs(): string[] {
    return ["--stack", this.stackName, "--config-file", this.configFile, "--non-interactive", "--color", "never"];
  }

  /**
   * `pulumi stack select --create`. The CLI writes the new stack's
   * encryption salt into `<projectDir>/Pulumi.<stack>.yaml` (`stack init`
   * has no --config-file); it is moved to `configFile` at once. A stack
   * file already in the program directory is someone's own: never touched.
   */
  async init(): Promise<void> {
    const inProject = path.join(this.projectDir, `Pulumi.${this.stackName}.yaml`);
    if (fs.existsSync(inProject)) {
      throw new Error(`${inProject} exists (a stack of your own?); remove or rename it, or use another stack name`);
    }
    await this.must(["stack", "select", "--create", this.stackName, "--non-interactive"]);
    // A new stack: its salt replaces whatever config file an earlier run left.
    if (fs.existsSync(inProject)) fs.renameSync(inProject, this.configFile);
  }

  /** Whether the backend already has this stack (e.g. from an earlier run). */
  exists(): boolean {
    const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(this.projectDir, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
    return fs.existsSync(path.join(this.env.PULUMI_BACKEND_URL.replace("file://", ""), ".pulumi", "stacks", project, `${this.stackName}.json`));
  }

  /** `pulumi config set [--secret] <key> -- <value>`, as a user types it. */
  async setConfig(key: string, value: string, secret = false): Promise<void> {
    await this.must(["config", "set", ...this.stackArgs(), ...(secret ? ["--secret"] : []), key, "--", value]);
  }

  /** `pulumi up --yes`; `extra` e.g. `--skip-preview`. */
  up(extra: string[] = [], opts: Parameters<CliStack["pulumi"]>[1] = {}): Promise<CliResult> {
    return this.pulumi(["up", "--yes", ...extra, ...this.stackArgs()], opts);
  }

  preview(extra: string[] = [], opts: Parameters<CliStack["pulumi"]>[1] = {}): Promise<CliResult> {
    return this.pulumi(["preview", ...extra, ...this.stackArgs()], opts);
  }

  refresh(opts: Parameters<CliStack["pulumi"]>[1] = {}): Promise<CliResult> {
    return this.pulumi(["refresh", "--yes", "--skip-preview", ...this.stackArgs()], opts);
  }

  destroy(opts: Parameters<CliStack["pulumi"]>[1] = {}): Promise<CliResult> {
    return this.pulumi(["destroy", "--yes", "--skip-preview", ...this.stackArgs()], opts);
  }

  /** The stack's outputs (`pulumi stack output --json`; secrets stay `[secret]`). */
  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.must(["stack", "output", "--json", "--stack", this.stackName]);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** The commands a user runs to look at this stack, with the environment they need. */
  inspectCommands(): string[] {
    const env = ["PULUMI_BACKEND_URL", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE"].map((k) => `${k}=${shellQuote(this.env[k])}`).join(" ");
    const cd = path.relative(process.cwd(), this.projectDir) || ".";
    return [
      ...(cd === "." ? [] : [`cd ${shellQuote(cd)}`]),
      `export ${env} PATH=${shellQuote(this.pathPrefix)}:"$PATH"`,
      `pulumi stack output --stack ${this.stackName}`,
      `pulumi stack export --stack ${this.stackName}`,
      `pulumi preview --stack ${this.stackName} --config-file ${shellQuote(this.configFile)}`,
    ];
  }
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
