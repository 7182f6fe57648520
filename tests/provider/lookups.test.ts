/**
 * The lookups every face offers, through the core's `invoke` (what the
 * native plugin's Invoke calls) and the dynamic face's `getIntegration`,
 * against the emulator: by ID, by vendor and identifier, several matches
 * named, display names never matched, bad arguments as failures, and never
 * a credential in a result.
 */
import { EmulatorHandle, startEmulator } from "../../emulator";
import { getIntegration } from "../../provider/functions";
import type { EngineContext } from "../../provider/resource/context";
import { invoke } from "../../provider/resource/invoke";
import { ProviderSession } from "../../provider/resource/session";
import { AWS_GOOD } from "../helpers/fixtures";

let emu: EmulatorHandle;

beforeAll(async () => {
  // Auth echoed: a lookup must drop credentials the API hands back, not rely on the API keeping them.
  emu = await startEmulator({ jobStepMs: 5, echoAuth: true });
});
afterAll(() => emu.close());

const ctx = (): EngineContext => ({ settings: { apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url }, session: new ProviderSession(), env: {} });
const create = (name: string, identifier: string, vendor = "aws") =>
  emu.outOfBand.create(emu.hubs.primary, { vendor, name, identifier, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } });
const noCredentials = (value: unknown) => {
  const text = JSON.stringify(value);
  expect(text).not.toContain(AWS_GOOD.secret);
  expect(text).not.toContain(AWS_GOOD.keyId);
  expect(text).not.toMatch(/"auth"/);
};

test("getIntegration by id: the integration, camelCase, without credentials", async () => {
  const made = create("Lookup by id", "lookup-by-id");
  const r = await invoke(ctx(), "cycle:index:getIntegration", { id: made.id });
  expect(r.failures).toEqual([]);
  expect(r.result).toEqual({
    id: made.id,
    vendor: "aws",
    name: "Lookup by id",
    identifier: "lookup-by-id",
    hubId: emu.hubs.primary,
    state: "new",
    creatorType: "account",
    createdAt: made.events.created,
    updatedAt: made.events.updated,
  });
  noCredentials(r.result);
});

test("getIntegration by vendor and identifier; look-alike display names and other hubs are not matched", async () => {
  const made = create("Lookup by identifier", "lookup-by-identifier");
  // Same display name, other identifier: never a match.
  create("Lookup by identifier", "lookup-by-identifier-2");
  // A display name equal to the identifier asked for: never a match either.
  create("lookup-by-identifier-3", "something-else");
  // The same vendor and identifier in another hub: not this hub's.
  emu.outOfBand.create(emu.hubs.secondary, {
    vendor: "aws",
    name: "Other hub",
    identifier: "lookup-by-identifier",
    auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret },
  });
  const r = await invoke(ctx(), "cycle:index:getIntegration", { vendor: "aws", identifier: "lookup-by-identifier" });
  expect(r.result).toMatchObject({ id: made.id, identifier: "lookup-by-identifier" });
  noCredentials(r.result);

  await expect(invoke(ctx(), "cycle:index:getIntegration", { vendor: "aws", identifier: "lookup-by-identifier-3" })).rejects.toThrow(
    /No integration of vendor `aws` with identifier `lookup-by-identifier-3`/,
  );
  // `hubId` is the hub asked: this key belongs to the other one.
  await expect(invoke(ctx(), "cycle:index:getIntegration", { vendor: "aws", identifier: "lookup-by-identifier", hubId: emu.hubs.secondary })).rejects.toThrow(
    /403\.wrong-hub/,
  );
});

test("several matches: an ambiguity error naming both IDs; one being deleted does not count", async () => {
  const a = create("Twin one", "twin");
  const b = create("Twin two", "twin");
  const err = await invoke(ctx(), "cycle:index:getIntegration", { vendor: "aws", identifier: "twin" }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).name).toBe("CycleAmbiguityError");
  expect((err as Error).message).toContain(a.id);
  expect((err as Error).message).toContain(b.id);

  emu.outOfBand.setState(a.id, "deleting");
  const r = await invoke(ctx(), "cycle:index:getIntegration", { vendor: "aws", identifier: "twin" });
  expect(r.result?.id).toBe(b.id);
  // The dynamic face's lookup is the same one.
  expect((await getIntegration({ vendor: "aws", identifier: "twin" }, { apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url })).id).toBe(b.id);
});

