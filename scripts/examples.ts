/**
 * The examples (and the root program, `Pulumi.yaml`) run against the
 * emulator the way a user runs them: `pulumi config set`, `pulumi up`,
 * `pulumi preview --expect-no-changes`, `pulumi destroy`, in the program's
 * own directory. Whatever an example needs is put in place first: an
 * integration to adopt, a key per hub. `npm start`, `npm run example` and
 * the end-to-end tests all go through `runProgram`.
 */
import * as path from "path";
import type { EmulatorHandle } from "../emulator";
import { CliResult, CliStack } from "./cliStack";

export const ROOT = path.resolve(__dirname, "..");

export const EXAMPLES = ["quickstart", "adoption", "catalogue", "multi-hub"] as const;
/** Pulumi YAML programs: the YAML language host runs them, on the native provider plugin this checkout builds (`packages: cycle: ../../bin`). */
export const YAML_EXAMPLES = ["yaml"] as const;
export type ExampleName = (typeof EXAMPLES)[number] | (typeof YAML_EXAMPLES)[number];
/** An example, or `root`: the program `Pulumi.yaml` names (examples/quickstart, from the repository root). */
export type ProgramName = ExampleName | "root";

/** Demo credentials that pass the emulator catalogue's checks. Never real ones. */
export const DEMO_SECRETS = {
  awsAccessKeyId: "AKIAIOSFODNN7EXAMPLE",
  awsSecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  b2KeyId: "0012ab34cd56ef7890",
  b2ApplicationKey: "K0123456789abcdefghijABCDEFGHIJ",
  depotToken: "depot_org_0123456789abcdefghijKLMN",
};

export interface ConfigValue {
  key: string;
  value: string;
  secret?: boolean;
}

export interface Prepared {
  config: ConfigValue[];
  /** What was seeded, for the reader. */
  notes: string[];
  /** Seeded integrations the program reads but does not manage: they stay after `destroy`. */
  unmanaged?: string[];
  /** What the outputs must show after `up` (empty when all is well). */
  check(outputs: Record<string, unknown>): string[];
}

export function projectDir(name: ProgramName): string {
  return name === "root" ? ROOT : path.join(ROOT, "examples", name);
}

