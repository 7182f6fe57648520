/**
 * Configuration and connection mistakes under the real CLI, as a user makes
 * them: each gives one clean message naming what to fix (the config key and
 * the environment variable), with no stack trace and no repeated message,
 * before anything is written. The table is the README's.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { AWS_GOOD } from "../helpers/fixtures";
import { ConfigValues, configure, createProject, declare, E2EProject, emulatorConfig, removeProject, run } from "./harness";

jest.setTimeout(300_000);

let emu: EmulatorHandle;
let project: E2EProject;
let silent: http.Server;
let silentUrl: string;

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 10 });
  project = createProject();
  // A server that accepts connections and never answers.
  silent = http.createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
}, 600_000);
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
  await emu?.close();
  removeProject(project);
});

/** What the CLI printed (the Automation API repeats it in its error: only the first copy counts). */
function printed(error: string | undefined): string {
  const text = error ?? "";
  const start = text.indexOf("stdout:");
  const end = text.indexOf(" err?:");
  return text.slice(start < 0 ? 0 : start, end < 0 ? undefined : end);
}

const aws = { name: "aws", args: { vendor: "aws", name: "Diagnosed AWS", auth: AWS_GOOD } };
type Config = ConfigValues;
const good = (): Config => emulatorConfig(emu);

const cases: Array<[string, () => Config, string[], RegExp]> = [
  [
    "no API key",
    () => ({ ...good() }),
    ["cycle:apiKey"],
    /No Cycle API key: set it with `pulumi config set --secret cycle:apiKey <key>`, the environment variable CYCLE_API_KEY/,
  ],
  ["no hub", () => good(), ["cycle:hubId"], /No Cycle hub: set it with `pulumi config set cycle:hubId <hub id>`, the environment variable CYCLE_HUB_ID/],
  [
    "a hub ID that is not one",
    () => ({ ...good(), "cycle:hubId": { value: "my-hub" } }),
    [],
    /stack config `cycle:hubId` must be a Cycle hub ID \(24 lowercase hex characters/,
  ],
  [
    "plain http to a remote host",
    () => ({ ...good(), "cycle:apiUrl": { value: "http://api.cycle.io" } }),
    [],
    /stack config `cycle:apiUrl` is not usable: .*plain http.*pulumi config set cycle:apiUrl https:\/\/api.cycle.io/,
  ],
  [
    "a URL that is not one",
    () => ({ ...good(), "cycle:apiUrl": { value: "api.cycle.io" } }),
    [],
    /stack config `cycle:apiUrl` is not usable: .*not a valid URL/,
  ],
  [
    "a wrong API key",
    () => ({ ...good(), "cycle:apiKey": { value: "emu_not_a_key_0000", secret: true } }),
    [],
    /401 401\.auth-invalid.*check the API key \(stack config `cycle:apiKey` or env CYCLE_API_KEY\)/,
  ],
  [
    "an API that refuses connections",
    () => ({ ...good(), "cycle:apiUrl": { value: "http://127.0.0.1:1" } }),
    [],
    /after 5 attempts: network error ECONNREFUSED.*cycle:apiUrl.*CYCLE_API_URL/,
  ],
];

describe("each mistake gives one clean message naming what to fix", () => {
  test.each(cases)("%s", async (label, config, remove, expected) => {
    const stack = `diag-${cases.findIndex((c) => c[0] === label)}`;
    await configure(project, stack, config(), remove);
    declare(project, stack, [aws]);
    emu.clearLog();
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    const out = printed(r.error);
    if (process.env.SHOW_DIAGNOSTICS) console.log(out);
    expect(out).toMatch(expected);
    // Once in the summary, under the resource: the provider's own print of the
    // error (under the stack, with a stack trace) is gone. The progress line
    // above it is the CLI's usual echo of a resource error.
    const first = expected.exec(out)![0].slice(0, 40);
    const summary = out.slice(out.indexOf("Diagnostics:"));
    expect(summary.split(first).length - 1).toBe(1);
    expect(out).not.toMatch(/\n\s+at .+[.:]\d+/);
    expect(out).not.toMatch(/\.ts:\d+/);
    // Nothing was written.
    expect(emu.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
  });

  test("an API key set without --secret is warned about (it would land in state in plain text)", async () => {
    const stack = "diag-plain-key";
    await configure(project, stack, { ...good(), "cycle:apiKey": { value: emu.keys.admin } });
    declare(project, stack, [aws]);
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(true);
    expect(r.stdout).toMatch(/cycle:apiKey is set in plain text.*pulumi config set --secret cycle:apiKey/);
  });

  test("credential names in the API's snake_case get a hint", async () => {
    const stack = "diag-snake";
    await configure(project, stack, good());
    declare(project, stack, [{ name: "aws", args: { vendor: "aws", name: "Snake case AWS", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } } }]);
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    expect(printed(r.error)).toMatch(/unknown credential field `key_id`; did you mean `keyId`\?/);
    expect(printed(r.error)).not.toContain(AWS_GOOD.keyId);
  });

  test("a misspelt argument from a JavaScript program (`adoptID`) fails preview and up naming `adoptId`; nothing is created", async () => {
    const stack = "diag-misspelt";
    await configure(project, stack, good());
    const existing = emu.outOfBand.create(
      emu.hubs.primary,
      { vendor: "aws", name: "Adopt me please", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } },
      { state: "live" },
    );
    declare(project, stack, [{ name: "aws", args: { vendor: "aws", name: "Adopt me please", auth: AWS_GOOD, adoptID: existing.id } }]);
    const before = emu.integrations(emu.hubs.primary).length;
    emu.clearLog();
    for (const op of ["preview", "up"]) {
      const r = await run(project, stack, op);
      expect({ op, ok: r.ok }).toEqual({ op, ok: false });
      expect(printed(r.error)).toMatch(/unknown property `adoptID`; did you mean `adoptId`\?/);
    }
    expect(emu.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
    expect(emu.integrations(emu.hubs.primary)).toHaveLength(before);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["`apiKey: 12345`", { apiKey: 12345 }, /apiKey must be a string/],
    ["a name whose derived identifier the API refuses", { name: "本番のストレージ" }, /name.*this name gives no identifier at all.*Declare `identifier`/],
  ])("%s fails preview naming the property", async (label, over, expected) => {
    const stack = `diag-check-${label.length}`;
    await configure(project, stack, good());
    declare(project, stack, [{ name: "aws", args: { ...aws.args, ...over } }]);
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    const out = printed(r.error);
    expect(out).toMatch(expected);
    expect(out).not.toMatch(/is not a function|12345/);
  });

  test("an API that accepts connections and never answers fails naming the URL setting, with a line per retry", async () => {
    const stack = "diag-silent";
    await configure(project, stack, { ...good(), "cycle:apiUrl": { value: silentUrl } });
    declare(project, stack, [aws]);
    const started = Date.now();
    const r = await run(project, stack, "preview");
    expect(r.ok).toBe(false);
    const out = printed(r.error);
    expect(out).toMatch(/timed out.*cycle:apiUrl/);
    // A request that takes the whole timeout to say nothing is tried once more, not four times.
    expect(out).toMatch(/trying again in .* \(attempt 2 of 2\)/);
    expect(out).toMatch(/failed after 2 attempts: timed out/);
    console.log(`an API that never answers: failed after ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
