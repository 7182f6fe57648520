import * as http from "http";
import { Socket } from "net";
import { CONNECT_TIMEOUT_CODE, limitConnect } from "../../provider/api/connectTimeout";
import { decideRetry, DEFAULT_RETRY_POLICY } from "../../provider/api/retry";

describe("connect deadline", () => {
  test("a socket that never connects is destroyed with ECONNTIMEOUT", async () => {
    const agent = new http.Agent();
    // Stands in for an address where nothing answers (tests stay on loopback).
    (agent as unknown as { createConnection: () => Socket }).createConnection = () => new Socket();
    const limited = limitConnect(agent, 30);
    const socket = (limited as unknown as { createConnection: (o: unknown) => Socket }).createConnection({});
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once("error", resolve));
    expect(err.code).toBe(CONNECT_TIMEOUT_CODE);
  });

  // Only the policy's half: that a connect which never completes is classified
  // as refused is shown through the client in tests/client/connectTimeout.test.ts.
  test("an attempt classified as refused is retried even for a create", () => {
    const d = decideRetry({ method: "POST", attempt: 1, networkError: true, connectionRefused: true, repeatable: false });
    expect(d.retry).toBe(true);
  });

  test("a request that timed out is tried once more, not five times", () => {
    expect(decideRetry({ method: "GET", attempt: 1, networkError: true, timedOut: true }, DEFAULT_RETRY_POLICY, () => 0.5).retry).toBe(true);
    expect(decideRetry({ method: "GET", attempt: 2, networkError: true, timedOut: true }, DEFAULT_RETRY_POLICY, () => 0.5)).toEqual({
      retry: false,
      reason: "timed out again",
    });
  });
});
