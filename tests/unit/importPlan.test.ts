/**
 * `pulumi-cycle import`, the pure part: names, what is left out, the
 * generated module (it type-checks against the package's own types) and the
 * printed commands; and the command's usage errors.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { CATALOGUE } from "../../emulator/catalogue";
import type { Integration, IntegrationStateName } from "../../provider/api/types";
import type { Catalogue } from "../../provider/catalogue";
import { assignNames, buildImportPlan, declaredInputs, resourceNameFrom, shellWord } from "../../provider/cli/importPlan";
import { checkDeclaration } from "../../provider/resource/parse";
import { validateAgainstDefinition } from "../../provider/resource/validate";
import { cli } from "../helpers/cli";

const HUB = "0123456789abcdef01234567";
const catalogue: Catalogue = new Map(CATALOGUE.map((e) => [e.definition.vendor, e]));

let seq = 0;
function integration(
  vendor: string,
  name: string,
  identifier: string,
  opts: { extra?: Record<string, string>; state?: IntegrationStateName; created?: string } = {},
): Integration {
  seq += 1;
  const id = `aaaaaaaaaaaaaaaaaaaa${seq.toString(16).padStart(4, "0")}`;
  const created = opts.created ?? new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString();
  return {
    id,
    name,
    vendor,
    identifier,
    auth: null,
    extra: opts.extra ?? null,
    creator: { id: "bbbbbbbbbbbbbbbbbbbbbbbb", type: "account" },
    hub_id: HUB,
    state: { current: opts.state ?? "live", changed: created },
    events: { created, updated: created, deleted: "0001-01-01T00:00:00Z" },
  };
}

test("resource names: from the identifier, valid, the vendor when nothing is left", () => {
  expect(resourceNameFrom("aws-prod", "aws")).toBe("aws-prod");
  expect(resourceNameFrom("My_Backups  2026!", "backblaze-b2")).toBe("my-backups-2026");
  expect(resourceNameFrom("---", "aws-s3")).toBe("aws-s3");
  expect(resourceNameFrom("élan", "aws")).toBe("lan");
});

test("duplicate names are numbered in creation order, whatever order the hub lists them in, and never clash", () => {
  const a = integration("aws", "Production AWS", "aws-prod", { created: "2026-01-01T00:00:01Z" });
  const b = integration("aws", "Production AWS", "aws-prod", { created: "2026-01-01T00:00:03Z" });
  const c = integration("aws-s3", "Prod copy", "AWS_PROD", { created: "2026-01-01T00:00:02Z" });
  const d = integration("aws", "Second", "aws-prod-2", { created: "2026-01-01T00:00:04Z" });
  const one = assignNames([a, b, c, d]);
  const two = assignNames([d, c, b, a]);
  expect([...one.entries()].sort()).toEqual([...two.entries()].sort());
  expect(one.get(a.id)).toBe("aws-prod");
  expect(one.get(c.id)).toBe("aws-prod-3"); // aws-prod-2 belongs to d's own identifier
  expect(one.get(b.id)).toBe("aws-prod-4");
  expect(one.get(d.id)).toBe("aws-prod-2");
  expect(new Set(one.values()).size).toBe(4);
});

test("deleting, deleted, deprecated, unusable and non-editable vendors are reported, not emitted", () => {
  const keep = integration("aws", "Production AWS", "aws-prod");
  const list = [
    keep,
    integration("aws", "Going away", "going", { state: "deleting" }),
    integration("aws", "Gone away", "gone", { state: "deleted" }),
    integration("equinix-metal", "Old metal", "old-metal", { extra: { project_id: "0123abcd-0123-0123-0123-0123456789ab" } }),
    integration("docker-build-cloud", "Builder", "builder"),
    integration("azure", "Azure prod", "azure-prod"),
    integration("nope", "Unknown vendor", "unknown"),
  ];
  const plan = buildImportPlan({ hubId: HUB, apiUrl: "https://api.cycle.io", integrations: list, catalogue, packageVersion: "9.9.9" });
  expect(plan.emitted.map((e) => e.integration.id)).toEqual([keep.id]);
  const reasons = Object.fromEntries(plan.skipped.map((s) => [s.integration.identifier, s.reason]));
  expect(reasons.going).toMatch(/deleting/);
  expect(reasons.gone).toMatch(/deleted/);
  expect(reasons["old-metal"]).toMatch(/deprecated/);
  expect(reasons.builder).toMatch(/cannot be used/);
  expect(reasons["azure-prod"]).toMatch(/not editable/);
  expect(reasons.unknown).toMatch(/not in the hub's catalogue/);
  // Reported in the module's header too.
  expect(plan.source).toMatch(/Left out:[\s\S]*Old metal[\s\S]*deprecated/);
  expect(plan.source).not.toMatch(/new Integration\("old-metal"/);
});

test("values today's checks refuse (an older pattern, a short name) are left out with the failures as the reason; the rest are unaffected", () => {
  const good = integration("backblaze-b2", "Backups (EU)", "backups-eu", { extra: { bucket: "eu-backups", region: "eu-central-003" } });
  const oldBucket = integration("backblaze-b2", "Old backups", "old-backups", { extra: { bucket: "Old_Style_Bucket" } });
  const shortName = integration("aws", "AWS", "aws-short");
  const badAccount = integration("stripe", "Billing it", "billing", { extra: { account: "acct_short" } });
  const plan = buildImportPlan({
    hubId: HUB,
    apiUrl: "https://api.cycle.io",
    integrations: [good, oldBucket, shortName, badAccount],
    catalogue,
    packageVersion: "9.9.9",
  });
  expect(plan.emitted.map((e) => e.integration.id)).toEqual([good.id]);
  const reasons = new Map(plan.skipped.map((s) => [s.integration.id, s.reason]));
  expect(reasons.get(oldBucket.id)).toMatch(
    /^its current values are refused by today's checks \(extra\.bucket does not match the pattern .* required by vendor `backblaze-b2` \(got "Old_Style_Bucket"\)\), so a program declaring them would fail `pulumi preview`/,
  );
  expect(reasons.get(shortName.id)).toMatch(/name must be at least 5 characters \(got 3\)/);
  expect(reasons.get(badAccount.id)).toMatch(/extra\.account does not match/);
  for (const s of plan.skipped) expect(plan.source).not.toContain(`adoptId: ${JSON.stringify(s.integration.id)}`);
  expect(plan.source).toMatch(new RegExp(`Left out:[\\s\\S]*${oldBucket.id} backblaze-b2 "Old backups": its current values are refused`));
  // No credential field is named for one left out.
  expect(plan.commands.join("\n")).not.toContain("old-backups");
  // What is emitted is exactly what passes the provider's check (credentials unknown, as at a preview that reads them from config).
  const def = catalogue.get("backblaze-b2")!.definition;
  const inputs = declaredInputs(good, def);
  expect(inputs).toEqual({
    vendor: "backblaze-b2",
    name: "Backups (EU)",
    identifier: "backups-eu",
    hubId: HUB,
    extra: { bucket: "eu-backups", region: "eu-central-003" },
    auth: { keyId: expect.any(String), secret: expect.any(String) },
    adoptId: good.id,
  });
  expect([...checkDeclaration(inputs).failures, ...validateAgainstDefinition(inputs, { definition: def, existing: false })]).toEqual([]);
});

test("the module: values as they are, adoptId, one secret config value per credential field; commands without values", () => {
  const aws = integration("aws", "Production AWS", "aws-prod");
  const b2 = integration("backblaze-b2", 'Backups "eu"', "backups", { extra: { bucket: "eu-backups", region: "eu-central-003" } });
  const le = integration("lets-encrypt", "Certificates", "tls", { extra: { email: "ops@example.com" } });
  const stripe = integration("stripe", "Billing it", "billing");
  const plan = buildImportPlan({
    hubId: HUB,
    apiUrl: "http://127.0.0.1:1234",
    integrations: [aws, b2, le, stripe],
    catalogue,
    packageVersion: "9.9.9",
    stack: "dev",
  });
  const src = plan.source;
  expect(src).toContain('integrations["aws-prod"] = new Integration("aws-prod", {');
  expect(src).toContain(`adoptId: ${JSON.stringify(aws.id)},`);
  expect(src).toContain('name: "Backups \\"eu\\"",');
  expect(src).toContain('bucket: "eu-backups",');
  expect(src).toContain('keyId: config.requireSecret("aws-prod.keyId"),');
  expect(src).toContain('secret: config.requireSecret("aws-prod.secret"),');
  expect(src).toContain(`const hubId = ${JSON.stringify(HUB)};`);
  // No credentials for a vendor without any; an optional extra kept as it is.
  expect(src).toMatch(
    /new Integration\("tls", \{\n {2}vendor: "lets-encrypt",\n {2}name: "Certificates",\n {2}identifier: "tls",\n {2}hubId,\n {2}extra: \{\n {4}email: "ops@example.com",\n {2}\},\n {2}verifyTrigger,\n {2}adoptId:/,
  );
  // One config value re-verifies every credential (see the drift workflow).
  expect(src).toContain(`const verifyTrigger = config.get("verifyTrigger");`);
  expect(src).toContain("pulumi-cycle 9.9.9");
  expect(plan.commands).toEqual([
    `pulumi config set --secret --stack dev aws-prod.keyId '<Access Key ID>'    # aws "Production AWS" (${aws.id})`,
    `pulumi config set --secret --stack dev aws-prod.secret '<Secret Access Key>'    # aws "Production AWS" (${aws.id})`,
    `pulumi config set --secret --stack dev backups.keyId '<Application Key ID>'    # backblaze-b2 "Backups 'eu'" (${b2.id})`,
    `pulumi config set --secret --stack dev backups.secret '<Application Key>'    # backblaze-b2 "Backups 'eu'" (${b2.id})`,
    `pulumi config set --secret --stack dev billing.apiKey '<Secret Key>'    # stripe "Billing it" (${stripe.id})`,
  ]);
  // The same hub gives the same module.
  expect(
    buildImportPlan({ hubId: HUB, apiUrl: "http://127.0.0.1:1234", integrations: [stripe, le, b2, aws], catalogue, packageVersion: "9.9.9", stack: "dev" })
      .source,
  ).toBe(src);
});

test("the generated module type-checks (strict) against the package's types", () => {
  const list = [
    integration("aws", "Production AWS", "aws-prod"),
    integration("aws", "Production AWS", "aws-prod"),
    integration("azure", "Azure prod", "azure-prod"),
    integration("aws-s3", "S3 backups", "s3-backups", { extra: { bucket: "my-bucket", retention_days: "30" } }),
    integration("stripe", "Billing it", "billing", { extra: { account: "acct_0123456789abcdef" } }),
  ];
  const plan = buildImportPlan({ hubId: HUB, apiUrl: "https://api.cycle.io", integrations: list, catalogue, packageVersion: "9.9.9" });
  expect(plan.skipped.map((s) => s.integration.vendor)).toEqual(["azure"]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-plan-"));
  try {
    const file = path.join(dir, "index.ts");
    fs.writeFileSync(file, plan.source);
    const root = path.resolve(__dirname, "..", "..");
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: [],
      baseUrl: root,
      paths: { "pulumi-cycle": ["provider/index.ts"], "@pulumi/pulumi": ["node_modules/@pulumi/pulumi"] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("shell words are quoted only when needed", () => {
  expect(shellWord("aws-prod.keyId")).toBe("aws-prod.keyId");
  expect(shellWord("my stack")).toBe("'my stack'");
  expect(shellWord("it's")).toBe("'it'\\''s'");
});

test("import: help, usage errors (exit 2), no key", async () => {
  const h = await cli("import", "--help");
  expect(h.code).toBe(0);
  expect(h.out).toMatch(/--hub <id>/);
  expect(h.out).toMatch(/--api-url <url>/);
  expect(h.out).toMatch(/--out <file>/);
  expect((await cli("--help")).out).toMatch(/import/);
  for (const argv of [
    ["import", "--hub"],
    ["import", "--bogus"],
    ["import", "stray"],
    ["import", "--force=yes"],
    ["import", "--hub", "nothex"],
  ]) {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-cli-"));
  const saved = { cwd: process.cwd(), key: process.env.CYCLE_API_KEY, cli: process.env.PULUMI_CLI };
  try {
    process.chdir(dir);
    delete process.env.CYCLE_API_KEY;
    process.env.PULUMI_CLI = "/nonexistent/pulumi";
    const r = await cli("import", "--hub", HUB);
    expect(r.code).toBe(1);
    // Resolved as the provider resolves it; the stack config could not be read (no Pulumi CLI), and the message says why.
    expect(r.err).toMatch(
      /No Cycle API key: set it with `pulumi config set --secret cycle:apiKey <key>` or the environment variable CYCLE_API_KEY \(reading the stack config failed: The Pulumi CLI was not found/,
    );
    fs.writeFileSync(path.join(dir, "integrations.ts"), "// mine\n");
    const exists = await cli("import", "--hub", HUB);
    expect(exists.code).toBe(2);
    expect(exists.err).toMatch(/integrations.ts exists/);
  } finally {
    process.chdir(saved.cwd);
    if (saved.key !== undefined) process.env.CYCLE_API_KEY = saved.key;
    if (saved.cli === undefined) delete process.env.PULUMI_CLI;
    else process.env.PULUMI_CLI = saved.cli;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
