/**
 * `pulumi-cycle import --format yaml|bulk`, the pure part: the Pulumi YAML
 * program (native `cycle:index:Integration`, adoptId, secret config
 * references, literals that Pulumi YAML cannot read as interpolations) and
 * the bulk-import file (every integration not on its way out, non-editable
 * vendors included; `<hubId>/<integrationId>` IDs); the command's usage
 * errors for the new flag.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CATALOGUE } from "../../emulator/catalogue";
import type { Integration, IntegrationStateName } from "../../provider/api/types";
import type { Catalogue } from "../../provider/catalogue";
import { buildImportPlan, ImportInput, parseImportFormat } from "../../provider/cli/importPlan";
import { yamlLiteral } from "../../provider/cli/importYaml";
import { cli } from "../helpers/cli";

const HUB = "0123456789abcdef01234567";
const catalogue: Catalogue = new Map(CATALOGUE.map((e) => [e.definition.vendor, e]));

let seq = 0;
function integration(
  vendor: string,
  name: string,
  identifier: string,
  opts: { extra?: Record<string, string>; state?: IntegrationStateName } = {},
): Integration {
  seq += 1;
  const id = `cccccccccccccccccccc${seq.toString(16).padStart(4, "0")}`;
  const created = new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString();
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

const aws = integration("aws", "Production AWS", "aws-prod");
const b2 = integration("backblaze-b2", 'Backups "eu" ${cost} $$', "backups", { extra: { bucket: "eu-backups", region: "eu-central-003" } });
const le = integration("lets-encrypt", "Certificates", "tls", { extra: { email: "ops@example.com" } });
const azure = integration("azure", "Azure prod", "azure-prod");
const equinix = integration("equinix-metal", "Old metal", "metal", { extra: { project_id: "0123456789abcdef0123456789abcdef0123" } });
const gone = integration("aws", "Going away", "going", { state: "deleting" });
const deleted = integration("aws", "Gone", "gone", { state: "deleted" });
const all = [aws, b2, le, azure, equinix, gone, deleted];

const input = (format: ImportInput["format"], integrations = all): ImportInput => ({
  hubId: HUB,
  apiUrl: "http://127.0.0.1:1234",
  integrations,
  catalogue,
  packageVersion: "9.9.9",
  stack: "dev",
  format,
});

test("formats parse by name only", () => {
  expect(parseImportFormat("yaml")).toBe("yaml");
  expect(parseImportFormat("bulk")).toBe("bulk");
  expect(parseImportFormat("typescript")).toBe("typescript");
  expect(parseImportFormat("YAML")).toBeUndefined();
  expect(parseImportFormat("ts")).toBeUndefined();
});

test("a YAML literal is a double-quoted scalar whose every `$` Pulumi YAML reads back as one", () => {
  expect(yamlLiteral("plain")).toBe('"plain"');
  expect(yamlLiteral('say "hi"')).toBe('"say \\"hi\\""');
  // `${x}` would be an interpolation and `$$` one dollar: each `$` is doubled.
  expect(yamlLiteral("${x} $$ a$b")).toBe('"$${x} $$$$ a$$b"');
  expect(yamlLiteral("line\nbreak")).toBe('"line\\nbreak"');
});

test("yaml: the same integrations as the TypeScript module, as native resources that adopt them, credentials from secret config", () => {
  const ts = buildImportPlan(input("typescript"));
  const plan = buildImportPlan(input("yaml"));
  expect(plan.emitted.map((e) => e.resource)).toEqual(ts.emitted.map((e) => e.resource));
  expect(plan.emitted.map((e) => e.resource)).toEqual(["aws-prod", "backups", "tls"]);
  expect(plan.skipped.map((s) => s.integration.id).sort()).toEqual([azure.id, equinix.id, gone.id, deleted.id].sort());
  // The same config keys, so the same printed commands.
  expect(plan.commands).toEqual(ts.commands);

  const src = plan.source;
  expect(src).toContain(
    [
      "  aws-prod:",
      "    type: cycle:index:Integration",
      "    properties:",
      '      vendor: "aws"',
      '      name: "Production AWS"',
      '      identifier: "aws-prod"',
      "      hubId: '${hubId}'",
      "      auth:",
      `        keyId: '\${["aws-prod.keyId"]}'`,
      `        secret: '\${["aws-prod.secret"]}'`,
      "      verifyTrigger: '${verifyTrigger}'",
      `      adoptId: "${aws.id}"`,
    ].join("\n"),
  );
  // A name with quotes and dollars stays a literal; extra keys sorted, each a literal.
  expect(src).toContain('      name: "Backups \\"eu\\" $${cost} $$$$"');
  expect(src).toContain('      extra:\n        "bucket": "eu-backups"\n        "region": "eu-central-003"');
  // A vendor without credentials declares none.
  expect(src).toMatch(
    / {2}tls:\n {4}type: cycle:index:Integration\n {4}properties:\n(?: {6}.*\n)*? {6}extra:\n {8}"email": "ops@example.com"\n {6}verifyTrigger/,
  );
  expect(src).not.toMatch(/tls\.(apiKey|keyId|secret)/);
  // Each credential is declared a secret string in the program's config; verifyTrigger optional.
  expect(src).toContain("config:\n  # Change it");
  expect(src).toContain('  verifyTrigger:\n    type: string\n    default: ""');
  for (const key of ["aws-prod.keyId", "aws-prod.secret", "backups.keyId", "backups.secret"]) {
    expect(src).toContain(`  "${key}":\n    type: string\n    secret: true`);
  }
  expect(src).toContain(`variables:\n  hubId: "${HUB}"`);
  expect(src).toContain("outputs:\n  integrationIds:\n    aws-prod: '${aws-prod.id}'\n    backups: '${backups.id}'\n    tls: '${tls.id}'");
  expect(src).toContain("  integrationStates:\n    aws-prod: '${aws-prod.state}'");
  // What was left out is said in the file, with the reason.
  expect(src).toMatch(new RegExp(`#   ${azure.id} azure "Azure prod": vendor \`azure\` is not editable`));
  expect(src).not.toContain(gone.id.replace(/^/, "adoptId: "));
  // No tab (YAML refuses them), and the same hub gives the same program.
  expect(src).not.toContain("\t");
  expect(buildImportPlan(input("yaml", [...all].reverse())).source).toBe(src);
});

test("yaml: an optional credential field is written commented out, with how to turn it on", () => {
  // No editable vendor of the catalogue has an optional credential: one is made optional for this test.
  const def = catalogue.get("aws")!.definition;
  const saved = def.fields.auth!.key_id;
  def.fields.auth!.key_id = { ...saved, required: false };
  try {
    const plan = buildImportPlan(input("yaml", [aws]));
    expect(plan.source).toContain(`        # keyId: '\${["aws-prod.keyId"]}'    (optional: declare "aws-prod.keyId" under config, set it, and uncomment)`);
    expect(plan.source).not.toContain('  "aws-prod.keyId":\n');
    expect(plan.source).toContain('  "aws-prod.secret":\n    type: string\n    secret: true');
  } finally {
    def.fields.auth!.key_id = saved;
  }
});

test("yaml: an empty hub still gives a program", () => {
  const src = buildImportPlan(input("yaml", [])).source;
  expect(src).toContain("resources: {}");
  expect(src).toContain("outputs:\n  integrationIds: {}\n  integrationStates: {}");
});

test("bulk: every integration not being deleted, non-editable and deprecated vendors included, by <hubId>/<integrationId>; no credential asked for", () => {
  const plan = buildImportPlan(input("bulk"));
  expect(plan.commands).toEqual([]);
  expect(plan.skipped.map((s) => [s.integration.id, s.reason])).toEqual([
    [gone.id, "it is deleting"],
    [deleted.id, "it is deleted"],
  ]);
  const doc = JSON.parse(plan.source) as unknown;
  expect(doc).toEqual({
    resources: [
      { type: "cycle:index:Integration", name: "aws-prod", id: `${HUB}/${aws.id}` },
      { type: "cycle:index:Integration", name: "azure-prod", id: `${HUB}/${azure.id}` },
      { type: "cycle:index:Integration", name: "backups", id: `${HUB}/${b2.id}` },
      { type: "cycle:index:Integration", name: "metal", id: `${HUB}/${equinix.id}` },
      { type: "cycle:index:Integration", name: "tls", id: `${HUB}/${le.id}` },
    ],
  });
  expect(plan.source.endsWith("}\n")).toBe(true);
  // Names are the same rule as the programs' (deduplicated in creation order).
  const twin = integration("aws", "Production AWS", "aws-prod");
  const names = (JSON.parse(buildImportPlan(input("bulk", [twin, aws])).source) as { resources: { name: string; id: string }[] }).resources;
  expect(names).toEqual([
    { type: "cycle:index:Integration", name: "aws-prod", id: `${HUB}/${aws.id}` },
    { type: "cycle:index:Integration", name: "aws-prod-2", id: `${HUB}/${twin.id}` },
  ]);
});

test("import --format: help names the formats; an unknown one is a usage error; each format has its own default file", async () => {
  const h = await cli("import", "--help");
  expect(h.code).toBe(0);
  expect(h.out).toMatch(/--format <f>\s+typescript, yaml or bulk/);
  expect(h.out).toMatch(/pulumi import --file/);
  const bad = await cli("import", "--format", "json");
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--format: one of typescript, yaml, bulk \(got json\)/);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-formats-"));
  const saved = process.cwd();
  try {
    process.chdir(dir);
    fs.writeFileSync(path.join(dir, "Main.yaml"), "# mine\n");
    fs.writeFileSync(path.join(dir, "integrations.json"), "{}\n");
    const yaml = await cli("import", "--format", "yaml", "--hub", HUB);
    expect(yaml.code).toBe(2);
    expect(yaml.err).toMatch(/Main.yaml exists/);
    const bulk = await cli("import", "--format=bulk", "--hub", HUB);
    expect(bulk.code).toBe(2);
    expect(bulk.err).toMatch(/integrations.json exists/);
    expect(fs.readFileSync(path.join(dir, "Main.yaml"), "utf8")).toBe("# mine\n");
  } finally {
    process.chdir(saved);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
