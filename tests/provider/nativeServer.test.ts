/**
 * The built plugin, `bin/pulumi-resource-cycle`, as the engine runs it: a
 * child process that prints its port, spoken to with the engine's own
 * protobufs through a `ResourceProviderClient`.
 */
import { ChildProcess, spawn } from "child_process";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient, ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { pathOf, SERVED } from "../../provider/native/service";
import { isSecret, Plain, secret } from "../../provider/native/values";
import { ALL_SECRETS, AWS_BAD, AWS_GOOD } from "../helpers/fixtures";

const ROOT = path.resolve(__dirname, "..", "..");
const PLUGIN = path.join(ROOT, "bin", "pulumi-resource-cycle");
const URN = "urn:pulumi:test::native::cycle:index:Integration::it";

let emu: EmulatorHandle;
let child: ChildProcess;
let client: ResourceProviderClient;
let startMs: number;
const stdout: string[] = [];
const stderr: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ jobStepMs: 5 });
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ["CYCLE_API_KEY", "CYCLE_HUB_ID", "CYCLE_API_URL", "CYCLE_QUIET"]) delete env[k];
  const started = process.hrtime.bigint();
  // As the engine starts it: the engine's address as the only argument, in another directory.
  child = spawn(PLUGIN, ["127.0.0.1:1"], { cwd: os.tmpdir(), env, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      stdout.push(d.toString());
      const m = /^(\d+)\n/.exec(stdout.join(""));
      if (m) {
        startMs = Number(process.hrtime.bigint() - started) / 1e6;
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`the plugin exited with ${code}: ${stderr.join("")}`)));
  });
  client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill();
    await exited;
  }
  await emu.close();
});