/** Seeds the emulator for `name` and returns the stack config it needs. */
export function prepare(name: ProgramName, emu: EmulatorHandle): Prepared {
  const connection: ConfigValue[] = [
    { key: "cycle:apiUrl", value: emu.url },
    { key: "cycle:hubId", value: emu.hubs.primary },
    { key: "cycle:apiKey", value: emu.keys.admin, secret: true },
  ];
  const secrets = (keys: Array<keyof typeof DEMO_SECRETS>): ConfigValue[] => keys.map((key) => ({ key, value: DEMO_SECRETS[key], secret: true }));
  switch (name) {
    case "root":
    case "quickstart":
      return {
        config: [...connection, ...secrets(["awsAccessKeyId", "awsSecretAccessKey", "b2KeyId", "b2ApplicationKey", "depotToken"])],
        notes: [],
        check: (outputs) => {
          const integrations = (outputs.integrations ?? {}) as Record<string, { state?: string }>;
          const names = Object.keys(integrations).sort().join(",");
          return names === "aws,backups,builder,tls" ? [] : [`expected outputs for aws, backups, builder and tls, got ${names || "none"}`];
        },
      };
    case "yaml":
      // The quick start's integrations, and a lookup of one of them (fn::invoke of cycle:index:getIntegration).
      return {
        config: [...connection, ...secrets(["awsAccessKeyId", "awsSecretAccessKey", "b2KeyId", "b2ApplicationKey", "depotToken"])],
        notes: [],
        check: (outputs) => {
          const integrations = (outputs.integrations ?? {}) as Record<string, { id?: string }>;
          const names = Object.keys(integrations).sort().join(",");
          const problems = names === "aws,backups,builder,tls" ? [] : [`expected outputs for aws, backups, builder and tls, got ${names || "none"}`];
          const found = outputs.backupsInHub as { id?: string } | undefined;
          if (found?.id === undefined || found.id !== integrations.backups?.id)
            problems.push(`backupsInHub (the lookup) is ${JSON.stringify(found)}, expected the backups integration ${String(integrations.backups?.id)}`);
          return problems;
        },
      };
    case "adoption": {
      // Made "in the portal" before Pulumi manages them.
      const aws = emu.outOfBand.create(
        emu.hubs.primary,
        { vendor: "aws", name: "Production AWS (made in the portal)", auth: { key_id: DEMO_SECRETS.awsAccessKeyId, secret: DEMO_SECRETS.awsSecretAccessKey } },
        { state: "live" },
      );
      const b2 = emu.outOfBand.create(
        emu.hubs.primary,
        {
          vendor: "backblaze-b2",
          name: "Backups (made in the portal)",
          identifier: "backups",
          auth: { key_id: DEMO_SECRETS.b2KeyId, secret: DEMO_SECRETS.b2ApplicationKey },
          extra: { bucket: "cycle-backups" },
        },
        { state: "new" },
      );
      return {
        config: [
          ...connection,
          { key: "existingAwsIntegrationId", value: aws.id },
          ...secrets(["awsAccessKeyId", "awsSecretAccessKey", "b2KeyId", "b2ApplicationKey"]),
        ],
        notes: [`seeded in the hub, as if made in the portal: aws ${aws.id} (by ID), backblaze-b2 ${b2.id} with identifier "backups" (by identifier)`],
        check: (outputs) => {
          const problems: string[] = [];
          if (outputs.adoptedById !== aws.id) problems.push(`adoptedById is ${String(outputs.adoptedById)}, expected the seeded ${aws.id}`);
          if (outputs.adoptedByIdentifier !== b2.id)
            problems.push(`adoptedByIdentifier is ${String(outputs.adoptedByIdentifier)}, expected the seeded ${b2.id}`);
          return problems;
        },
      };
    }
    case "catalogue": {
      const seeded = emu.outOfBand.create(
        emu.hubs.primary,
        { vendor: "aws", name: "AWS (made in the portal)", auth: { key_id: DEMO_SECRETS.awsAccessKeyId, secret: DEMO_SECRETS.awsSecretAccessKey } },
        { state: "live" },
      );
      return {
        config: connection,
        notes: [`seeded a live aws integration ${seeded.id} for getIntegrations() to find`],
        unmanaged: [seeded.id],
        check: (outputs) => {
          const problems: string[] = [];
          const vendors = outputs.vendors as Array<{ vendor: string }> | undefined;
          const existing = outputs.existing as Array<{ id: string }> | undefined;
          if (!Array.isArray(vendors) || !vendors.some((v) => v.vendor === "aws")) problems.push("vendors does not list the catalogue");
          if (!Array.isArray(existing) || !existing.some((i) => i.id === seeded.id)) problems.push(`existing does not list the seeded ${seeded.id}`);
          return problems;
        },
      };
    }
    case "multi-hub":
      return {
        // No single emulator key reaches both hubs: each hub gets its own.
        config: [
          { key: "cycle:apiUrl", value: emu.url },
          { key: "stagingHubId", value: emu.hubs.primary },
          { key: "stagingApiKey", value: emu.keys.admin, secret: true },
          { key: "productionHubId", value: emu.hubs.secondary },
          { key: "productionApiKey", value: emu.keys.otherHub, secret: true },
        ],
        notes: [`two hubs, a key for each: staging ${emu.hubs.primary} (admin key), production ${emu.hubs.secondary} (otherHub key)`],
        check: (outputs) => {
          const certs = (outputs.certificates ?? {}) as Record<string, { hub?: string }>;
          const problems: string[] = [];
          if (certs.staging?.hub !== emu.hubs.primary) problems.push(`staging is in hub ${String(certs.staging?.hub)}`);
          if (certs.production?.hub !== emu.hubs.secondary) problems.push(`production is in hub ${String(certs.production?.hub)}`);
          return problems;
        },
      };
  }
}

