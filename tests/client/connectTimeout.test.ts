/**
 * The connect deadline through the real client, on loopback: a connect that
 * never completes (a listener whose accept queue is full, so the kernel drops
 * the SYN) fails with ECONNTIMEOUT, counts as never sent and is retried even
 * for a create; a server that accepts and never answers is a timeout, which is
 * not known to be unsent (a GET is tried once more, a create is not).
 */
import { ChildProcess, spawn } from "child_process";
import * as net from "net";
import { CycleClient, CycleClientOptions, RetryNotice } from "../../provider/api/client";
import { CycleApiError } from "../../provider/api/errors";
import { AWS_GOOD } from "../helpers/fixtures";

const HUB = "0123456789abcdef01234567";
const INTEGRATION = "89abcdef0123456789abcdef";
const BODY = { name: "never-sent", vendor: "aws", auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } };

interface Seen {
  lines: string[];
  retries: RetryNotice[];
}

function client(port: number, seen: Seen, over: Partial<CycleClientOptions>): CycleClient {
  return new CycleClient({
    apiKey: "test-key-never-sent-anywhere",
    hubId: HUB,
    baseUrl: `http://127.0.0.1:${port}`,
    sleep: async () => undefined,
    log: (line) => seen.lines.push(line),
    onRetry: (notice) => seen.retries.push(notice),
    ...over,
  });
}

async function failureOf(call: Promise<unknown>): Promise<CycleApiError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CycleApiError)) throw new Error(`expected a CycleApiError, got ${String(err)}`);
  return err;
}

/** Connects once; true when the connection was established within `withinMs`. */
function connects(port: number, withinMs: number, held: net.Socket[]): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, withinMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      held.push(socket);
      resolve(true);
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

describe("a connect that never completes", () => {
  let listener: ChildProcess;
  let port: number;
  const filling: net.Socket[] = [];

  beforeAll(async () => {
    // A process that listens with a backlog of 1 and then never runs its event
    // loop again, so it never accepts: once its accept queue is full the
    // kernel drops further SYNs and a connect waits (on loopback, as the
    // tests must; it stands in for an address where nothing answers).
    const script = `
      const server = require("net").createServer();
      server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
        process.stdout.write(server.address().port + "\\n");
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      });`;
    listener = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    port = await new Promise<number>((resolve, reject) => {
      listener.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
      listener.once("exit", (code) => reject(new Error(`the listener exited with ${code}`)));
    });
    // Fill the accept queue: connect until a connect no longer completes.
    let filled = false;
    for (let i = 0; i < 16 && !filled; i++) filled = !(await connects(port, 300, filling));
    if (!filled) throw new Error("the accept queue never filled: connects still complete");
  });

  afterAll(() => {
    for (const socket of filling) socket.destroy();
    listener.kill("SIGKILL");
  });

  test("fails with ECONNTIMEOUT after the connect deadline, counts as never sent, and a create is retried", async () => {
    const seen: Seen = { lines: [], retries: [] };
    const started = Date.now();
    const err = await failureOf(
      client(port, seen, { connectTimeoutMs: 150, timeoutMs: 10_000, retry: { maxAttempts: 3 } }).createIntegration(BODY, { hubId: HUB }),
    );
    const elapsed = Date.now() - started;

    expect(err.kind).toBe("network");
    expect(err.networkCode).toBe("ECONNTIMEOUT");
    expect(err.outcome).toBe("refused");
    expect(err.attempts).toBe(3);
    // Every attempt was made, each one ending at the connect deadline.
    expect(seen.retries.map((r) => [r.attempt, r.reason])).toEqual([
      [2, "ECONNTIMEOUT"],
      [3, "ECONNTIMEOUT"],
    ]);
    const failedAttempts = seen.lines.filter((l) => /^POST \/v1\/hubs\/current\/integrations -> no answer in \d+ ms \(attempt \d\): ECONNTIMEOUT$/.test(l));
    expect(failedAttempts).toHaveLength(3);
    // Three connect deadlines, nowhere near the request timeout.
    expect(elapsed).toBeGreaterThanOrEqual(3 * 150 - 20);
    expect(elapsed).toBeLessThan(10_000);
    // Neither the key nor the credentials appear in what was said.
    for (const text of [err.message, ...seen.lines]) {
      expect(text).not.toContain("test-key-never-sent-anywhere");
      expect(text).not.toContain(AWS_GOOD.secret);
    }
  });
});

describe("a server that accepts and never answers", () => {
  let server: net.Server;
  let port: number;
  const connections: net.Socket[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections.push(socket);
      socket.once("data", (d: Buffer) => requests.push(d.toString().split("\r\n")[0] ?? ""));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  beforeEach(() => {
    for (const socket of connections) socket.destroy();
    connections.length = 0;
    requests.length = 0;
  });
  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test("a GET times out, is tried once more on a new connection, and fails as a timeout", async () => {
    const seen: Seen = { lines: [], retries: [] };
    // The connect deadline is shorter than the request timeout: once connected it must not apply.
    const err = await failureOf(client(port, seen, { connectTimeoutMs: 100, timeoutMs: 300 }).getIntegration(INTEGRATION));

    expect(err.kind).toBe("timeout");
    expect(err.outcome).toBe("unknown");
    expect(err.attempts).toBe(2);
    expect(connections).toHaveLength(2);
    expect(requests).toEqual([`GET /v1/hubs/current/integrations/${INTEGRATION} HTTP/1.1`, `GET /v1/hubs/current/integrations/${INTEGRATION} HTTP/1.1`]);
    expect(seen.retries).toHaveLength(1);
  });

  test("a create that reached the server and timed out is not sent again", async () => {
    const seen: Seen = { lines: [], retries: [] };
    const err = await failureOf(client(port, seen, { connectTimeoutMs: 100, timeoutMs: 300 }).createIntegration(BODY, { hubId: HUB }));

    expect(err.kind).toBe("timeout");
    expect(err.outcome).toBe("unknown");
    expect(err.attempts).toBe(1);
    expect(connections).toHaveLength(1);
    expect(requests).toEqual(["POST /v1/hubs/current/integrations HTTP/1.1"]);
    expect(seen.retries).toEqual([]);
  });
});
