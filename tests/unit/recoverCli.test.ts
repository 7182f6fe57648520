/**
 * `pulumi-cycle` argument handling: help, usage errors and exit codes,
 * without running the Pulumi CLI.
 */
import { main } from "../../provider/cli/main";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(
    argv,
    (t) => (out += `${t}\n`),
    (t) => (err += `${t}\n`),
  );
  return { code, out, err };
}

test("--help lists the commands; recover --help explains it", async () => {
  const top = await cli("--help");
  expect(top).toMatchObject({ code: 0, err: "" });
  expect(top.out).toMatch(/recover/);
  const r = await cli("recover", "--help");
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/--stack <name>/);
  expect(r.out).toMatch(/--yes/);
  expect(r.out).toMatch(/--since/);
});

test("usage errors exit 2 with a message and no stack trace", async () => {
  for (const argv of [[], ["frobnicate"], ["recover"], ["recover", "--stack"], ["recover", "--stack", "dev", "--bogus"], ["recover", "extra"]]) {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
  }
  expect((await cli("recover")).err).toMatch(/--stack is required/);
  expect((await cli("recover", "--stack", "dev", "--bogus")).err).toMatch(/unknown option --bogus/);
});

test("a bad --since is a usage error, found before anything else runs", async () => {
  const r = await cli("recover", "--stack=dev", "--since", "yesterday");
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^pulumi-cycle: --since: not an RFC 3339 time/);
  expect(r.err).not.toMatch(/\n\s+at /);
});

test("a missing Pulumi CLI is a clear error", async () => {
  const saved = process.env.PULUMI_CLI;
  process.env.PULUMI_CLI = "/nonexistent/pulumi";
  try {
    const r = await cli("recover", "--stack", "dev");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The Pulumi CLI was not found \(`\/nonexistent\/pulumi`\)/);
  } finally {
    if (saved === undefined) delete process.env.PULUMI_CLI;
    else process.env.PULUMI_CLI = saved;
  }
});
