/**
 * The pure parts of the live check (tests/live): when it runs, which vendor
 * it picks and with what placeholders, the clock bounds, reading the CLI's
 * output, and the report. The run itself is tested against the emulator in
 * tests/e2e/live.test.ts.
 */
import { CATALOGUE } from "../../emulator";
import type { AvailableIntegrations, Integration, IntegrationDefinition } from "../../provider/api/types";
import { boundsOf, intersect } from "../live/clock";
import { liveGate, LiveSettingsError } from "../live/gate";
import { diagnosticsOf, jobsNamed, loggedRequests, summarizeRequests } from "../live/jobs";
import { observeAuthEcho } from "../live/probes";
import { answer, emptyReport, renderReport } from "../live/report";
import { chooseVendor, PLACEHOLDER_EMAIL, placeholderFor } from "../live/vendor";

const HUB = "0123456789abcdef01234567";
const KEY = "a-real-looking-key-0123456789";

describe("liveGate", () => {
  test("without CYCLE_LIVE=1 it does not run, and says why", () => {
    const g = liveGate({ CYCLE_API_KEY: KEY, CYCLE_HUB_ID: HUB });
    expect(g).toEqual({ run: false, reason: expect.stringMatching(/^CYCLE_LIVE is not 1/) });
    expect(liveGate({ CYCLE_LIVE: "true", CYCLE_API_KEY: KEY, CYCLE_HUB_ID: HUB }).run).toBe(false);
  });

  test("CYCLE_LIVE=1 without the key or the hub: skipped, naming what is missing", () => {
    expect(liveGate({ CYCLE_LIVE: "1" })).toEqual({ run: false, reason: "CYCLE_LIVE=1 but CYCLE_API_KEY and CYCLE_HUB_ID are not set" });
    expect(liveGate({ CYCLE_LIVE: "1", CYCLE_API_KEY: KEY, CYCLE_HUB_ID: " " })).toEqual({ run: false, reason: "CYCLE_LIVE=1 but CYCLE_HUB_ID is not set" });
    const g = liveGate({ CYCLE_LIVE: "1", CYCLE_HUB_ID: HUB });
    expect(g).toEqual({ run: false, reason: "CYCLE_LIVE=1 but CYCLE_API_KEY is not set" });
  });

  test("runs with the key and the hub; the public API by default", () => {
    expect(liveGate({ CYCLE_LIVE: "1", CYCLE_API_KEY: KEY, CYCLE_HUB_ID: HUB })).toEqual({
      run: true,
      settings: { apiKey: KEY, hubId: HUB, apiUrl: "https://api.cycle.io", vendor: undefined, extra: undefined },
    });
  });

  test("settings that cannot be right stop it, naming the variable and never quoting the key", () => {
    const env = { CYCLE_LIVE: "1", CYCLE_API_KEY: KEY, CYCLE_HUB_ID: HUB };
    const errorOf = (extra: Record<string, string>) => {
      try {
        liveGate({ ...env, ...extra });
      } catch (e) {
        return e;
      }
      return undefined;
    };
    for (const [extra, variable] of [
      [{ CYCLE_HUB_ID: "not-a-hub" }, "CYCLE_HUB_ID"],
      [{ CYCLE_API_URL: "http://api.example.com" }, "CYCLE_API_URL"],
      [{ CYCLE_LIVE_EXTRA: "{email" }, "CYCLE_LIVE_EXTRA"],
      [{ CYCLE_LIVE_EXTRA: '{"email": 1}' }, "CYCLE_LIVE_EXTRA"],
      [{ CYCLE_LIVE_EXTRA: '["x"]' }, "CYCLE_LIVE_EXTRA"],
    ] as const) {
      const e = errorOf(extra);
      expect(e).toBeInstanceOf(LiveSettingsError);
      expect((e as Error).message).toContain(variable);
      expect((e as Error).message).not.toContain(KEY);
    }
  });

  test("CYCLE_LIVE_VENDOR and CYCLE_LIVE_EXTRA", () => {
    const g = liveGate({
      CYCLE_LIVE: "1",
      CYCLE_API_KEY: KEY,
      CYCLE_HUB_ID: HUB,
      CYCLE_LIVE_VENDOR: "lets-encrypt",
      CYCLE_LIVE_EXTRA: '{"email":"me@example.org"}',
    });
    expect(g.run && g.settings).toMatchObject({ vendor: "lets-encrypt", extra: { email: "me@example.org" } });
  });
});

function catalogue(defs: readonly { category: string; definition: IntegrationDefinition }[] = CATALOGUE): AvailableIntegrations {
  const out: Record<string, IntegrationDefinition[]> = {};
  for (const e of defs) (out[e.category] ??= []).push(e.definition);
  return out;
}

function existing(vendor: string, state: Integration["state"]["current"]): Integration {
  return { id: "aaaaaaaaaaaaaaaaaaaaaaaa", vendor, name: "someone's", state: { current: state } } as Integration;
}