/** One unary call of the client, as a promise. */
function rpc<Req, Res>(method: keyof ResourceProviderClient, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    type Unary = (this: ResourceProviderClient, r: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;
    const fn = (client as unknown as Record<string, Unary>)[method];
    fn.call(client, req, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

const struct = (v: Plain) => Struct.fromJavaScript(v as never);
const plain = (s: Struct | undefined): Plain => s?.toJavaScript() ?? {};

test("prints only its port on stdout, quickly", () => {
  expect(stdout.join("")).toMatch(/^\d+\n$/);
  // The figure for the note; the budget is 300 ms on an idle machine (node alone takes 90-150 ms here, under load).
  console.log(`plugin start (spawn to port): ${startMs.toFixed(0)} ms`);
  expect(startMs).toBeLessThan(2_000);
});

test("the service it binds has the generated definition's paths", () => {
  for (const name of SERVED) expect(pathOf(name)).toBe(ResourceProviderService[name].path);
});

test("Handshake: secrets accepted, no resource references or output values; plugin info is the package version", async () => {
  const hs = await rpc<provproto.ProviderHandshakeRequest, provproto.ProviderHandshakeResponse>("handshake", new provproto.ProviderHandshakeRequest());
  expect([hs.getAcceptSecrets(), hs.getAcceptResources(), hs.getAcceptOutputs()]).toEqual([true, false, false]);
  const info = await rpc<Empty, plugproto.PluginInfo>("getPluginInfo", new Empty());
  expect(info.getVersion()).toBe((require(path.join(ROOT, "package.json")) as { version: string }).version);
});

test("GetSchema: the package schema as JSON; another schema version is refused", async () => {
  const res = await rpc<provproto.GetSchemaRequest, provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
  const schema = JSON.parse(res.getSchema()) as { name: string; resources: Record<string, { inputProperties: Record<string, { secret?: boolean }> }> };
  expect(schema.name).toBe("cycle");
  expect(schema.resources["cycle:index:Integration"].inputProperties.auth.secret).toBe(true);
  await expect(rpc("getSchema", new provproto.GetSchemaRequest().setVersion(1))).rejects.toThrow(/version 1/);
});

test("a method it does not serve answers UNIMPLEMENTED", async () => {
  await expect(rpc("construct", new provproto.ConstructRequest())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
});

describe("configured by Configure's args", () => {
  beforeAll(async () => {
    // Only `args` carry the key and hub that reach the integrations below; `variables` hold others.
    const req = new provproto.ConfigureRequest();
    req.setArgs(struct({ apiKey: secret(emu.keys.otherHub), hubId: emu.hubs.secondary, apiUrl: emu.url }));
    req.getVariablesMap().set("cycle:config:apiKey", emu.keys.expired);
    req.getVariablesMap().set("cycle:config:hubId", emu.hubs.primary);
    req.getVariablesMap().set("cycle:config:apiUrl", emu.url);
    req.setAcceptsecrets(true);
    const res = await rpc<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", req);
    expect(res.getAcceptsecrets() && res.getSupportspreview()).toBe(true);
  });

  async function check(news: Plain, olds: Plain = {}) {
    const req = new provproto.CheckRequest().setUrn(URN).setOlds(struct(olds)).setNews(struct(news));
    const res = await rpc<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  test("create, then Read without properties (an import) reads it back by ID, without auth", async () => {
    const checked = await check({ vendor: "aws", name: "Over gRPC", auth: secret(AWS_GOOD), verify: false });
    expect(checked.failures).toEqual([]);
    const created = await rpc<provproto.CreateRequest, provproto.CreateResponse>(
      "create",
      new provproto.CreateRequest().setUrn(URN).setProperties(struct(checked.inputs)),
    );
    const id = created.getId();
    expect(isSecret(plain(created.getProperties()).auth)).toBe(true);
    expect(emu.integrations(emu.hubs.secondary).map((i) => i.id)).toContain(id);

    const read = await rpc<provproto.ReadRequest, provproto.ReadResponse>("read", new provproto.ReadRequest().setId(id).setUrn(URN));
    expect(read.getId()).toBe(id);
    // The hub is the configured one (from args): not declared. Not verified (`verify: false` was declared): managed as it is.
    expect(plain(read.getInputs())).toEqual({ vendor: "aws", name: "Over gRPC", identifier: "over-grpc", verify: false });
    expect(plain(read.getProperties())).toMatchObject({ integrationId: id, hubId: emu.hubs.secondary });
  });

  test("Invoke: getIntegration in the configured hub; bad arguments come back as failures", async () => {
    const [one] = emu.integrations(emu.hubs.secondary);
    const res = await rpc<provproto.InvokeRequest, provproto.InvokeResponse>(
      "invoke",
      new provproto.InvokeRequest().setTok("cycle:index:getIntegration").setArgs(struct({ id: one.id })),
    );
    expect(plain(res.getReturn())).toMatchObject({ id: one.id, hubId: emu.hubs.secondary });
    const bad = await rpc<provproto.InvokeRequest, provproto.InvokeResponse>(
      "invoke",
      new provproto.InvokeRequest().setTok("cycle:index:getIntegration").setArgs(struct({ id: 42 })),
    );
    expect(bad.getFailuresList().length).toBeGreaterThan(0);
  });

  test("a partial failure decodes as ErrorResourceInitFailed: ID, outputs and inputs, secrets wrapped", async () => {
    const checked = await check({ vendor: "aws", name: "Bad over gRPC", auth: AWS_BAD });
    const err = await rpc("create", new provproto.CreateRequest().setUrn(URN).setProperties(struct(checked.inputs))).catch((e: grpc.ServiceError) => e);
    const raw = (err as grpc.ServiceError).metadata.get("grpc-status-details-bin")[0] as Buffer;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(raw));
    const detail = status.getDetailsList()[0];
    expect(detail.getTypeUrl()).toBe("type.googleapis.com/pulumirpc.ErrorResourceInitFailed");
    const failed = provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    const props = plain(failed.getProperties());
    expect(failed.getId()).toMatch(/^[a-f0-9]{24}$/);
    expect(props).toMatchObject({ integrationId: failed.getId(), verified: false });
    expect(props.__provider).toBeUndefined();
    expect(isSecret(props.auth) && isSecret(plain(failed.getInputs()).auth)).toBe(true);
    expect(failed.getReasonsList().join(" ")).toMatch(/Verification/);
    for (const s of ALL_SECRETS) expect(status.getMessage()).not.toContain(s);
  });

  test("a check failure names no secret property; Cancel answers at once", async () => {
    const r = await check({ vendor: "aws", name: "Literal credentials", auth: "literal-cred-123" });
    expect(r.failures.length).toBeGreaterThan(0);
    expect(r.failures.map((f) => f.property)).not.toContain("auth");
    expect(JSON.stringify(r.failures)).not.toContain("literal-cred-123");
    await rpc("cancel", new Empty());
  });

  test("nothing it wrote to stderr holds a credential", () => {
    const text = stderr.join("");
    for (const s of [...ALL_SECRETS, emu.keys.otherHub, emu.keys.expired, "literal-cred-123"]) expect(text).not.toContain(s);
  });
});
