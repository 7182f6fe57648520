/** The `npm run emulator` entry point: flags, the printed block and JSON line, clean shutdown. */
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

interface Started {
  child: ChildProcess;
  stdout: () => string;
  info: { url: string; apiKey: string; hubId: string };
}

/** Runs the CLI the way `npm run emulator` does (ts-node, transpile only). */
async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", () => undefined);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) return { child, stdout: () => out, info: JSON.parse(line) as Started["info"] };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the CLI did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("cli", () => {
  let started: Started | undefined;
  afterEach(() => {
    if (started && started.child.exitCode === null) started.child.kill("SIGKILL");
  });

  it("prints URL, API key and hub, serves the API, and exits 0 on SIGTERM", async () => {
    started = await startCli(["--port", "0", "--job-step-ms", "20", "--api-key", "emu_cli_test_key"]);
    const { url, apiKey, hubId } = started.info;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(apiKey).toBe("emu_cli_test_key");
    expect(hubId).toMatch(/^[a-f0-9]{24}$/);
    expect(started.stdout()).toContain(`URL:            ${url}`);
    expect(started.stdout()).toContain(`Hub ID:         ${hubId}`);

    const r = await fetch(`${url}/v1/hubs/current/integrations`, { headers: { Authorization: `Bearer ${apiKey}`, "X-Hub-Id": hubId } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ data: [] });

    started.child.kill("SIGTERM");
    const [code] = await once(started.child, "exit");
    expect(code).toBe(0);
  });

  it("defaults to the strict behaviour, and takes each behaviour flag; --lenient sets them all, later flags still win", async () => {
    const options = async (args: string[]): Promise<unknown> => {
      started = await startCli(["--port", "0", ...args]);
      const r = await fetch(`${started.info.url}/_emulator/options`);
      const doc = (await r.json()) as { data: unknown };
      started.child.kill("SIGTERM");
      await once(started.child, "exit");
      return doc.data;
    };
    expect(await options([])).toEqual({
      echoAuth: false,
      maxPageSize: 25,
      searchFields: ["name"],
      jobNotFoundReads: 1,
      creatorType: "account",
      clockOffsetMs: -90000,
      quoteCredentials: true,
    });
    expect(
      await options([
        "--echo-auth",
        "--max-page-size",
        "50",
        "--search-fields",
        "name,vendor",
        "--job-not-found-reads",
        "2",
        "--creator-type",
        "api-key",
        "--clock-offset-ms",
        "-1500",
        "--no-quote-credentials",
      ]),
    ).toEqual({
      echoAuth: true,
      maxPageSize: 50,
      searchFields: ["name", "vendor"],
      jobNotFoundReads: 2,
      creatorType: "api-key",
      clockOffsetMs: -1500,
      quoteCredentials: false,
    });
    expect(await options(["--max-page-size", "10", "--lenient"])).toEqual({
      echoAuth: true,
      maxPageSize: 10,
      searchFields: ["name", "identifier", "vendor"],
      jobNotFoundReads: 0,
      creatorType: "api-key",
      clockOffsetMs: 0,
      quoteCredentials: false,
    });
  });

  it.each([
    ["--creator-type", "visitor"],
    ["--search-fields", "name,secret"],
    ["--clock-offset-ms", "soon"],
    ["--max-page-size", "-1"],
  ])("refuses %s %s with exit code 2", async (flag, value) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", flag, value], { cwd: ROOT, stdio: "ignore" });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
  });

  it("refuses unknown flags with exit code 2", async () => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", "--bogus"], { cwd: ROOT, stdio: "ignore" });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
  });
});
