/**
 * A stack's config as the user's `pulumi config get` gives it (decrypted
 * secrets included). Nothing it prints is ever shown: a failure is reported
 * with its error output, which holds no value.
 */
import { CliError, runPulumi } from "./pulumi";

export interface StackConfigOptions {
  /** The stack; otherwise the selected one. */
  stack?: string;
  /**
   * Whether a config that cannot be read (no project, no stack, no stack
   * selected, no Pulumi CLI, a wrong passphrase) is an error. When false,
   * every value reads as not set and `problem` says why: a command whose
   * flags and environment may give everything can go on.
   */
  required: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export class StackConfig {
  /** Why the config could not be read (only when not required). */
  problem?: string;
  /** The stack named does not exist (yet). */
  missingStack = false;
  private unavailable = false;

  constructor(private readonly opts: StackConfigOptions) {}

  get stack(): string | undefined {
    return this.opts.stack;
  }

  /** The value of `key`, or undefined when it is not set (or, when not required, cannot be read). */
  async get(key: string): Promise<string | undefined> {
    if (this.unavailable) return undefined;
    const args = ["config", "get", key, "--json", ...(this.opts.stack ? ["--stack", this.opts.stack] : [])];
    let r;
    try {
      r = await runPulumi(args, { cwd: this.opts.cwd, env: this.opts.env });
    } catch (err) {
      if (this.opts.required) throw err;
      this.unavailable = true;
      this.problem = err instanceof Error ? err.message : String(err);
      return undefined;
    }
    if (r.code !== 0) {
      if (/not found/i.test(r.stderr) && !/no stack/i.test(r.stderr)) return undefined;
      const why = r.stderr.trim().replace(/^error:\s*/i, "") || `exit code ${r.code}`;
      if (this.opts.required) throw new CliError(`\`pulumi ${args.join(" ")}\` failed: ${why}`);
      this.unavailable = true;
      this.problem = why;
      this.missingStack = /no stack named/i.test(r.stderr);
      return undefined;
    }
    try {
      const doc = JSON.parse(r.stdout) as { value?: unknown };
      return typeof doc.value === "string" && doc.value.trim() !== "" ? doc.value.trim() : undefined;
    } catch {
      throw new CliError(`\`pulumi ${args.join(" ")}\` did not print JSON`);
    }
  }
}
