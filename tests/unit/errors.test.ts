import { CycleApiError, errorFromDocument } from "../../provider/api/errors";
import { Redactor, REDACTED } from "../../provider/api/redact";
import { assertCycleId } from "../../provider/api/ids";
import { normalizeBaseUrl } from "../../provider/api/baseUrl";

describe("CycleApiError", () => {
  test("403.permissions names the missing capability", () => {
    const err = errorFromDocument(
      { method: "POST", path: "/v1/hubs/current/integrations" },
      403,
      { status: 403, code: "403.permissions", title: "Missing permission", extra: { capability: "hubs-integrations-manage" } },
      undefined,
      new Redactor([]),
    );
    expect(err.capability).toBe("hubs-integrations-manage");
    expect(err.message).toContain("hubs-integrations-manage");
    expect(err.message).toContain("POST /v1/hubs/current/integrations");
    expect(err.message).toContain("403.permissions");
  });

  test("redacts secrets from every text field and the message", () => {
    const secret = "AKIAABCDEFGHIJKLMNOP";
    const err = errorFromDocument(
      { method: "POST", path: `/v1/x?token=${secret}` },
      422,
      { status: 422, code: "422.invalid-argument", title: `bad ${secret}`, detail: `value ${secret} fails`, source: "/auth/key_id" },
      undefined,
      new Redactor([secret]),
    );
    for (const text of [err.message, err.title, err.detail, err.path, JSON.stringify(err), String(err.stack)]) {
      expect(text).not.toContain(secret);
    }
    expect(err.detail).toContain(REDACTED);
    expect(err.source).toBe("/auth/key_id");
  });

  test("bearer tokens are redacted even when unknown", () => {
    const err = new CycleApiError({ kind: "network", method: "GET", path: "/v1/jobs/x", detail: "header Authorization: Bearer sk_live_123456" });
    expect(err.message).not.toContain("sk_live_123456");
  });

  test("ambiguity: network, timeout and 5xx are ambiguous; 4xx is not", () => {
    expect(new CycleApiError({ kind: "network", method: "POST", path: "/" }).isAmbiguous).toBe(true);
    expect(new CycleApiError({ kind: "timeout", method: "POST", path: "/" }).isAmbiguous).toBe(true);
    expect(new CycleApiError({ kind: "api", method: "POST", path: "/", status: 503 }).isAmbiguous).toBe(true);
    expect(new CycleApiError({ kind: "api", method: "POST", path: "/", status: 422 }).isAmbiguous).toBe(false);
  });
});

describe("Redactor", () => {
  test("replaces longest secrets first and ignores very short values", () => {
    const r = new Redactor(["abcd", "abcdefgh", "ab", null, undefined]);
    expect(r.redact("x abcdefgh y abcd z ab")).toBe(`x ${REDACTED} y ${REDACTED} z ab`);
  });
});

describe("assertCycleId", () => {
  test.each(["651586fca6078e98982dbd90"])("accepts %s", (id) => expect(assertCycleId("id", id)).toBe(id));
  test.each(["", "651586FCA6078E98982DBD90", "651586fca6078e98982dbd9", "../jobs/651586fca6078e98982dbd90", "651586fca6078e98982dbd90?x=1", 42])(
    "refuses %p",
    (id) => expect(() => assertCycleId("integration ID", id)).toThrow(/integration ID must be a Cycle ID/),
  );
});

describe("normalizeBaseUrl", () => {
  test("https is accepted and trailing slashes dropped", () => expect(normalizeBaseUrl("https://api.cycle.io/")).toBe("https://api.cycle.io"));
  test.each(["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"])("loopback http %s is accepted", (u) => {
    expect(() => normalizeBaseUrl(u)).not.toThrow();
  });
  test.each(["http://api.cycle.io", "http://10.0.0.1"])("plain http %s is refused", (u) => {
    expect(() => normalizeBaseUrl(u)).toThrow(/plain http/);
  });
  test.each(["ftp://x", "not a url", "https://user:pw@api.cycle.io"])("%s is refused", (u) => {
    expect(() => normalizeBaseUrl(u)).toThrow();
  });
});
