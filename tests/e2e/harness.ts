/**
 * End-to-end harness: the packed package (`npm pack`) installed into a fresh
 * program directory, the real Pulumi CLI with a local file backend, and the
 * emulator in this process. Each operation runs `driver.js` in that
 * directory, so the program, the provider and @pulumi/pulumi all resolve
 * from the fresh install, as in a user's project.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliStack } from "../../scripts/cliStack";
import { offlineEnv, pulumiCliDir } from "../../scripts/localStack";
import { installPacked } from "./packed";

const ROOT = path.resolve(__dirname, "..", "..");

export interface E2EProject {
  dir: string;
  cliDir: string;
  env: Record<string, string>;
}

export interface OpResult {
  ok: boolean;
  error?: string;
  stdout?: string;
  changes?: Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
}

/** A new directory with the packed package installed (see packed.ts: packed and installed once per test run). */
export function createProject(): E2EProject {
  const cliDir = pulumiCliDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cycle-e2e-"));
  const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[
    "@pulumi/pulumi"
  ];
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cycle-e2e-program", private: true }));
  installPacked(dir, [`@pulumi/pulumi@${pulumiVersion}`]);
  for (const f of ["driver.js", "program.js"]) fs.copyFileSync(path.join(__dirname, "project", f), path.join(dir, f));
  const env: Record<string, string> = {
    ...offlineEnv(path.join(dir, ".pulumi-local")),
    PULUMI_CLI_ROOT: path.dirname(cliDir),
    PATH: `${cliDir}:${process.env.PATH ?? ""}`,
  };
  fs.mkdirSync(env.PULUMI_HOME, { recursive: true });
  fs.mkdirSync(env.PULUMI_BACKEND_URL.replace("file://", ""), { recursive: true });
  return { dir, cliDir, env };
}

export function removeProject(p: E2EProject | undefined): void {
  if (p) fs.rmSync(p.dir, { recursive: true, force: true });
}

/** Declares what the stack's program creates: `[{ name, args }]`. */
export function declare(p: E2EProject, stack: string, integrations: Array<{ name: string; args: Record<string, unknown> }>): void {
  fs.writeFileSync(path.join(p.dir, `program.${stack}.json`), JSON.stringify({ integrations }, null, 2));
}

/** The environment of a program operation: the project's backend; the provider's connection from stack config alone. */
export function operationEnv(p: E2EProject, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, ...p.env, CYCLE_API_KEY: undefined, CYCLE_HUB_ID: undefined, CYCLE_API_URL: undefined, ...extra };
}

/** Runs a driver script in the project directory and resolves with the `__RESULT__` line it prints last. */
export function runDriver<T>(p: E2EProject, driver: string, args: string[], env: Record<string, string | undefined>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driver, ...args], { cwd: p.dir, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", () => {
      const line = out.split("\n").find((l) => l.startsWith("__RESULT__"));
      if (!line) return reject(new Error(`${driver} ${args.join(" ")} printed no result.\nstdout: ${out}\nstderr: ${err}`));
      resolve(JSON.parse(line.slice("__RESULT__".length)) as T);
    });
  });
}

/** Runs one operation through driver.js; never throws for a failed operation. */
export function run(p: E2EProject, stack: string, op: string, opts: Record<string, unknown> = {}): Promise<OpResult> {
  return runDriver<OpResult>(p, "driver.js", [stack, op, JSON.stringify(opts)], operationEnv(p));
}

/** Stack config values, as `configure` takes them. */
export type ConfigValues = Record<string, { value: string; secret?: boolean }>;

/** The stack config a user sets to reach an emulator: its URL, the primary hub, and the admin key as a secret. */
export function emulatorConfig(emu: { url: string; hubs: { primary: string }; keys: { admin: string } }): ConfigValues {
  return {
    "cycle:apiUrl": { value: emu.url },
    "cycle:hubId": { value: emu.hubs.primary },
    "cycle:apiKey": { value: emu.keys.admin, secret: true },
  };
}

/** Sets stack config as `pulumi config set` does; `secret` values are encrypted in the stack file. */
export async function configure(p: E2EProject, stack: string, set: Record<string, { value: string; secret?: boolean }>, remove: string[] = []): Promise<void> {
  const r = await run(p, stack, "config", { set, remove });
  if (!r.ok) throw new Error(`config failed: ${r.error}`);
}

/**
 * The stack's state as `pulumi stack export` prints it: without
 * --show-secrets, as a user or a CI log would see it. (The Automation API's
 * exportStack shows secrets, so the CLI is called directly.)
 */