describe("chooseVendor", () => {
  test("the emulator's catalogue: Let's Encrypt, its email filled with a placeholder; every other vendor with why not", () => {
    const pick = chooseVendor(catalogue(), []);
    expect(pick.chosen).toMatchObject({ vendor: "lets-encrypt", category: "tls-certificate-generation", extra: { email: PLACEHOLDER_EMAIL } });
    const why = Object.fromEntries(pick.rejected.map((r) => [r.vendor, r.reason]));
    expect(why.aws).toBe("needs credentials (auth key_id, secret)");
    expect(why["docker-build-cloud"]).toBe("not usable now");
    expect(why["equinix-metal"]).toBe("deprecated");
    expect(Object.keys(why).sort()).toEqual(
      CATALOGUE.map((e) => e.definition.vendor)
        .filter((v) => v !== "lets-encrypt")
        .sort(),
    );
  });

  test("a vendor allowing one per hub that already has one does not qualify; a deleted one does not count", () => {
    const taken = chooseVendor(catalogue(), [existing("lets-encrypt", "live")]);
    expect(taken.chosen).toBeUndefined();
    expect(taken.rejected.find((r) => r.vendor === "lets-encrypt")?.reason).toBe("one per hub, and the hub has one already (aaaaaaaaaaaaaaaaaaaaaaaa)");
    expect(chooseVendor(catalogue(), [existing("lets-encrypt", "deleted")]).chosen?.vendor).toBe("lets-encrypt");
  });

  test("a forced vendor must still qualify; one the catalogue lacks is named", () => {
    expect(chooseVendor(catalogue(), [], { vendor: "aws" })).toEqual({
      chosen: undefined,
      rejected: [{ vendor: "aws", reason: "needs credentials (auth key_id, secret)" }],
    });
    expect(chooseVendor(catalogue(), [], { vendor: "nope" })).toEqual({
      chosen: undefined,
      rejected: [{ vendor: "nope", reason: "not in the hub's catalogue" }],
    });
  });

  test("given extra values win over placeholders", () => {
    expect(chooseVendor(catalogue(), [], { extra: { email: "me@example.org" } }).chosen?.extra).toEqual({ email: "me@example.org" });
  });

  test("a required field no placeholder passes: not chosen, with a hint", () => {
    const le = CATALOGUE.find((e) => e.definition.vendor === "lets-encrypt")!;
    const strict = {
      category: le.category,
      definition: { ...le.definition, fields: { auth: null, extra: { token: { name: "Token", required: true, regex: "^tok_[0-9]{8}$" } } } },
    };
    const pick = chooseVendor(catalogue([strict]), []);
    expect(pick.chosen).toBeUndefined();
    expect(pick.rejected[0].reason).toMatch(/token; give one in CYCLE_LIVE_EXTRA/);
    expect(chooseVendor(catalogue([strict]), [], { extra: { token: "tok_12345678" } }).chosen?.extra).toEqual({ token: "tok_12345678" });
  });

  test("placeholders pass the field's type, options and regex, or there is none", () => {
    expect(placeholderFor("region", { name: "Region", required: true, type: "select", options: ["eu-1", "us-1"] })).toBe("eu-1");
    expect(placeholderFor("days", { name: "Days", required: true, type: "int", regex: "^[0-9]{2}$" })).toBe("30");
    expect(placeholderFor("config", { name: "Config", required: true, type: "blob" })).toBeUndefined();
    expect(placeholderFor("x", { name: "X", required: true, regex: "(" })).toBeUndefined();
    expect(placeholderFor("contact", { name: "Contact Email", required: true, regex: "@" })).toBe(PLACEHOLDER_EMAIL);
    expect(placeholderFor("bucket", { name: "Bucket", required: true })).toBe("pulumi-cycle-live");
  });
});

describe("clock bounds", () => {
  test("each answer bounds the offset from both sides; bounds are intersected", () => {
    const date = new Date(10_000).toUTCString();
    expect(boundsOf(1_000, 1_200, date)).toEqual({ low: 8_800, high: 10_000 });
    expect(boundsOf(1_000, 1_200, "not a date")).toBeUndefined();
    expect(
      intersect([
        { low: 8_800, high: 10_000 },
        { low: 9_000, high: 10_500 },
      ]),
    ).toEqual({ low: 9_000, high: 10_000, estimate: 9_500 });
    expect(intersect([])).toBeUndefined();
  });

  test("bounds that no longer overlap (the clock jumped) start again from the last answer", () => {
    expect(
      intersect([
        { low: 0, high: 1_000 },
        { low: 5_000, high: 6_000 },
      ]),
    ).toEqual({ low: 5_000, high: 6_000, estimate: 5_500 });
  });
});

