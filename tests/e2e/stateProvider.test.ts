/**
 * The serialized provider without the CLI: its size, that it captures
 * nothing, and that loading it as the dynamic-provider server does
 * (require-from-string, `handler()`, then `configure`) gives every method.
 */
import { loadProvider, serializeProvider } from "../helpers/serializedProvider";

test("the serialized provider is at most 1.5 KB and holds one function that captures nothing", async () => {
  const text = await serializeProvider();
  expect(text.length).toBeLessThanOrEqual(1536);
  expect(text.match(/^function __f\d+/gm)).toHaveLength(2); // the handler and `configure`
  // The one entry that never moves: state written now keeps loading, whatever moves inside the package.
  expect(text).toContain('require("pulumi-cycle/dynamic")');
  expect(text).not.toMatch(/apiKey|axios|CycleClient/);
});

test("configure puts every method on the loaded provider", async () => {
  const provider = await loadProvider(await serializeProvider(), {
    "cycle:apiKey": "emu_key",
    "cycle:hubId": "651586fca6078e98982dbd90",
    "cycle:apiUrl": "http://127.0.0.1:9",
  });
  for (const m of ["check", "diff", "create", "read", "update", "delete"] as const) expect(typeof provider[m]).toBe("function");
  // diff makes no API call: it answers from state (a whole record, as the provider writes it) and config alone.
  const recorded = {
    vendor: "aws",
    name: "Same name",
    identifier: "same-name",
    hubId: "651586fca6078e98982dbd90",
    integrationId: "751586fca6078e98982dbd90",
    state: "live",
    verified: true,
    creatorType: "account",
    createdAt: "2026-12-01T00:00:00Z",
    updatedAt: "2026-12-01T00:00:00Z",
    supportsVerification: true,
    editable: true,
    supportsMultiple: true,
    declared: [],
  };
  const r = await provider.diff("751586fca6078e98982dbd90", recorded, { vendor: "aws", name: "Same name" });
  expect(r.changes).toBe(false);
});