export function exportStack(p: E2EProject, stack: string): { text: string; integrations: Array<Record<string, unknown>> } {
  const text = execFileSync(path.join(p.cliDir, "pulumi"), ["stack", "export", "--stack", stack], {
    cwd: p.dir,
    env: { ...process.env, ...p.env },
    encoding: "utf8",
  });
  const parsed = JSON.parse(text) as { deployment: { resources?: Array<Record<string, unknown>> } };
  const resources = parsed.deployment.resources ?? [];
  return { text, integrations: resources.filter((x) => x.type === "pulumi-nodejs:dynamic/cycle:Integration") };
}

/** Asserts the operation succeeded, with the CLI's output in the failure message. */
export function ok(r: OpResult): OpResult {
  if (!r.ok) throw new Error(`operation failed: ${r.error}`);
  return r;
}

// ---------------------------------------------------------------------------
// Helpers for interrupting an operation and running the package's commands
// ---------------------------------------------------------------------------

/** An operation running in the background (see `start`). */
export interface Background {
  child: import("child_process").ChildProcess;
  /** Its result, or undefined when it printed none (it was killed). */
  result: Promise<OpResult | undefined>;
}

/** Starts one operation through driver.js without waiting for it, with the environment `run` gives it. */
export function start(p: E2EProject, stack: string, op: string, opts: Record<string, unknown> = {}): Background {
  const child = spawn(process.execPath, ["driver.js", stack, op, JSON.stringify(opts)], { cwd: p.dir, env: operationEnv(p) });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", () => undefined);
  const result = new Promise<OpResult | undefined>((resolve) => {
    child.on("close", () => {
      const line = out.split("\n").find((l) => l.startsWith("__RESULT__"));
      resolve(line ? (JSON.parse(line.slice("__RESULT__".length)) as OpResult) : undefined);
    });
  });
  return { child, result };
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  args: string;
}

/**
 * `kill -9` of a running operation as a machine dying would do it: the CLI
 * first (nothing more is recorded), then the dynamic provider (nothing more
 * is sent), then whatever else it started. Returns what was killed.
 */
export function killOperation(bg: Background): { cli: ProcessInfo[]; providers: ProcessInfo[] } {
  const tree = processTree(bg.child.pid!);
  const cli = tree.filter((t) => /(^|\/)pulumi\s/.test(t.args) || /(^|\/)pulumi$/.test(t.args));
  const providers = tree.filter((t) => /pulumi-resource-pulumi-nodejs|dynamic-provider/.test(t.args));
  killAll([...cli, ...providers, ...tree]);
  return { cli, providers };
}

/** `kill -9` of each process in order (one already gone is skipped). */
export function killAll(processes: Array<{ pid: number }>): void {
  for (const t of processes) {
    try {
      process.kill(t.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Every descendant of `rootPid` (not itself), parents before children. */
export function processTree(rootPid: number): ProcessInfo[] {
  const all = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const out: ProcessInfo[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of all.filter((x) => x.ppid === parent)) {
      out.push(p);
      queue.push(p.pid);
    }
  }
  return out;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; never throws for a failed one. */
export function runCommand(file: string, args: string[], cwd: string, env: Record<string, string | undefined>): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs the Pulumi CLI itself in the program directory (never throws for a failed command). */
export function pulumiCli(p: E2EProject, args: string[]): Promise<CommandResult> {
  return runCommand(path.join(p.cliDir, "pulumi"), args, p.dir, { ...process.env, ...p.env });
}

/**
 * Runs a command of the installed package (`node_modules/.bin/<name>`, what
 * `npx <name>` runs) in the program directory, as a user would: the user's
 * PATH (holding `pulumi`) and backend, no CYCLE_* variables unless given.
 */
export function packageBin(p: E2EProject, name: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return runCommand(path.join(p.dir, "node_modules", ".bin", name), args, p.dir, {
    ...process.env,
    ...p.env,
    CYCLE_API_KEY: undefined,
    CYCLE_HUB_ID: undefined,
    CYCLE_API_URL: undefined,
    ...env,
  });
}

/** The lock files a self-managed (file) backend holds for a stack of the e2e project. */
export function stackLocks(p: E2EProject, stack: string, project = "cycle-e2e"): string[] {
  const dir = path.join(p.env.PULUMI_BACKEND_URL.replace("file://", ""), ".pulumi", "locks", "organization", project, stack);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
}

// ---------------------------------------------------------------------------
// Program directories run by the CLI itself (`pulumi up` on a Pulumi.yaml)
// ---------------------------------------------------------------------------

/**
 * A stack of a program directory driven through the `pulumi` command, as a
 * user types it, the test language host (tests/langhost) first on PATH for
 * that command only. Its state, Pulumi home and stack config file live in
 * `dir` (default `<program>/.stack`). See scripts/cliStack.ts.
 */
export function programStack(projectDir: string, stackName: string, dir = path.join(projectDir, ".stack"), env: Record<string, string> = {}): CliStack {
  return new CliStack({ projectDir, dir, stackName, languageHost: "test", env });
}