test("an unknown or deleted id is a clear not-found error", async () => {
  await expect(invoke(ctx(), "cycle:index:getIntegration", { id: "0123456789abcdef01234567" })).rejects.toThrow(
    `No integration 0123456789abcdef01234567 in hub ${emu.hubs.primary}`,
  );
  const gone = create("Deleted one", "deleted-one");
  emu.outOfBand.delete(gone.id);
  await expect(invoke(ctx(), "cycle:index:getIntegration", { id: gone.id })).rejects.toThrow(/is deleted/);
});

test("bad arguments are failures naming the field, before any request", async () => {
  emu.clearLog();
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ["cycle:index:getIntegration", {}, ["vendor", "identifier"]],
    ["cycle:index:getIntegration", { vendor: "aws" }, ["identifier"]],
    ["cycle:index:getIntegration", { id: "nope" }, ["id"]],
    ["cycle:index:getIntegration", { id: "0123456789abcdef01234567", vendor: "aws" }, ["id"]],
    ["cycle:index:getIntegration", { vendor: "aws", identifier: "x", name: "display name" }, ["name"]],
    ["cycle:index:getIntegrations", { pageSize: 0 }, ["pageSize"]],
    ["cycle:index:getIntegrations", { filter: { state: "sleeping" } }, ["filter.state"]],
    ["cycle:index:getAvailableIntegrations", { hubId: 42 }, ["hubId"]],
  ];
  for (const [token, args, properties] of cases) {
    const r = await invoke(ctx(), token, args);
    expect([token, r.result, r.failures.map((f) => f.property)]).toEqual([token, undefined, properties]);
    for (const f of r.failures) expect(f.reason).toContain(f.property.split(".").pop()!);
  }
  expect(emu.requestLog).toHaveLength(0);
  await expect(getIntegration({ vendor: "aws" }, { apiKey: emu.keys.admin })).rejects.toThrow(/identifier is required/);
});

test("an unknown function is an error naming it", async () => {
  await expect(invoke(ctx(), "cycle:index:getWidget", {})).rejects.toThrow(/Unknown function `cycle:index:getWidget`/);
});

test("getIntegrations reads every page; getAvailableIntegrations flattens the catalogue with the resource's auth names", async () => {
  for (let i = 0; i < 3; i++) create(`Paged ${i}`, `paged-${i}`);
  const list = await invoke(ctx(), "cycle:index:getIntegrations", { pageSize: 2, filter: { search: "paged" } });
  const integrations = list.result?.integrations as Array<Record<string, unknown>>;
  expect(integrations.filter((i) => String(i.identifier).startsWith("paged-")).map((i) => i.identifier)).toEqual(
    expect.arrayContaining(["paged-0", "paged-1", "paged-2"]),
  );
  noCredentials(list.result);

  const available = await invoke(ctx(), "cycle:index:getAvailableIntegrations", {});
  const aws = (available.result?.definitions as Array<Record<string, unknown>>).find((d) => d.vendor === "aws");
  expect(aws).toMatchObject({ category: "infrastructure-provider", supportsVerification: true, editable: true });
  expect(Object.keys(aws?.authFields as object).sort()).toEqual(["keyId", "secret"]);
});

test("a credential quoted in a state error is hidden", async () => {
  const made = create("Quoting state error", "quoting-state-error");
  emu.outOfBand.setState(made.id, "new", `key ${AWS_GOOD.keyId} was refused`);
  const r = await invoke(ctx(), "cycle:index:getIntegration", { id: made.id });
  expect(r.result?.stateError).toMatch(/key \[REDACTED\] was refused/);
  noCredentials(r.result);
});
