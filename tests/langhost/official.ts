/**
 * What the official Node.js language host of Pulumi v3.248.0
 * (`sdk/nodejs/cmd/pulumi-language-nodejs/main.go` at tag v3.248.0) does to
 * start a program, restated as pure functions so that the test language host
 * uses them and a test checks them (tests/e2e/langhost.test.ts). Each
 * function names the Go function it follows. No code of the official host is
 * copied here; this is a description of its observable behaviour.
 */

/** The Pulumi version whose language host this one follows. */
export const MIRRORED_VERSION = "3.248.0";

/** `defaultRunPath`: the module started for a program, overridable by PULUMI_LANGUAGE_NODEJS_RUN_PATH. */
export const DEFAULT_RUN_PATH = "@pulumi/pulumi/cmd/run";

/** `nodeJSProcessExitedAfterShowingUserActionableMessage`: the program already told the user. */
export const EXIT_CODE_ALREADY_REPORTED = 32;

/** `oomSniffer.Message()`, shown after a non-zero exit when stderr looked like an out-of-memory crash. */
export const OOM_MESSAGE =
  "Detected a possible out of memory error. Consider increasing the memory available to the nodejs process " +
  "by setting the `nodeargs` runtime option in Pulumi.yaml to `nodeargs: --max-old-space-size=<size>` where " +
  "`<size>` is the maximum memory in megabytes that can be allocated to nodejs. " +
  "See https://www.pulumi.com/docs/concepts/projects/project-file/#runtime-options";

/** The lines `oomSniffer.Scan` looks for. */
export const OOM_MARKERS = ["<--- Last few GCs --->", "Check failed: needs_context && current_scope_ == closure_scope_"];

/** The parts of a RunRequest (and of the host) that reach the command line. */
export interface RunArgumentsInput {
  /** The resolved path of `@pulumi/pulumi/cmd/run` (see `locateModuleScript`). */
  runPath: string;
  /** The host's own monitor proxy (`127.0.0.1:<port>`), not the engine's monitor. */
  monitorAddress: string;
  /** The engine address the host was started with (its positional argument) or given by Handshake. */
  engineAddress: string;
  /** The directory for synchronous invokes. */
  syncDirectory: string;
  organization: string;
  project: string;
  rootDirectory: string;
  stack: string;
  programDirectory: string;
  dryRun: boolean;
  parallel: number;
  /** The host's `-tracing` flag. */
  tracing: string;
  entryPoint: string;
  args: string[];
}

/**
 * `constructArguments`: `<runPath> --monitor A --engine E --sync D
 * --organization O --project P --root-directory R --stack S --pwd W
 * [--dry-run] --parallel N [--tracing T] <entryPoint> <args...>`; a flag
 * whose value is empty is left out, and `--parallel` is always there (its
 * value is never empty: `strconv.Itoa`).
 */
export function runArguments(i: RunArgumentsInput): string[] {
  const args = [i.runPath];
  const maybe = (flag: string, value: string): void => {
    if (value !== "") args.push(`--${flag}`, value);
  };
  maybe("monitor", i.monitorAddress);
  maybe("engine", i.engineAddress);
  maybe("sync", i.syncDirectory);
  maybe("organization", i.organization);
  maybe("project", i.project);
  maybe("root-directory", i.rootDirectory);
  maybe("stack", i.stack);
  maybe("pwd", i.programDirectory);
  if (i.dryRun) args.push("--dry-run");
  maybe("parallel", String(Math.trunc(i.parallel)));
  maybe("tracing", i.tracing);
  args.push(i.entryPoint);
  args.push(...i.args);
  return args;
}

/**
 * `constructConfig`: the config map as JSON, each key rewritten to the old
 * `<namespace>:config:<name>` form (`config.ParseKey` accepts
 * `<namespace>:<name>` and `<namespace>:config:<name>`, nothing else).
 */
export function configJson(config: Map<string, string> | Array<[string, string]>): string {
  const out: Record<string, string> = {};
  for (const [key, value] of config) {
    const { namespace, name } = parseConfigKey(key);
    out[`${namespace}:config:${name}`] = value;
  }
  return JSON.stringify(out);
}

