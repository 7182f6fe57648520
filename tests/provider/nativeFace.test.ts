/**
 * The native face against the emulator, with plain objects as the engine's
 * Structs hold them (secrets wrapped): check, preview answers, import and
 * refresh reads, partial failures, cancellation.
 */
import { startEmulator, EmulatorHandle } from "../../emulator";
import { PartialFailureError } from "../../provider/errors";
import { InitFailure, NativeFace, checkConfig, diffConfig, settingsOf } from "../../provider/native/face";
import { isSecret, Plain, secret } from "../../provider/native/values";
import { UNKNOWN } from "../../provider/resource/unknown";
import { ALL_SECRETS, AWS_BAD, AWS_GOOD, B2_GOOD } from "../helpers/fixtures";

let emu: EmulatorHandle;
let face: NativeFace;
const lines: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 5 });
  face = new NativeFace({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url }, { log: (l) => lines.push(l), env: {} });
});
afterAll(() => emu.close());

const never = (text: string, ...values: string[]) => {
  for (const v of [...ALL_SECRETS, emu.keys.admin, ...values]) expect(text).not.toContain(v);
};

/** check, then create, as the engine does. */
async function created(news: Plain): Promise<{ id: string; outs: Plain; inputs: Plain }> {
  const checked = await face.check({}, news);
  expect(checked.failures).toEqual([]);
  const r = await face.create(checked.inputs, false);
  return { id: r.id, outs: r.outs, inputs: checked.inputs };
}

describe("check", () => {
  test("failures never name auth or apiKey and never quote a credential, even written as a literal", async () => {
    const literal = "literal-cred-123";
    const cases: Plain[] = [
      { vendor: "aws", name: "Bad credentials", auth: literal },
      { vendor: "aws", name: "Bad credentials", auth: secret(literal) },
      { vendor: "aws", name: "Bad credentials", auth: { keyId: literal, secret: literal } },
      { vendor: "aws", name: "Bad credentials", auth: secret({ keyId: 42 }) },
      { vendor: "aws", name: "Bad api key", auth: AWS_GOOD, apiKey: "  " },
      { vendor: "aws", name: "Bad api key", auth: AWS_GOOD, apiKey: 7 },
    ];
    for (const news of cases) {
      const r = await face.check({}, news);
      expect(r.failures.length).toBeGreaterThan(0);
      for (const f of r.failures) expect(["auth", "apiKey"]).not.toContain(f.property);
      never(JSON.stringify(r.failures), literal);
    }
  });

  test("the inputs come back with auth wrapped, and a new resource is validated against its vendor", async () => {
    const r = await face.check({}, { vendor: "aws", name: "Plain credentials", auth: AWS_GOOD });
    expect(r.failures).toEqual([]);
    expect(isSecret(r.inputs.auth)).toBe(true);
    const missing = await face.check({}, { vendor: "aws", name: "No credentials" });
    expect(missing.failures.map((f) => f.property)).toContain("auth.keyId");
  });

  test("an existing resource (old inputs sent) may leave auth out: it was imported", async () => {
    const olds = { vendor: "aws", name: "Imported one", identifier: "imported-one" };
    const r = await face.check(olds, { ...olds, name: "Imported one renamed" });
    expect(r.failures).toEqual([]);
  });
});

