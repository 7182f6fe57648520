/**
 * `pulumi-cycle` argument handling: help, usage errors and exit codes,
 * without running the Pulumi CLI; and the commands' connection, resolved by
 * the provider's own rules over a stand-in `pulumi` that answers
 * `config get`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commandHub, connect } from "../../provider/cli/connection";
import { StackConfig } from "../../provider/cli/stackConfig";
import { cli } from "../helpers/cli";

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

describe("the connection of a command, resolved as the provider's", () => {
  const HUB = "0123456789abcdef01234567";
  const OTHER = "fedcba9876543210fedcba98";

  /** A stand-in `pulumi` that answers `config get <key> --json` from a map (or fails as a missing stack does). */
  function fakePulumi(values: Record<string, string> | "no-stack"): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    const script = path.join(dir, "pulumi");
    fs.writeFileSync(
      script,
      `#!/usr/bin/env node
const values = ${JSON.stringify(values)};
const [cmd, sub, key] = process.argv.slice(2);
if (cmd !== "config" || sub !== "get") { process.stderr.write("unexpected"); process.exit(9); }
if (values === "no-stack") { process.stderr.write("error: no stack named 'dev' found\\n"); process.exit(255); }
if (!(key in values)) { process.stderr.write("error: configuration key '" + key + "' not found for stack 'dev'\\n"); process.exit(255); }
process.stdout.write(JSON.stringify({ value: values[key], secret: false }));
`,
      { mode: 0o755 },
    );
    return { dir, env: { PATH: process.env.PATH, PULUMI_CLI: script } };
  }

  test("flags, then stack config, then environment; the stack config's own values are told apart", async () => {
    const { dir, env } = fakePulumi({ "cycle:apiKey": "key-from-config", "cycle:hubId": HUB, "cycle:apiUrl": "http://127.0.0.1:9/from-config" });
    try {
      const config = new StackConfig({ stack: "dev", required: true, cwd: dir, env });
      const c = await connect(config, { ...env, CYCLE_API_KEY: "key-from-env", CYCLE_HUB_ID: OTHER }, { apiUrl: "http://127.0.0.1:9/from-flag" });
      expect(c.connection).toEqual({ apiKey: "key-from-config", hubId: HUB, apiUrl: "http://127.0.0.1:9/from-flag" });
      expect(c.client.baseUrl).toBe("http://127.0.0.1:9/from-flag");
      expect(c.fromConfig).toEqual({ apiKey: "key-from-config", hubId: HUB, apiUrl: "http://127.0.0.1:9/from-config" });
      expect(commandHub(c, undefined)).toBe(HUB);
      expect(commandHub(c, OTHER)).toBe(OTHER);
      expect(c.redactor.redact("sent key-from-config")).not.toContain("key-from-config");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a stack that cannot be read: lenient commands go on with the environment, naming why when something is missing", async () => {
    const { dir, env } = fakePulumi("no-stack");
    try {
      const lenient = new StackConfig({ stack: "dev", required: false, cwd: dir, env });
      const c = await connect(lenient, { ...env, CYCLE_API_KEY: "key-from-env" });
      expect(c.connection).toEqual({ apiKey: "key-from-env", hubId: undefined, apiUrl: "https://api.cycle.io" });
      expect(lenient.missingStack).toBe(true);
      expect(() => commandHub(c, undefined)).toThrow(
        "No Cycle hub: set it with `pulumi config set cycle:hubId <hub id>`, the environment variable CYCLE_HUB_ID, or `--hub <hub ID>` (stack dev: add `--stack dev` to `pulumi config set`) (reading the stack config failed: no stack named 'dev' found).",
      );
      const strict = new StackConfig({ stack: "dev", required: true, cwd: dir, env });
      await expect(connect(strict, { ...env, CYCLE_API_KEY: "key-from-env" })).rejects.toThrow(
        /`pulumi config get cycle:apiKey --json --stack dev` failed: no stack named 'dev' found/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a malformed setting names where it came from: a flag, the stack config", async () => {
    const { dir, env } = fakePulumi({ "cycle:apiKey": "key-from-config", "cycle:hubId": "not-a-hub" });
    try {
      const config = new StackConfig({ stack: "dev", required: true, cwd: dir, env });
      await expect(connect(config, env)).rejects.toThrow(/^stack config `cycle:hubId` must be a Cycle hub ID/);
      const { dir: dir2, env: env2 } = fakePulumi({ "cycle:apiKey": "key-from-config" });
      const fakeNoKey = fakePulumi({});
      try {
        await expect(connect(new StackConfig({ stack: "dev", required: true, cwd: dir2, env: env2 }), env2, { apiUrl: "ftp://nope" })).rejects.toThrow(
          /^`--api-url <url>` is not usable/,
        );
        // No key anywhere: the ways a command has (no resource, no flag for it).
        await expect(connect(new StackConfig({ stack: "dev", required: true, cwd: dir, env: fakeNoKey.env }), fakeNoKey.env)).rejects.toThrow(
          "No Cycle API key: set it with `pulumi config set --secret cycle:apiKey <key>` or the environment variable CYCLE_API_KEY (stack dev: add `--stack dev` to `pulumi config set`).",
        );
      } finally {
        fs.rmSync(dir2, { recursive: true, force: true });
        fs.rmSync(fakeNoKey.dir, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
