/**
 * Running the user's own Pulumi CLI (`pulumi` on PATH, or `PULUMI_CLI`) in
 * the current directory, with the user's environment and backend.
 */
import { spawn } from "child_process";

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An expected failure: printed as is, without a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function pulumiCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULUMI_CLI && env.PULUMI_CLI.trim() !== "" ? env.PULUMI_CLI : "pulumi";
}

/** Runs `pulumi <args>`; never throws for a non-zero exit (the caller decides), only when it cannot start. */
export function runPulumi(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<PulumiResult> {
  const env = { ...(opts.env ?? process.env), PULUMI_SKIP_UPDATE_CHECK: (opts.env ?? process.env).PULUMI_SKIP_UPDATE_CHECK ?? "true" };
  const cmd = pulumiCommand(env);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") {
        reject(new CliError(`The Pulumi CLI was not found (\`${cmd}\`): install it, put it on PATH, or set PULUMI_CLI to its path.`));
      } else reject(new CliError(`Could not run \`${cmd}\`: ${e.message}`));
    });
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Runs a command that must succeed; its error output becomes the message. Never used for commands that print credentials. */
export async function mustRunPulumi(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await runPulumi(args, opts);
  if (r.code !== 0) {
    const why = (r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`).replace(/^error:\s*/i, "");
    throw new CliError(`\`pulumi ${args.join(" ")}\` failed: ${why}`);
  }
  return r.stdout;
}
