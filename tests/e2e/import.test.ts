/**
 * `pulumi-cycle import` end to end: a hub with integrations made by hand (two
 * look-alikes, one deleted, one of the deprecated vendor `equinix-metal`, one
 * whose bucket an older pattern of its vendor allowed and today's refuses,
 * one still `new`, and one in another hub) goes from nothing to an adopted stack
 * with an empty plan using only the command (run through the packed
 * package's bin) and the commands it prints, under the real Pulumi CLI:
 * the generated TypeScript module compiles (strict); its `preview` shows
 * creates only (adoptions: nothing replaced, nothing fails validation, no
 * write reaches the API); `up` adopts every one (0 POSTs to /integrations,
 * the hub holds the same integrations with the same IDs); the plan after is
 * empty. The one today's check refuses is left out with the reason, so the
 * preview of the rest passes, and it is left as it is in the hub. Neither the
 * key nor a credential is printed or written.
 */
import * as fs from "fs";
import * as path from "path";
import { findEntry, startEmulator, EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";
import { AWS_GOOD, B2_GOOD, STRIPE_GOOD, LETS_ENCRYPT_EXTRA } from "../helpers/fixtures";
import { createProject, E2EProject, exportStack, packageBin, pulumiCli, removeProject } from "./harness";
import { compileProgram, runProgramFile, shellWords } from "./programFile";

jest.setTimeout(600_000);

let emu: EmulatorHandle;
let project: E2EProject;
const stack = "imported";
const S3 = { keyId: "AKIAIOSFODNN7EXAMPLF", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ", region: "eu-west-1" };

const present = (hub: string) => emu.integrations(hub).filter((i) => i.state.current !== "deleted" && i.state.current !== "deleting");
const writes = () => emu.requestLog.filter((e) => e.method !== "GET");
const createPosts = () => emu.requestLog.filter((e) => e.method === "POST" && /\/integrations$/.test(e.path.split("?")[0]));

/**
 * An integration of `equinix-metal` made while the vendor was not deprecated
 * yet: the emulator refuses new ones even out of band, so its catalogue entry
 * is undeprecated for the one create.
 */
function madeBeforeDeprecation(make: () => Integration): Integration {
  const def = findEntry("equinix-metal")!.definition;
  expect(def.deprecated).toBe(true);
  def.deprecated = false;
  try {
    return make();
  } finally {
    def.deprecated = true;
  }
}

/**
 * A backblaze-b2 integration made while the vendor's bucket pattern still
 * allowed capitals and underscores: the emulator checks values even out of
 * band, so the pattern is loosened for the one create, and today's is back
 * before anything reads the catalogue.
 */
function madeUnderAnOlderPattern(make: () => Integration): Integration {
  const bucket = findEntry("backblaze-b2")!.definition.fields.extra!.bucket;
  const today = bucket.regex;
  expect(today).toBeTruthy();
  expect(new RegExp(today!).test("Old_Style_Bucket")).toBe(false);
  bucket.regex = "^[A-Za-z0-9_-]{6,50}$";
  try {
    return make();
  } finally {
    bucket.regex = today;
  }
}

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 40, deleteGraceMs: 600_000 });
  project = createProject();
}, 600_000);
afterAll(async () => {
  await emu?.close();
  removeProject(project);
});

