import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter } from "../../provider/api/retry";

const policy = DEFAULT_RETRY_POLICY;
const half = () => 0.5;

describe("decideRetry", () => {
  test.each([
    // method, status, network, repeatable (undefined: the method decides), expected retry
    ["GET", 429, false, undefined, true],
    ["GET", 500, false, undefined, true],
    ["GET", 502, false, undefined, true],
    ["GET", 503, false, undefined, true],
    ["GET", 504, false, undefined, true],
    ["GET", 404, false, undefined, false],
    ["GET", 422, false, undefined, false],
    ["GET", undefined, true, undefined, true],
    ["PATCH", 503, false, undefined, true],
    ["DELETE", undefined, true, undefined, true],
    ["DELETE", 500, false, undefined, true],
    ["POST", 429, false, undefined, true],
    ["POST", 503, false, undefined, false],
    ["POST", undefined, true, undefined, false],
    ["POST", 503, false, true, true],
    ["POST", undefined, true, true, true],
    // A request may declare itself unsafe even when its method is not: only refusals are retried.
    ["GET", 503, false, false, false],
    ["POST", 429, false, false, true],
  ] as Array<[string, number | undefined, boolean, boolean | undefined, boolean]>)(
    "%s status=%s network=%s repeatable=%s -> retry %s",
    (method, status, networkError, repeatable, expected) => {
      const d = decideRetry({ method, attempt: 1, status, networkError, repeatable }, policy, half);
      expect(d.retry).toBe(expected);
    },
  );

  test("a refused connection never reached the server: retried even for a create", () => {
    const d = decideRetry({ method: "POST", attempt: 1, networkError: true, connectionRefused: true, repeatable: false }, policy, half);
    expect(d.retry).toBe(true);
  });

  test("stops when attempts are exhausted", () => {
    const d = decideRetry({ method: "GET", attempt: policy.maxAttempts, status: 503 }, policy, half);
    expect(d).toEqual({ retry: false, reason: "attempts exhausted" });
  });

  test("honours Retry-After exactly", () => {
    const d = decideRetry({ method: "GET", attempt: 1, status: 429, retryAfterMs: 1234 }, policy, half);
    expect(d).toEqual({ retry: true, delayMs: 1234 });
  });

  test("refuses to wait for a Retry-After beyond the cap", () => {
    const d = decideRetry({ method: "GET", attempt: 1, status: 429, retryAfterMs: policy.maxRetryAfterMs + 1 }, policy, half);
    expect(d.retry).toBe(false);
  });
});

describe("backoffDelay", () => {
  test("doubles per attempt within [d/2, d] and caps", () => {
    const p = { ...policy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, () => 0)).toBe(50);
    expect(backoffDelay(1, p, () => 0.999999)).toBe(100);
    expect(backoffDelay(2, p, () => 0)).toBe(100);
    expect(backoffDelay(3, p, () => 0)).toBe(200);
    expect(backoffDelay(10, p, () => 0.999999)).toBe(1000);
    expect(backoffDelay(10, p, () => 0)).toBe(500);
  });
});

describe("parseRetryAfter", () => {
  test("seconds", () => expect(parseRetryAfter("2")).toBe(2000));
  test("fractional seconds", () => expect(parseRetryAfter("0.5")).toBe(500));
  test("HTTP date", () => {
    const now = Date.parse("2026-11-28T00:00:00Z");
    expect(parseRetryAfter("Sat, 28 Nov 2026 00:00:03 GMT", now)).toBe(3000);
  });
  test("past date is zero", () => {
    expect(parseRetryAfter("Sat, 28 Nov 2020 00:00:03 GMT", Date.parse("2026-11-28T00:00:00Z"))).toBe(0);
  });
  test("absent or garbage", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
