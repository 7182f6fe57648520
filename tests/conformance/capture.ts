/**
 * A recording proxy: a real HTTP server on port 0 that keeps every request
 * exactly as a client sent it (method, path, query, headers, body) and
 * forwards it to the emulator, so the client under test gets real answers.
 */
import { createServer, IncomingHttpHeaders, request, Server } from "node:http";
import { AddressInfo } from "node:net";

export interface CapturedRequest {
  method: string;
  /** Path without the query string. */
  pathname: string;
  query: URLSearchParams;
  /** As node reports them: lower-case names. */
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Capture {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startCapture(upstream: string): Promise<Capture> {
  const requests: CapturedRequest[] = [];
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://capture.invalid");
      requests.push({ method: req.method ?? "", pathname: url.pathname, query: url.searchParams, headers: req.headers, body: body.toString("utf8") });
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      // The emulator dropping a connection is passed on as a dropped connection.
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