const CLI_OUTPUT = `Destroying (live):
 -  pulumi:pulumi:Stack p-live deleting (0s) cycle: DELETE /v1/hubs/current/integrations/bbbbbbbbbbbbbbbbbbbbbbbb -> 202 in 20 ms (attempt 1)
 -  pulumi:pulumi:Stack p-live deleting (0s) cycle: deleting integration bbbbbbbbbbbbbbbbbbbbbbbb (job cccccccccccccccccccccccc)
 -  pulumi:pulumi:Stack p-live deleting (0s) cycle: GET /v1/jobs/cccccccccccccccccccccccc -> 404 in 5 ms (attempt 1)
Diagnostics:
  pulumi:pulumi:Stack (p-live):
    cycle: DELETE /v1/hubs/current/integrations/bbbbbbbbbbbbbbbbbbbbbbbb -> 202 in 20 ms (attempt 1)
    cycle: deleting integration bbbbbbbbbbbbbbbbbbbbbbbb (job cccccccccccccccccccccccc)
    cycle: GET /v1/jobs/cccccccccccccccccccccccc -> 404 in 5 ms (attempt 1)
    cycle: GET /v1/jobs/cccccccccccccccccccccccc -> no answer in 5000 ms (attempt 1): ECONNRESET
    cycle: GET /v1/jobs/cccccccccccccccccccccccc -> 200 in 7 ms (attempt 2)
    cycle: web: verifying integration dddddddddddddddddddddddd (job eeeeeeeeeeeeeeeeeeeeeeee)

Resources:
    - 2 deleted
`;

describe("reading the CLI's output", () => {
  test("the provider's lines are read once, from the diagnostics summary", () => {
    expect(diagnosticsOf(CLI_OUTPUT)).toMatch(/^Diagnostics:/);
    expect(diagnosticsOf(CLI_OUTPUT)).not.toContain("Resources:");
    expect(diagnosticsOf("no summary")).toBe("no summary");
    const log = loggedRequests(CLI_OUTPUT);
    expect(log).toEqual([
      { method: "DELETE", path: "/v1/hubs/current/integrations/bbbbbbbbbbbbbbbbbbbbbbbb", status: 202, ms: 20 },
      { method: "GET", path: "/v1/jobs/cccccccccccccccccccccccc", status: 404, ms: 5 },
      { method: "GET", path: "/v1/jobs/cccccccccccccccccccccccc", status: undefined, ms: 5000 },
      { method: "GET", path: "/v1/jobs/cccccccccccccccccccccccc", status: 200, ms: 7 },
    ]);
    expect(summarizeRequests(log)).toEqual({ count: 4, byStatus: { "202": 1, "404": 1, "no answer": 1, "200": 1 }, medianMs: 20, maxMs: 5000 });
  });

  test("the jobs named, each once, by kind", () => {
    expect(jobsNamed(CLI_OUTPUT)).toEqual([
      { kind: "delete", integrationId: "bbbbbbbbbbbbbbbbbbbbbbbb", jobId: "cccccccccccccccccccccccc" },
      { kind: "verify", integrationId: "dddddddddddddddddddddddd", jobId: "eeeeeeeeeeeeeeeeeeeeeeee" },
    ]);
  });
});

describe("the report", () => {
  test("auth echo: values seen, nulls seen, or nothing to see; values are never kept", () => {
    const ours = { auth: null } as Integration;
    const withAuth = (v: string | null) => ({ auth: { key_id: v, secret: null } }) as unknown as Integration;
    expect(observeAuthEcho(ours, [withAuth("AKIA-SECRET-VALUE")])).toEqual({
      ours: "null",
      hubWithValues: 1,
      hubRead: 1,
      conclusion: expect.stringMatching(/^auth values are echoed/),
    });
    expect(JSON.stringify(observeAuthEcho(ours, [withAuth("AKIA-SECRET-VALUE")]))).not.toContain("AKIA-SECRET-VALUE");
    expect(observeAuthEcho(ours, [withAuth(null)]).conclusion).toMatch(/^no auth value came back: 1 integration/);
    expect(observeAuthEcho(ours, [ours]).conclusion).toMatch(/^not observable/);
  });

  test("answers every open question, saying what was not observed", () => {
    const r = emptyReport("https://api.cycle.io", HUB, "pulumi-cycle-live-x");
    r.vendor = { chosen: "lets-encrypt", category: "tls-certificate-generation", supportsVerification: false, rejected: [] };
    r.cleanup.leftBehind = ["bbbbbbbbbbbbbbbbbbbbbbbb (could not be read)"];
    answer(r);
    const by = Object.fromEntries(r.answers.map((a) => [a.assumption, a.observed]));
    expect(by["a page may hold fewer items than page[size] asks"]).toBe("not probed");
    expect(by["verify jobs take time"]).toBe("not applicable: lets-encrypt has no verification");
    expect(by["delete goes through a job"]).toBe("no job seen");
    expect(r.answers).toHaveLength(10);
    const text = renderReport(r);
    expect(text).toContain("LEFT IN THE HUB: bbbbbbbbbbbbbbbbbbbbbbbb");
    expect(text).toContain("Live check against https://api.cycle.io");
  });
});
