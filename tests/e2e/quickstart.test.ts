/**
 * The main job (`npm start`) as the README's first command runs it: the
 * emulator, a local stack of examples/quickstart, `pulumi up`, then a
 * preview that must show no changes.
 */
import { spawnSync } from "child_process";
import * as path from "path";

jest.setTimeout(300_000);

test("npm start: pulumi up of the root program, then a preview that shows no changes", () => {
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
  expect(out).toMatch(/no changes \((no API calls|\d+ API calls, all reads)\)/);
  // One line per integration while `pulumi up` waits on its verify job; the outputs once.
  expect(out.match(/: waiting for its verify job/g)).toHaveLength(3);
  expect(out.match(/^Outputs:/gm)).toHaveLength(1);
  expect(out).toMatch(/lets-encrypt .*`new` is its final state/);
  for (const vendor of ["aws", "backblaze-b2", "lets-encrypt", "depot"]) expect(out).toContain(vendor);
});
