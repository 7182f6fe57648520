/**
 * Runs the dynamic-provider server that ships in @pulumi/pulumi
 * (`cmd/dynamic-provider`) as the engine does, a child process that prints
 * its port, and talks to it over gRPC with the engine's own protobufs.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

type Props = Record<string, unknown>;
const ROOT = path.resolve(__dirname, "..", "..");
const URN = "urn:pulumi:test::pulumi-cycle::pulumi-nodejs:dynamic/cycle:Integration::it";

/** The partial-failure detail the engine decodes from a failed create or update. */
export interface InitFailure {
  message: string;
  id: string;
  properties: Props;
  reasons: string[];
}

export class GrpcProvider {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    /** Everything the server wrote to stderr. */
    readonly stderr: string[],
  ) {}

  static async start(env: Record<string, string | undefined> = {}): Promise<GrpcProvider> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr.on("data", (d: Buffer) => stderr.push(d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = out.match(/^(\d+)\s/);
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`dynamic provider exited with ${code}: ${stderr.join("")}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new GrpcProvider(child, client, stderr);
  }

  async configure(config: Record<string, string>): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(struct(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    await new Promise((ok, fail) => this.client.configure(req, settle(ok, fail)));
  }

  async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }> {
    const req = new provproto.CheckRequest();
    req.setUrn(URN);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await new Promise<provproto.CheckResponse>((ok, fail) => this.client.check(req, settle(ok, fail)));
    return {
      inputs: res.getInputs()?.toJavaScript() ?? {},
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await new Promise<provproto.DiffResponse>((ok, fail) => this.client.diff(req, settle(ok, fail)));
    const C = provproto.DiffResponse.DiffChanges;
    const changes = res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown";
    return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  async create(props: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(URN);
    req.setProperties(struct(props));
    const res = await new Promise<provproto.CreateResponse>((ok, fail) => this.client.create(req, settle(ok, fail))).catch(rethrowInitFailure);
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
  }

  async read(id: string, props: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setProperties(struct(props));
    const res = await new Promise<provproto.ReadResponse>((ok, fail) => this.client.read(req, settle(ok, fail)));
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {}, inputs: res.getInputs()?.toJavaScript() };
  }

  async update(id: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await new Promise<provproto.UpdateResponse>((ok, fail) => this.client.update(req, settle(ok, fail))).catch(rethrowInitFailure);
    return { properties: res.getProperties()?.toJavaScript() ?? {} };
  }

  async delete(id: string, props: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setProperties(struct(props));
    await new Promise((ok, fail) => this.client.delete(req, settle(ok, fail)));
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      this.child.kill();
      await exited;
    }
  }
}

/** A gRPC callback that settles a promise. */
function settle<T>(resolve: (value: T) => void, reject: (err: grpc.ServiceError) => void): (err: grpc.ServiceError | null, res: T) => void {
  return (err, res) => (err ? reject(err) : resolve(res));
}

/** Props as a protobuf Struct; `fromJavaScript` throws on a value a Struct cannot hold, so the values need no check here. */
function struct(props: Props): structproto.Struct {
  return structproto.Struct.fromJavaScript(props as Record<string, structproto.JavaScriptValue>);
}

/** Decodes `ErrorResourceInitFailed` from the gRPC status details, as the engine does. */
function rethrowInitFailure(err: grpc.ServiceError): never {
  const raw = err.metadata?.get("grpc-status-details-bin")?.[0];
  if (raw === undefined) throw err;
  const status = statusproto.Status.deserializeBinary(new Uint8Array(Buffer.from(raw as Buffer)));
  const detail = status.getDetailsList()[0];
  const failed = provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
  const e: InitFailure = {
    message: status.getMessage(),
    id: failed.getId(),
    properties: failed.getProperties()?.toJavaScript() ?? {},
    reasons: failed.getReasonsList(),
  };
  throw Object.assign(new Error(e.message), e);
}