test("import, the printed commands, preview (adoptions only), up (same IDs, no POST), empty plan", async () => {
  const hub = emu.hubs.primary;
  const ob = emu.outOfBand;
  const aws = ob.create(
    hub,
    { vendor: "aws", name: "Production AWS", identifier: "aws-prod", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
    { state: "live" },
  );
  // A look-alike made later by hand: same vendor, name and identifier.
  const twin = ob.create(
    hub,
    { vendor: "aws", name: "Production AWS", identifier: "aws-prod", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
    { state: "live" },
  );
  const b2 = ob.create(
    hub,
    {
      vendor: "backblaze-b2",
      name: "Backups (EU)",
      identifier: "Backups_EU",
      auth: { key_id: B2_GOOD.keyId, secret: B2_GOOD.secret },
      extra: { bucket: "eu-backups", region: "eu-central-003" },
    },
    { state: "live" },
  );
  const s3 = ob.create(hub, {
    vendor: "aws-s3",
    name: "S3 archive",
    auth: { key_id: S3.keyId, secret: S3.secret, region: S3.region },
    extra: { bucket: "archive.bucket" },
  });
  const tls = ob.create(hub, { vendor: "lets-encrypt", name: "Certificates", extra: LETS_ENCRYPT_EXTRA }, { state: "live" });
  const billing = ob.create(
    hub,
    { vendor: "stripe", name: "Billing account", identifier: "billing", auth: { api_key: STRIPE_GOOD.apiKey } },
    { state: "live" },
  );
  const deleted = ob.create(
    hub,
    { vendor: "aws", name: "Old AWS account", identifier: "aws-old", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
    { state: "deleted" },
  );
  const metal = madeBeforeDeprecation(() =>
    ob.create(
      hub,
      {
        vendor: "equinix-metal",
        name: "Metal legacy",
        identifier: "metal",
        auth: { api_key: "abcdefABCDEF0123456789abcdef0123" },
        extra: { project_id: "0123abcd-0123-0123-0123-0123456789ab" },
      },
      { state: "live" },
    ),
  );
  const legacy = madeUnderAnOlderPattern(() =>
    ob.create(
      hub,
      {
        vendor: "backblaze-b2",
        name: "Old style backups",
        identifier: "old-backups",
        auth: { key_id: B2_GOOD.keyId, secret: B2_GOOD.secret },
        extra: { bucket: "Old_Style_Bucket" },
      },
      { state: "live" },
    ),
  );
  const going = ob.create(hub, { vendor: "vultr", name: "Vultr being removed", auth: { api_key: "VULTRKEY0123456789ABCDEFGHIJKLMNOPQR" } }, { state: "live" });
  ob.setState(going.id, "deleting");
  const elsewhere = ob.create(
    emu.hubs.secondary,
    { vendor: "aws", name: "Other hub AWS", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
    { state: "live" },
  );
  const adoptable = [aws, twin, b2, s3, tls, billing];
  const before = new Map(present(hub).map((i) => [i.id, i]));
  expect(before.size).toBe(8); // the deleting one is not counted; the API lists it, not the deleted one
  expect(emu.integrations(hub).find((i) => i.id === going.id)?.state.current).toBe("deleting");

  // --- 1. the command, as a user runs it in the program's directory (key in the environment only) ---
  fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), "name: cycle-e2e\nruntime: nodejs\n");
  const imported = await packageBin(project, "pulumi-cycle", ["import", "--hub", hub, "--api-url", emu.url, "--out", "index.ts", "--stack", stack], {
    CYCLE_API_KEY: emu.keys.admin,
  });
  expect(imported.stderr).toBe("");
  expect(imported.code).toBe(0);
  const printed = imported.stdout;
  const source = fs.readFileSync(path.join(project.dir, "index.ts"), "utf8");
  for (const text of [printed, source]) {
    expect(text).not.toContain(emu.keys.admin);
    for (const secret of [AWS_GOOD.keyId, AWS_GOOD.secret, B2_GOOD.keyId, B2_GOOD.secret, S3.keyId, S3.secret, STRIPE_GOOD.apiKey])
      expect(text).not.toContain(secret);
  }
  expect(printed).toMatch(/6 Integration\(s\) to adopt/);
  expect(printed).toContain(`${going.id} vultr "Vultr being removed": it is deleting`);
  expect(printed).not.toContain(deleted.id); // not listed by the API: nothing to report
  expect(printed).toContain(`${metal.id} equinix-metal "Metal legacy": vendor \`equinix-metal\` is deprecated`);
  expect(printed).not.toContain(elsewhere.id);
  // Today's pattern refuses its bucket: left out, naming the property, the pattern and the value, and what to do.
  expect(printed).toMatch(
    new RegExp(
      `${legacy.id} backblaze-b2 "Old style backups": its current values are refused by today's checks \\(extra\\.bucket does not match the pattern \\S+ required by vendor \`backblaze-b2\` \\(got "Old_Style_Bucket"\\)\\), so a program declaring them would fail \`pulumi preview\`; to manage it, declare values they accept`,
    ),
  );
  for (const i of adoptable) expect(source).toContain(`adoptId: ${JSON.stringify(i.id)}`);
  expect(source).not.toContain(deleted.id);
  // Left out: named in the header, never declared.
  expect(source).toMatch(new RegExp(`Left out:[\\s\\S]*${metal.id} equinix-metal`));
  expect(source).toMatch(new RegExp(`Left out:[\\s\\S]*${going.id} vultr`));
  expect(source).not.toContain(`adoptId: ${JSON.stringify(metal.id)}`);
  expect(source).not.toContain(`adoptId: ${JSON.stringify(going.id)}`);
  expect(source).toMatch(new RegExp(`Left out:[\\s\\S]*${legacy.id} backblaze-b2 "Old style backups": its current values are refused`));
  expect(source).not.toContain(`adoptId: ${JSON.stringify(legacy.id)}`);
  expect(source).not.toContain("old-backups.keyId");
  // Names from identifiers, the later look-alike numbered.
  expect(source).toContain('new Integration("aws-prod", {');
  expect(source).toContain('new Integration("aws-prod-2", {');
  expect(source).toContain('new Integration("backups-eu", {');
  expect(source.indexOf(aws.id)).toBeLessThan(source.indexOf(twin.id));

  // --- 2. the printed commands, with the values filled in -------------------
  const values: Record<string, string> = {
    "cycle:apiKey": emu.keys.admin,
    "aws-prod.keyId": AWS_GOOD.keyId,
    "aws-prod.secret": AWS_GOOD.secret,
    "aws-prod-2.keyId": AWS_GOOD.keyId,
    "aws-prod-2.secret": AWS_GOOD.secret,
    "backups-eu.keyId": B2_GOOD.keyId,
    "backups-eu.secret": B2_GOOD.secret,
    [`${s3.identifier}.keyId`]: S3.keyId,
    [`${s3.identifier}.secret`]: S3.secret,
    [`${s3.identifier}.region`]: S3.region,
    "billing.apiKey": STRIPE_GOOD.apiKey,
  };
  const commands = printed
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("pulumi "));
  expect(commands[0]).toBe(`pulumi stack init ${stack}`);
  const setKeys: string[] = [];
  for (const line of commands) {
    const words = shellWords(line).slice(1);
    const placeholder = words.findIndex((w) => /^<.*>$/.test(w));
    if (placeholder >= 0) {
      const k = words[placeholder - 1];
      expect(values[k]).toBeDefined();
      words[placeholder] = values[k];
      setKeys.push(k);
    }
    const r = await pulumiCli(project, words);
    if (r.code !== 0) throw new Error(`\`${line}\` failed: ${r.stderr}`);
  }
  expect(setKeys.sort()).toEqual(Object.keys(values).sort());
  expect(commands).toContain(`pulumi config set --stack ${stack} cycle:apiUrl ${emu.url}`);

  // --- 3. the module compiles and previews as adoptions ---------------------
  const program = compileProgram(project, "index.ts");
  emu.clearLog();
  const preview = await runProgramFile(project, stack, "preview", program, { diff: true });
  if (!preview.ok) throw new Error(preview.error);
  expect(preview.changes).toEqual({ create: adoptable.length + 1 }); // + the stack itself
  expect(writes()).toEqual([]);

  // --- 4. up adopts them all ------------------------------------------------
  emu.clearLog();
  const up = await runProgramFile(project, stack, "up", program);
  if (!up.ok) throw new Error(up.error);
  expect(up.changes).toEqual({ create: adoptable.length + 1 });
  expect(createPosts()).toEqual([]);
  expect(emu.requestLog.filter((e) => e.path.includes(legacy.id))).toEqual([]); // the one left out is not touched
  expect(writes().every((e) => e.method === "PATCH" || /\/tasks$/.test(e.path.split("?")[0]))).toBe(true);
  const after = present(hub);
  expect(after.map((i) => i.id).sort()).toEqual([...before.keys()].sort());
  for (const i of after) {
    const was = before.get(i.id) as Integration;
    expect([i.vendor, i.name, i.identifier, i.extra]).toEqual([was.vendor, was.name, was.identifier, was.extra]);
  }
  expect(emu.integrations(hub).find((i) => i.id === deleted.id)?.state.current).toBe("deleted");
  const state = exportStack(project, stack);
  expect(state.integrations.map((r) => r.id).sort()).toEqual(adoptable.map((i) => i.id).sort());
  expect(state.text).not.toContain(emu.keys.admin);
  for (const r of state.integrations) expect((r.outputs as Record<string, unknown>).state).toBe("live");

  // --- 5. nothing left to do ------------------------------------------------
  emu.clearLog();
  const again = await runProgramFile(project, stack, "preview", program);
  if (!again.ok) throw new Error(again.error);
  expect(again.changes).toEqual({ same: adoptable.length + 1 });
  expect(writes()).toEqual([]);
});
