/**
 * State under the real CLI: what the current code writes (size, and the one
 * entry its serialized provider loads), and what earlier versions wrote
 * still refreshes and destroys with this code, each through its own
 * serialized provider: `tests/fixtures/state-0.1.0` (a stack exported after
 * `up` by pulumi-cycle 0.1.0, the last release, commit 24b58f0) and
 * `tests/fixtures/state-600a403` (the same by the main branch at 600a403,
 * before the stable entry). `scripts/state-fixture.ts` writes such a
 * fixture; each meta.json says how it was written.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, EmulatorHandle } from "../../emulator";
import type { CreateIntegrationBody } from "../../provider/api/types";
import { AWS_GOOD, B2_GOOD, LETS_ENCRYPT_EXTRA } from "../helpers/fixtures";
import { configure, createProject, declare, E2EProject, exportStack, ok, pulumiCli, removeProject, run, emulatorConfig } from "./harness";

jest.setTimeout(240_000);

interface Meta {
  stack: string;
  seed: { hubs: { primary: string; secondary: string }; keys: { admin: string } };
  emulatorUrl: string;
  ids: Record<string, string>;
}

const fixtureDir = (name: string) => path.join(__dirname, "..", "fixtures", name);
const metaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtureDir(name), "meta.json"), "utf8")) as Meta;
/** Every fixture uses the same seed: the hubs and key the emulator starts with. */
const SEED = metaOf("state-0.1.0").seed;

let project: E2EProject;
beforeAll(() => {
  project = createProject();
}, 600_000);
afterAll(() => removeProject(project));

async function emulator(): Promise<EmulatorHandle> {
  return startEmulator({ jobStepMs: 20, deleteGraceMs: 300, seed: SEED });
}

describe("state written by this code", () => {
  test("an integration takes at most 4 KB in `stack export`, its serialized provider at most 1.5 KB per copy and loads `pulumi-cycle/dynamic`; destroy costs at most 3 requests each", async () => {
    const emu = await emulator();
    try {
      const stack = "small";
      await configure(project, stack, emulatorConfig(emu));
      const aws = (i: number) => ({ name: `aws${i}`, args: { vendor: "aws", name: `State size ${i}`, auth: AWS_GOOD } });
      declare(project, stack, [
        aws(1),
        aws(2),
        aws(3),
        { name: "b2", args: { vendor: "backblaze-b2", name: "State backups", identifier: "state-backups", auth: B2_GOOD, extra: { bucket: "state-bucket" } } },
      ]);
      ok(await run(project, stack, "up"));
      const exported = exportStack(project, stack);
      expect(exported.integrations).toHaveLength(4);
      for (const r of exported.integrations) {
        expect(JSON.stringify(r).length).toBeLessThanOrEqual(4096);
        for (const bag of ["inputs", "outputs"] as const) {
          const provider = (r[bag] as Record<string, unknown>).__provider as string;
          expect(provider.length).toBeLessThanOrEqual(1536);
          // The one entry that never moves, and no other module of the package.
          expect(provider).toContain('require("pulumi-cycle/dynamic")');
          expect(provider).not.toContain("pulumi-cycle/bin/");
          // It captures nothing: no key, no URL, no hub.
          for (const s of [emu.keys.admin, emu.url, emu.hubs.primary]) expect(provider).not.toContain(s);
        }
      }
      emu.clearLog();
      const r = ok(await run(project, stack, "destroy"));
      expect(r.changes).toMatchObject({ delete: 5 });
      expect(emu.requestLog.length).toBeLessThanOrEqual(3 * 4);
    } finally {
      await emu.close();
    }
  });
});

/** Each fixture, and the module its serialized provider loads (which must stay in the package). */
const FIXTURES: Array<[string, string]> = [
  // 0.1.0 loaded its engine by this path, on every call.
  ["state-0.1.0", "pulumi-cycle/bin/provider/resource/engine"],
  // Later development versions loaded this module in `configure`.
  ["state-600a403", "pulumi-cycle/bin/provider/resource/provider"],
];

describe.each(FIXTURES)("the state in tests/fixtures/%s", (fixture, loads) => {
  test("refresh and destroy work on it, with its own serialized provider", async () => {
    const FIXTURE = fixtureDir(fixture);
    const meta = metaOf(fixture);
    expect(meta.seed).toEqual(SEED);
    const emu = await emulator();
    try {
      // The hub as it was: the same integrations (new IDs, mapped into the state).
      const bodies: Record<string, CreateIntegrationBody> = {
        aws: { vendor: "aws", name: "Fixture AWS", identifier: "fixture-aws", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
        backups: {
          vendor: "backblaze-b2",
          name: "Fixture backups",
          identifier: "fixture-backups",
          auth: { key_id: B2_GOOD.keyId, secret: B2_GOOD.secret },
          extra: { bucket: "fixture-bucket" },
        },
        tls: { vendor: "lets-encrypt", name: "Fixture certificates", identifier: "fixture-certificates", extra: LETS_ENCRYPT_EXTRA },
      };
      let text = fs.readFileSync(path.join(FIXTURE, "stack.json"), "utf8").split(meta.emulatorUrl).join(emu.url);
      const ids: Record<string, string> = {};
      for (const [name, body] of Object.entries(bodies)) {
        ids[name] = emu.outOfBand.create(emu.hubs.primary, body, { state: name === "tls" ? "new" : "live" }).id;
        text = text.split(meta.ids[name]).join(ids[name]);
      }
      const oldProviders = (JSON.parse(text) as { deployment: { resources: Array<Record<string, Record<string, unknown>>> } }).deployment.resources
        .filter((r) => r.outputs?.__provider)
        .map((r) => r.outputs.__provider as string);
      expect(oldProviders).toHaveLength(3);
      for (const p of oldProviders) expect(p).toContain(loads);

      const stack = meta.stack;
      fs.copyFileSync(path.join(FIXTURE, `Pulumi.${stack}.yaml`), path.join(project.dir, `Pulumi.${stack}.yaml`));
      await configure(project, stack, { "cycle:apiUrl": { value: emu.url } });
      const file = path.join(project.dir, "old-state.json");
      fs.writeFileSync(file, text);
      const imported = await pulumiCli(project, ["stack", "import", "--stack", stack, "--file", file]);
      expect(imported.code).toBe(0);

      // Refresh: read through the old serialized provider, with this code's operations.
      emu.outOfBand.rename(ids.backups, "Fixture backups renamed");
      emu.clearLog();
      const refreshed = ok(await run(project, stack, "refresh"));
      expect(refreshed.changes).toMatchObject({ update: 1 });
      const after = exportStack(project, stack).integrations;
      const b2 = after.find((r) => r.id === ids.backups)!;
      expect((b2.outputs as Record<string, unknown>).name).toBe("Fixture backups renamed");
      // The state keeps the provider that wrote it.
      expect(after.map((r) => (r.outputs as Record<string, unknown>).__provider).sort()).toEqual([...oldProviders].sort());

      // Destroy: every integration deleted, through the old provider.
      emu.clearLog();
      const destroyed = ok(await run(project, stack, "destroy"));
      expect(destroyed.changes).toMatchObject({ delete: 4 });
      const left = emu.integrations(emu.hubs.primary).filter((i) => Object.values(ids).includes(i.id));
      expect(left.every((i) => i.state.current === "deleted")).toBe(true);
      expect(emu.requestLog.filter((e) => e.method === "DELETE")).toHaveLength(3);
      expect(emu.requestLog.length).toBeLessThanOrEqual(3 * 3);
    } finally {
      await emu.close();
    }
  });
});
