/**
 * The HTTP layer on `node:http`: reads the request, lets the fault injector
 * have the first word, hands the rest to the API (or to the `/_emulator/`
 * control plane), delays by any injected latency, writes the root document and
 * logs the exchange. It owns every socket and timer it makes, so `close()`
 * leaves nothing behind for jest to wait on.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { ApiError } from "./errors";
import { DateHeaderRule, FaultState, RequestFault } from "./faults";
import { RequestLog } from "./log";
import { Api, ApiReply, ApiRequest } from "./routes";
import { Clock, httpDate } from "./time";

/** Bodies above this are refused; integration bodies are a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

export const CONTROL_PREFIX = "/_emulator/";

/** A reply, or a non-JSON one such as a proxy's HTML error page. */
type WireReply = ApiReply | { status: number; html: string; headers?: Record<string, string> };

const errorReply = (e: ApiError, headers?: Record<string, string>): ApiReply => ({
  status: e.status,
  body: { error: e.toObject(), data: null },
  headers,
});

/** The reply a request-level fault stands for (a dropped connection has none). */
function faultReply(fault: Exclude<RequestFault, { kind: "drop" } | { kind: "lose-response" } | { kind: "gateway" }>): WireReply {
  if (fault.kind === "rate-limit") {
    return errorReply(new ApiError("429.rate-limiting", "too many requests; retry after the delay in Retry-After"), {
      "Retry-After": String(fault.retryAfterSeconds),
    });
  }
  return serverErrorReply(fault.status);
}

function serverErrorReply(status: 500 | 502 | 503 | 504): WireReply {
  switch (status) {
    case 500:
      return errorReply(new ApiError("500.unknown", "an unknown error occurred (injected fault)"));
    case 503:
      return errorReply(new ApiError("503.not-ready", "the service is not ready (injected fault)"), { "Retry-After": "1" });
    case 504:
      return errorReply(new ApiError("504.not-available", "the upstream service is not available (injected fault)"));
    case 502:
      // What a load balancer in front of the API answers: HTML, not a root document.
      return { status: 502, html: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n" };
  }
}

function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining so the client can read our answer, but stop storing.
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), tooLarge }));
    req.on("error", reject);
  });
}

/**
 * The `Date` header of an answer. By default it is set from the server's
 * clock rather than left to node (which would use the machine's), so a
 * client that estimates the server's clock from it sees the same clock the
 * timestamps are written in; a fault or option can skew it, drop it or
 * garble it.
 */
function dateHeader(rule: DateHeaderRule, now: number): Record<string, string> {
  if (rule.mode === "missing") return {};
  if (rule.mode === "garbage") return { Date: "sometime around lunch" };
  return { Date: httpDate(now + rule.skewMs) };
}

/** The head and body of a reply, as written on the wire. */
function render(reply: WireReply): { status: number; headers: Record<string, string | number>; body: Buffer } {
  if ("html" in reply) {
    const body = Buffer.from(reply.html, "utf8");
    return { status: reply.status, headers: { "Content-Type": "text/html", "Content-Length": body.length, ...reply.headers }, body };
  }
  const body = Buffer.from(JSON.stringify(reply.body), "utf8");
  return { status: reply.status, headers: { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length, ...reply.headers }, body };
}

export interface ServerDeps {
  api: Api;
  /** The server's clock: requests are served, and `Date` is written, at its instants. */
  clock: Clock;
  faults: FaultState;
  log: RequestLog;
  /** The `/_emulator/` control plane; absent when disabled. */
  control?: (req: ApiRequest) => ApiReply;
}

export class EmulatorServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((req, res) => {
      this.serve(req, res).catch(() => res.destroy());
    });
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address() as AddressInfo;
        const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
        resolve(`http://${shownHost}:${addr.port}`);
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  /** Writes a reply: at once, or its body `bytesPerSecond` bytes a second after the head. */
  private send(res: ServerResponse, reply: WireReply, date: DateHeaderRule, bytesPerSecond: number): void {
    const { status, headers, body } = render(reply);
    // Node would add a Date of the machine's clock; ours is written (or withheld) here.
    res.sendDate = false;
    res.writeHead(status, { ...dateHeader(date, this.deps.clock.now()), ...headers });
    if (bytesPerSecond <= 0) {
      res.end(body);
      return;
    }
    res.flushHeaders();
    let offset = 0;
    const next = (): void => {
      if (this.closed || res.destroyed) return;
      const chunk = body.subarray(offset, offset + bytesPerSecond);
      offset += chunk.length;
      if (offset >= body.length) {
        res.end(chunk);
        return;
      }
      res.write(chunk);
      const t = setTimeout(() => {
        this.timers.delete(t);
        next();
      }, 1000);
      this.timers.add(t);
    };
    next();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    // The log is for tests on this machine, so it keeps the machine's clock.
    const at = new Date().toISOString();
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const url = new URL(rawUrl, "http://emulator.invalid");
    const body = await readBody(req);
    const apiReq: ApiRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, rawBody: body.text };

    if (this.deps.control && url.pathname.startsWith(CONTROL_PREFIX)) {
      this.send(res, this.deps.control(apiReq), { mode: "server", skewMs: 0 }, 0);
      return;
    }

    const fault = this.deps.faults.takeRequestFault(method, url.pathname);
    const latency = this.deps.faults.latencyFor(method, url.pathname);
    let reply: WireReply | null = null;
    if (fault?.kind === "gateway") {
      // A load balancer that gave up waiting for a backend it never reached.
      await this.delay(fault.delayMs);
      reply = serverErrorReply(502);
    } else if (fault === null || fault.kind === "lose-response") {
      reply = body.tooLarge
        ? errorReply(new ApiError("422.invalid-input", `the request body exceeds ${MAX_BODY_BYTES} bytes`))
        : this.deps.api.handle(apiReq, this.deps.clock.now());
      // Carried out, but the client is never told.
      if (fault?.kind === "lose-response") reply = null;
    } else if (fault.kind !== "drop") {
      reply = faultReply(fault);
    }
    if (latency > 0) await this.delay(latency);
    if (this.closed) return;

    if (reply === null) req.socket.destroy();
    else this.send(res, reply, this.deps.faults.dateFor(method, url.pathname), this.deps.faults.trickleFor(method, url.pathname));

    const hub = req.headers["x-hub-id"];
    this.deps.log.add({
      method,
      path: rawUrl,
      status: reply === null ? 0 : reply.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(hub !== undefined ? { hubId: Array.isArray(hub) ? hub.join(", ") : hub } : {}),
      at,
    });
  }
}
