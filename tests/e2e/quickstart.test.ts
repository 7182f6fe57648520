/**
 * The main job (`npm start`) as the README's first command runs it: the
 * emulator, a local stack of examples/quickstart, `pulumi up`, then a
 * preview that must show no changes.
 */
import { spawnSync } from "child_process";
import * as path from "path";

jest.setTimeout(300_000);

test("npm start: up succeeds and the follow-up preview is empty", () => {
  const root = path.resolve(__dirname, "..", "..");
  const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "scripts/quickstart.ts"], {
    cwd: root,
    env: { ...process.env, CYCLE_EMULATOR_JOB_STEP_MS: "20" },
    encoding: "utf8",
  });
  const out = `${r.stdout}\n${r.stderr}`;
  expect({ status: r.status, tail: out.slice(-2000) }).toMatchObject({ status: 0 });
  expect(out).toMatch(/Resources:\s+\+ 5 created/);
  expect(out).toMatch(/4 integrations created, 3 verify jobs run/);
  expect(out).toMatch(/changes: \{"same":5\}; API calls during preview: \d+ \(all reads: true\)/);
  for (const vendor of ["aws", "backblaze-b2", "lets-encrypt", "depot"]) expect(out).toContain(vendor);
});