describe("preview", () => {
  test("create and update answer without any API call: inputs, unknown outputs, secrets wrapped", async () => {
    const { id, outs, inputs } = await created({ vendor: "aws", name: "Previewed later", auth: secret(AWS_GOOD), verify: false });
    emu.clearLog();
    const c = await face.create(inputs, true);
    expect(c.outs).toMatchObject({ vendor: "aws", name: "Previewed later", integrationId: UNKNOWN, state: UNKNOWN, identifier: UNKNOWN });
    expect(isSecret(c.outs.auth)).toBe(true);
    const u = await face.update(id, outs, { ...inputs, name: "Previewed renamed" }, true);
    expect(u.outs).toMatchObject({ name: "Previewed renamed", integrationId: id, updatedAt: UNKNOWN, verified: UNKNOWN });
    expect(isSecret(u.outs.auth)).toBe(true);
    const d = face.diff(id, outs, { ...inputs, name: "Previewed renamed", vendor: "aws-s3" });
    expect(d).toMatchObject({ changes: true, replaces: ["vendor"] });
    expect(d.detailedDiff).toMatchObject({ name: { kind: "update", inputDiff: true }, vendor: { kind: "update-replace", inputDiff: true } });
    expect(emu.requestLog).toEqual([]);
  });
});

describe("read", () => {
  test("refresh returns auth wrapped in the properties and the inputs", async () => {
    const { id, outs, inputs } = await created({ vendor: "aws", name: "Refreshed", auth: secret(AWS_GOOD), verify: false });
    const r = await face.read(id, outs, inputs);
    expect(r.id).toBe(id);
    expect(isSecret(r.props!.auth) && isSecret(r.inputs!.auth)).toBe(true);
    expect((r.inputs!.auth as { value: unknown }).value).toEqual(AWS_GOOD);
  });

  test("import (no properties) by `<id>`: the inputs a program declares, never auth", async () => {
    const { id } = await created({
      vendor: "backblaze-b2",
      name: "Imported backups",
      identifier: "imported-backups",
      auth: B2_GOOD,
      extra: { bucket: "imported-backups" },
      verify: false,
    });
    const r = await face.read(id, {}, {});
    expect(r.id).toBe(id);
    expect(r.inputs).toEqual({
      vendor: "backblaze-b2",
      name: "Imported backups",
      identifier: "imported-backups",
      extra: { bucket: "imported-backups" },
      verify: false,
    });
    expect(r.props).toMatchObject({ integrationId: id, hubId: emu.hubs.primary, declared: ["identifier", "extra"] });
    expect(r.props!.auth).toBeUndefined();
    never(JSON.stringify(r));
    // The engine checks what the import read, olds = news: it passes without an API call.
    emu.clearLog();
    expect((await face.check(r.inputs!, r.inputs!)).failures).toEqual([]);
    expect(emu.requestLog).toEqual([]);
    // And the program Pulumi writes from those inputs previews with no change.
    expect(face.diff(id, r.props!, r.inputs!).changes).toBe(false);
  });

  test("import of a vendor that cannot be edited: nothing sent, no auth; the imported program checks, and a change replaces", async () => {
    const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const { id } = await created({
      vendor: "azure",
      name: "Imported Azure",
      auth: { subscriptionId: uuid, clientId: uuid, secret: "azure-secret-value" },
      verify: false,
    });
    emu.clearLog();
    const r = await face.read(id, {}, {});
    expect(emu.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
    expect(r.inputs).toMatchObject({ vendor: "azure", name: "Imported Azure" });
    expect(r.inputs!.auth).toBeUndefined();
    expect(r.props).toMatchObject({ editable: false });
    const renamed = { ...r.inputs!, name: "Imported Azure renamed" };
    expect((await face.check(r.inputs!, renamed)).failures).toEqual([]);
    expect(face.diff(id, r.props!, renamed)).toMatchObject({ changes: true, replaces: ["name"] });
    never(JSON.stringify(r), "azure-secret-value");
  });

  test("import by `<hubId>/<id>` from another hub than the configured one declares that hub", async () => {
    const other = new NativeFace({ apiKey: emu.keys.otherHub, hubId: emu.hubs.primary, apiUrl: emu.url }, { env: {}, log: () => undefined });
    const made = await other.create(
      (await other.check({}, { vendor: "aws", name: "Other hub one", hubId: emu.hubs.secondary, auth: AWS_GOOD, verify: false })).inputs,
      false,
    );
    const r = await other.read(`${emu.hubs.secondary}/${made.id}`, {}, {});
    expect(r.id).toBe(made.id);
    expect(r.inputs).toMatchObject({ vendor: "aws", hubId: emu.hubs.secondary });
    expect(r.inputs!.auth).toBeUndefined();
    await expect(other.read(`${emu.hubs.secondary}/not-an-id`, {}, {})).rejects.toThrow(/<hubId>\/<integrationId>/);
  });

  test("a gone integration reads as an empty ID", async () => {
    expect((await face.read("0123456789abcdef01234567", {}, {})).id).toBe("");
  });
});

describe("invoke", () => {
  test("getIntegration by id and by vendor + identifier, without auth; bad arguments are failures; an unknown token is an error", async () => {
    const { id } = await created({ vendor: "aws", name: "Looked up", identifier: "looked-up", auth: AWS_GOOD, verify: false });
    const byId = await face.invoke("cycle:index:getIntegration", { id });
    expect(byId.failures).toEqual([]);
    expect(byId.result).toMatchObject({ id, vendor: "aws", identifier: "looked-up", hubId: emu.hubs.primary });
    expect(byId.result!.auth).toBeUndefined();
    const byIdentifier = await face.invoke("cycle:index:getIntegration", { vendor: "aws", identifier: "looked-up" });
    expect(byIdentifier.result).toMatchObject({ id });
    expect((await face.invoke("cycle:index:getIntegration", { id: 42 })).failures.length).toBeGreaterThan(0);
    await expect(face.invoke("cycle:index:nope", {})).rejects.toThrow(/nope/);
    never(JSON.stringify([byId, byIdentifier]));
  });
});

describe("partial failure", () => {
  test("a failed verification keeps the ID, with the outputs and inputs to record, secrets wrapped, no __provider", async () => {
    const checked = await face.check({}, { vendor: "aws", name: "Fails verification", auth: secret(AWS_BAD) });
    const err = (await face.create(checked.inputs, false).catch((e: unknown) => e)) as InitFailure;
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(err.id).toMatch(/^[a-f0-9]{24}$/);
    expect(err.properties).toMatchObject({ integrationId: err.id, verified: false });
    expect(err.properties.__provider).toBeUndefined();
    expect(isSecret(err.properties.auth) && isSecret(err.inputs.auth)).toBe(true);
    never(err.message);
  });
});

describe("cancel", () => {
  test("ends a verify wait (the create records the integration, its job followed next time) and a delete wait (the resource stays)", async () => {
    const slow = await startEmulator({ jobStepMs: 3_000 });
    try {
      const f = new NativeFace({ apiKey: slow.keys.admin, hubId: slow.hubs.primary, apiUrl: slow.url }, { env: {}, log: () => undefined });
      const checked = await f.check({}, { vendor: "aws", name: "Cancelled verify", auth: AWS_GOOD });
      const started = Date.now();
      const pending = f.create(checked.inputs, false).catch((e: unknown) => e);
      while (slow.jobs().length === 0) await new Promise((r) => setTimeout(r, 10));
      f.cancel();
      const err = (await pending) as InitFailure;
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(err).toBeInstanceOf(InitFailure);
      expect(err.properties).toMatchObject({ integrationId: err.id, state: "verifying", verified: false, lastVerifyJobId: slow.jobs()[0].id });
      expect(err.message).toMatch(/cancelled/);

      // A delete whose job is running: it fails (the resource stays in state) and says the next destroy follows it.
      const d = new NativeFace({ apiKey: slow.keys.admin, hubId: slow.hubs.primary, apiUrl: slow.url }, { env: {}, log: () => undefined });
      const jobs = slow.jobs().length;
      const deleting = d.delete(err.id, err.properties).then(
        () => new Error("the delete ended without being cancelled"),
        (e: unknown) => e as Error,
      );
      while (slow.jobs().length === jobs) await new Promise((r) => setTimeout(r, 10));
      d.cancel();
      expect((await deleting).message).toMatch(/cancelled while its delete job .* ran; it stays in state/);
    } finally {
      await slow.close();
    }
  });
});

describe("cancel during the search after a lost create answer", () => {
  test("the create is recorded unsettled at once; the next up settles it to the one integration made: no second POST", async () => {
    const CREATE = { method: "POST", path: /\/integrations$/ };
    const LIST = { method: "GET", path: /\/integrations$/ };
    const name = "Cancelled search after a lost answer";
    const news = { vendor: "backblaze-b2", name, auth: B2_GOOD, extra: { bucket: "cancelled-search" } };
    const made = () => emu.integrations(emu.hubs.primary).filter((i) => i.name === name && i.state.current !== "deleted");
    const f = new NativeFace({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url }, { env: {}, log: () => undefined });
    const checked = await f.check({}, news);
    emu.faults.loseResponses(1, CREATE);
    emu.faults.latency(300, CREATE);
    const pending = f.create(checked.inputs, false).catch((e: unknown) => e);
    // The POST is carried out and its answer lost; the listing then answers 503, for longer than the search's 30 s bound.
    while (made().length === 0) await new Promise((r) => setTimeout(r, 5));
    emu.faults.serverErrors(1_000, 503, LIST);
    while (!emu.requestLog.some((e) => e.method === "GET" && /\/integrations(\?|$)/.test(e.path) && e.status === 503))
      await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    f.cancel();
    const failure = (await pending) as InitFailure;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure).toBeInstanceOf(InitFailure);
    expect(failure.id).toMatch(/^unsettled-create-/);
    expect(failure.properties.unsettledCreate).toMatchObject({ answered: false, intent: { name } });
    // The credentials are recorded wrapped as a secret (the engine encrypts them), and nowhere else.
    expect(isSecret(failure.properties.auth)).toBe(true);
    never(JSON.stringify({ ...failure.properties, auth: undefined }));
    never(failure.message);

    // The next up (a new provider process): the placeholder is replaced by a create that finds the one made.
    emu.faults.reset();
    emu.clearLog();
    const next = new NativeFace({ apiKey: emu.keys.admin, hubId: emu.hubs.primary, apiUrl: emu.url }, { env: {}, log: () => undefined });
    const again = await next.check(failure.inputs, news);
    expect(again.failures).toEqual([]);
    expect(next.diff(failure.id, failure.properties, again.inputs)).toMatchObject({ changes: true, replaces: ["unsettledCreate"] });
    const settled = await next.create(again.inputs, false);
    expect(made().map((i) => i.id)).toEqual([settled.id]);
    expect(emu.requestLog.filter((e) => e.method === "POST" && /\/integrations(\?|$)/.test(e.path))).toEqual([]);
    await next.delete(settled.id, settled.outs);
  });
});

describe("provider config", () => {
  test("CheckConfig names hubId and apiUrl, never apiKey; DiffConfig never replaces; Configure's args win over variables", () => {
    const r = checkConfig({ hubId: "nope", apiUrl: "http://example.com", apiKey: 5 });
    expect(r.failures.map((f) => f.property).sort()).toEqual(["", "apiUrl", "hubId"]);
    expect(checkConfig({ apiKey: "k", hubId: emu.hubs.primary }).failures).toEqual([]);
    expect(diffConfig({ apiKey: "a" }, { apiKey: "b" })).toEqual({ changes: true, changed: ["apiKey"] });
    expect(diffConfig({ hubId: "x" }, { hubId: "x" }).changes).toBe(false);
    expect(settingsOf({ apiKey: secret("from-args") }, { "cycle:config:apiKey": "from-vars", "cycle:config:hubId": "h" })).toEqual({
      apiKey: "from-args",
      hubId: "h",
    });
  });

  test("nothing logged holds a credential", () => {
    expect(lines.length).toBeGreaterThan(0);
    never(lines.join("\n"));
  });
});
