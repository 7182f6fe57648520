/**
 * The live check's stack: the program in `tests/live/program`, driven through
 * the `pulumi` command as a user types it (scripts/cliStack.ts: local file
 * backend, Pulumi home and stack config file in `dir`). The API key reaches
 * the provider through CYCLE_API_KEY in the commands' environment only, so it
 * is never written to the stack's config or state. CYCLE_DEBUG=1 makes the
 * provider log each request (method, path, status, time; never headers or
 * bodies), which is how the check sees the job reads.
 */
import * as path from "path";
import { CliResult, CliStack } from "../../scripts/cliStack";
import type { LiveSettings } from "./gate";

export const PROGRAM_DIR = path.join(__dirname, "program");

/** What the program declares, from the stack config. */
export interface Declared {
  vendor: string;
  name: string;
  identifier: string;
  extra?: Record<string, string>;
}

export interface Timed {
  result: CliResult;
  ms: number;
  /** stdout and stderr together: where the provider's lines show. */
  output: string;
}

/** The last lines of a command's output, for a message. */
export function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

const INTEGRATION_TYPE = "pulumi-nodejs:dynamic/cycle:Integration";

export class LiveStack {
  private readonly stack: CliStack;
  private readonly env: Record<string, string | undefined>;
  private readonly settings: LiveSettings;
  private readonly echo?: (chunk: string) => void;

  constructor(settings: LiveSettings, opts: { dir: string; stackName: string; languageHost?: "auto" | "test"; echo?: (chunk: string) => void }) {
    this.stack = new CliStack({ projectDir: PROGRAM_DIR, dir: opts.dir, stackName: opts.stackName, fresh: true, languageHost: opts.languageHost });
    this.env = { CYCLE_API_KEY: settings.apiKey, CYCLE_DEBUG: "1", CYCLE_QUIET: undefined, CYCLE_HUB_ID: undefined, CYCLE_API_URL: undefined };
    this.echo = opts.echo;
    this.settings = settings;
  }

  /** Creates the stack and sets its config: the hub, the URL, and what the program declares. */
  async init(declared: Declared): Promise<void> {
    await this.stack.init();
    await this.stack.setConfig("cycle:hubId", this.settings.hubId);
    await this.stack.setConfig("cycle:apiUrl", this.settings.apiUrl);
    await this.stack.setConfig("vendor", declared.vendor);
    await this.stack.setConfig("name", declared.name);
    await this.stack.setConfig("identifier", declared.identifier);
    if (declared.extra) await this.stack.setConfig("extra", JSON.stringify(declared.extra));
  }

  /** Whether the backend has the stack (`init` may have failed before creating it). */
  exists(): boolean {
    return this.stack.exists();
  }

  async rename(name: string): Promise<void> {
    await this.stack.setConfig("name", name);
  }

  private async timed(run: (opts: { env: Record<string, string | undefined>; echo?: (chunk: string) => void }) => Promise<CliResult>): Promise<Timed> {
    const started = Date.now();
    const result = await run({ env: this.env, echo: this.echo });
    return { result, ms: Date.now() - started, output: `${result.stdout}\n${result.stderr}` };
  }

  up(): Promise<Timed> {
    return this.timed((o) => this.stack.up(["--skip-preview"], o));
  }

  refresh(): Promise<Timed> {
    return this.timed((o) => this.stack.refresh(o));
  }

  /** `pulumi preview --expect-no-changes`: the program and the state agree. */
  previewNoChanges(): Promise<Timed> {
    return this.timed((o) => this.stack.preview(["--expect-no-changes"], o));
  }

  destroy(): Promise<Timed> {
    return this.timed((o) => this.stack.destroy(o));
  }

  async outputs(): Promise<Record<string, unknown>> {
    return this.stack.outputs();
  }

  /** The IDs of the integrations the stack's state holds (`pulumi stack export`). */
  async integrationIdsInState(): Promise<string[]> {
    const r = await this.stack.pulumi(["stack", "export", "--stack", this.stack.stackName], { env: this.env });
    if (r.code !== 0) throw new Error(`pulumi stack export failed (exit ${r.code}): ${r.stderr.trim()}`);
    const parsed: unknown = JSON.parse(r.stdout);
    const deployment = isRecord(parsed) ? parsed.deployment : undefined;
    const resources = isRecord(deployment) && Array.isArray(deployment.resources) ? (deployment.resources as unknown[]) : [];
    return resources.flatMap((x) => (isRecord(x) && x.type === INTEGRATION_TYPE && typeof x.id === "string" && x.id !== "" ? [x.id] : []));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