function parseConfigKey(key: string): { namespace: string; name: string } {
  const parts = key.split(":");
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return { namespace: parts[0], name: parts[2] };
  throw new Error(`could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
}

/** `constructConfigSecretKeys`: the secret keys as a JSON array (`[]` when there are none). */
export function configSecretKeysJson(keys: string[]): string {
  return JSON.stringify(keys);
}

/** `nodeOptions` as `parseOptions` reads `runtime.options` of Pulumi.yaml (runtime `nodejs`). */
export interface NodeOptions {
  typescript: boolean;
  tsconfigpath: string;
  nodeargs: string;
  packagemanager: "auto" | "npm" | "yarn" | "pnpm" | "bun";
}

/** `parseOptions` for the `nodejs` runtime: `typescript` defaults to true; wrong types are errors. */
export function parseRuntimeOptions(options: Record<string, unknown>): NodeOptions {
  const out: NodeOptions = { typescript: true, tsconfigpath: "", nodeargs: "", packagemanager: "auto" };
  if ("typescript" in options) {
    if (typeof options.typescript !== "boolean") throw new Error("typescript option must be a boolean");
    out.typescript = options.typescript;
  }
  if ("tsconfig" in options) {
    if (typeof options.tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
    out.tsconfigpath = options.tsconfig;
  }
  if ("nodeargs" in options) {
    if (typeof options.nodeargs !== "string") throw new Error("nodeargs option must be a string");
    out.nodeargs = options.nodeargs;
  }
  if ("packagemanager" in options) {
    const pm = options.packagemanager;
    if (typeof pm !== "string") throw new Error("packagemanager option must be a string");
    if (!["auto", "npm", "yarn", "pnpm", "bun"].includes(pm)) {
      throw new Error(`packagemanager option must be one of auto, npm, yarn, pnpm or bun, got ${JSON.stringify(pm)}`);
    }
    out.packagemanager = pm as NodeOptions["packagemanager"];
  }
  return out;
}

/**
 * `execRuntime`'s environment: the host's own environment, then
 * PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT=true
 * when `typescript`, PULUMI_NODEJS_TSCONFIG_PATH when `tsconfig` is set, and
 * PULUMI_OTEL_EXPORTER_OTLP_ENDPOINT when the host was given one (later
 * entries win, as with Go's `cmd.Env`). TRACEPARENT is added by the official
 * host only when OpenTelemetry tracing is on; see README.md.
 */
export function runEnvironment(
  hostEnv: NodeJS.ProcessEnv,
  input: { config: string; configSecretKeys: string; options: NodeOptions; otelEndpoint?: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(hostEnv)) if (v !== undefined) env[k] = v;
  env.PULUMI_CONFIG = input.config;
  env.PULUMI_CONFIG_SECRET_KEYS = input.configSecretKeys;
  if (input.options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (input.options.tsconfigpath !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = input.options.tsconfigpath;
  if (input.otelEndpoint) env.PULUMI_OTEL_EXPORTER_OTLP_ENDPOINT = input.otelEndpoint;
  return env;
}

/**
 * `locateModule`'s script, run as `node -e <script>` in the program
 * directory: prints the resolved module path, or explains that the SDK is not
 * installed. One line, as the official host makes it.
 */
export function locateModuleScript(mod: string, installCommand = "pulumi install"): string {
  return (
    `try {\t\tconsole.log(require.resolve('${mod}'));\t} catch (error) {\t\tif (error.code === 'MODULE_NOT_FOUND') {` +
    `\t\t\tconsole.error("It looks like the Pulumi SDK has not been installed. Have you run ${installCommand}?")` +
    `\t\t} else {\t\t\tconsole.error(error.message);\t\t}\t\tprocess.exit(1);\t}`
  );
}

/**
 * `shlex.Split` (github.com/google/shlex) as used for `nodeargs`: words split
 * on whitespace, single quotes literal, double quotes with backslash escapes
 * for `"` `\` `$` and newline, a backslash outside quotes escaping the next
 * character, and `#` starting a comment at the start of a word.
 */
export function shlexSplit(input: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const push = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === "#" && word === undefined) {
      while (i < input.length && input[i] !== "\n") i++;
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new Error("EOF found when expecting closing quote");
      word = (word ?? "") + input.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      word = word ?? "";
      i++;
      for (;;) {
        if (i >= input.length) throw new Error("EOF found when expecting closing quote");
        const d = input[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === "\\" && i + 1 < input.length && ['"', "\\", "$", "\n"].includes(input[i + 1])) {
          if (input[i + 1] !== "\n") word += input[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
    } else if (c === "\\") {
      if (i + 1 >= input.length) throw new Error("EOF found after escape character");
      if (input[i + 1] !== "\n") word = (word ?? "") + input[i + 1];
      i += 2;
    } else {
      word = (word ?? "") + c;
      i++;
    }
  }
  push();
  return words;
}
