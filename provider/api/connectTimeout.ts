/**
 * HTTP agents that give up on a connection that is not established within a
 * deadline. axios's `timeout` covers the whole request (axios has none by
 * default; the client sets 15 s): against an address where nothing answers,
 * each attempt would wait all of it, and a timed-out request is not known to
 * be unsent, so a create could not be retried. A connect that never completed
 * never sent the request, so the failure is safe to retry even for a create
 * (`ECONNTIMEOUT` counts as refused; see errors.ts).
 */
import * as http from "http";
import * as https from "https";
import type { Socket } from "net";

export const CONNECT_TIMEOUT_CODE = "ECONNTIMEOUT";

type CreateConnection = (options: unknown, callback?: unknown) => Socket;

export function limitConnect<A extends http.Agent>(agent: A, timeoutMs: number): A {
  const withCreate = agent as unknown as { createConnection: CreateConnection };
  const create = withCreate.createConnection.bind(agent);
  withCreate.createConnection = (options, callback) => {
    const socket = create(options, callback);
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: CONNECT_TIMEOUT_CODE });
      socket.destroy(err);
    }, timeoutMs);
    timer.unref?.();
    const done = () => clearTimeout(timer);
    socket.once("connect", done);
    socket.once("close", done);
    return socket;
  };
  return agent;
}

export function connectTimeoutAgents(timeoutMs: number): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  return {
    httpAgent: limitConnect(new http.Agent({ keepAlive: true }), timeoutMs),
    httpsAgent: limitConnect(new https.Agent({ keepAlive: true }), timeoutMs),
  };
}