export interface RunOptions {
  /** Where the stack lives; default .cache/examples/<name>. Wiped first. */
  dir?: string;
  stackName?: string;
  languageHost?: "auto" | "test";
  /** Leave the stack in place (no destroy). */
  keep?: boolean;
  /** `pulumi up --skip-preview` (the tests: the program then runs once per up). */
  skipPreview?: boolean;
  /** More arguments for `pulumi up` (e.g. `--event-log <file>`). */
  upArgs?: string[];
  /** Also `pulumi refresh --yes` after the up (it must change nothing). */
  refresh?: boolean;
  /** Progress lines (headings, what is seeded); default: none. */
  say?: (line: string) => void;
  /** The CLI's own output, as it comes. */
  echo?: (chunk: string) => void;
  env?: Record<string, string>;
}

export interface ProgramRun {
  stack: CliStack;
  prepared: Prepared;
  up: CliResult;
  outputs: Record<string, unknown>;
  refresh?: CliResult;
  preview: CliResult;
  /** Absent with `keep`. */
  destroy?: CliResult;
  /** Requests the emulator saw during the preview. */
  previewRequests: Array<{ method: string; path: string }>;
}

/** The stack name `npm start` and `npm run example` use. */
export const DEMO_STACK = "emulator";

export async function runProgram(name: ProgramName, emu: EmulatorHandle, opts: RunOptions = {}): Promise<ProgramRun> {
  const say = opts.say ?? (() => undefined);
  const stack = new CliStack({
    projectDir: projectDir(name),
    dir: opts.dir ?? path.join(ROOT, ".cache", "examples", name),
    stackName: opts.stackName ?? DEMO_STACK,
    fresh: true,
    languageHost: opts.languageHost,
    env: opts.env,
  });
  const prepared = prepare(name, emu);
  for (const note of prepared.notes) say(note);
  await stack.init();
  say(`pulumi config set (${prepared.config.length} values${prepared.config.some((c) => c.secret) ? ", credentials with --secret" : ""})`);
  for (const c of prepared.config) {
    opts.echo?.(`pulumi config set ${c.secret ? `--secret ${c.key} [secret]` : `${c.key} ${c.value}`}\n`);
    await stack.setConfig(c.key, c.value, c.secret);
  }

  say(`pulumi up${opts.skipPreview ? " --skip-preview" : ""}`);
  const up = await stack.up([...(opts.skipPreview ? ["--skip-preview"] : []), ...(opts.upArgs ?? [])], { echo: opts.echo });
  if (up.code !== 0) throw new Error(`pulumi up failed (exit ${up.code})${opts.echo ? "" : `:\n${up.stdout}\n${up.stderr}`}`);
  const outputs = await stack.outputs();
  const problems = prepared.check(outputs);
  if (problems.length > 0) throw new Error(`the outputs are not what ${name} should produce:\n  ${problems.join("\n  ")}`);

  let refresh: CliResult | undefined;
  if (opts.refresh) {
    say("pulumi refresh");
    refresh = await stack.refresh({ echo: opts.echo });
    if (refresh.code !== 0) throw new Error(`pulumi refresh failed (exit ${refresh.code}):\n${refresh.stdout}\n${refresh.stderr}`);
  }

  say("pulumi preview --expect-no-changes");
  emu.clearLog();
  const preview = await stack.preview(["--expect-no-changes"]);
  const previewRequests = emu.requestLog.map((e) => ({ method: e.method, path: e.path }));
  if (preview.code !== 0) throw new Error(`pulumi preview --expect-no-changes failed (exit ${preview.code}):\n${preview.stdout}\n${preview.stderr}`);

  let destroy: CliResult | undefined;
  if (!opts.keep) {
    say("pulumi destroy");
    destroy = await stack.destroy({ echo: opts.echo });
    if (destroy.code !== 0) throw new Error(`pulumi destroy failed (exit ${destroy.code})${opts.echo ? "" : `:\n${destroy.stdout}\n${destroy.stderr}`}`);
  }
  return { stack, prepared, up, outputs, refresh, preview, destroy, previewRequests };
}
