/**
 * A programmable HTTP proxy in front of the emulator, on loopback port 0,
 * for what the emulator itself does not do: answers rewritten after the
 * server acted (a 201 without `state`), requests rewritten before it acts
 * (a page size the server "caps"), and the bodies clients sent.
 */
import * as http from "http";
import type { AddressInfo } from "net";

interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

/** Rewrites one exchange; return undefined to leave it alone. */
interface Hooks {
  /** A new path (with query) to send upstream instead. */
  rewritePath?: (method: string, path: string) => string | undefined;
  /** A new response body (the status is kept). */
  rewriteBody?: (req: ProxiedRequest, status: number, body: string) => string | undefined;
}

export interface Proxy {
  url: string;
  /** Every request that reached the proxy, with its body. */
  requests: ProxiedRequest[];
  hooks: Hooks;
  close(): Promise<void>;
}

export async function startProxy(upstream: string): Promise<Proxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const hooks: Hooks = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const seen: ProxiedRequest = { method: req.method ?? "GET", path: req.url ?? "/", body };
      requests.push(seen);
      const path = hooks.rewritePath?.(seen.method, seen.path) ?? seen.path;
      const headers = { ...req.headers, host: target.host };
      const up = http.request({ host: target.hostname, port: target.port, method: seen.method, path, headers }, (upRes) => {
        const parts: Buffer[] = [];
        upRes.on("data", (c: Buffer) => parts.push(c));
        upRes.on("end", () => {
          const original = Buffer.concat(parts).toString("utf8");
          const status = upRes.statusCode ?? 502;
          const replaced = hooks.rewriteBody?.(seen, status, original);
          const out = replaced ?? original;
          const outHeaders = { ...upRes.headers, "content-length": String(Buffer.byteLength(out)) };
          res.writeHead(status, outHeaders);
          res.end(out);
        });
      });
      up.on("error", () => res.destroy());
      up.end(body.length ? body : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
