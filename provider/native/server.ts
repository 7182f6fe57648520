/**
 * The `pulumirpc.ResourceProvider` service of the plugin: one small handler
 * per RPC, each decoding its request, calling the face and encoding the
 * answer. No Cycle logic here (see `face.ts`), and no `@pulumi/pulumi` root
 * module: only its generated protobuf modules.
 *
 * The face is made at Configure, which the engine sends before any resource
 * call (and not at all while a provider input is unknown: it answers those
 * calls itself).
 */
import * as grpc from "@grpc/grpc-js";
import type { IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { CycleError } from "../errors";
import { packageSchema } from "../resource/packageSchema";
import { checkConfig, CheckFailure, diffConfig, NativeFace, PropertyChange, settingsOf } from "./face";
import { statusOf } from "./errors";
import type { Served } from "./service";
import { fromStruct, Plain, toStruct } from "./values";

/** The handlers this plugin implements; the others answer UNIMPLEMENTED, which the engine reads as "not supported". */
export type Handlers = Partial<Pick<IResourceProviderServer, Served>>;

const DiffChanges = provproto.DiffResponse.DiffChanges;
const KIND: Record<PropertyChange, provproto.PropertyDiff.Kind> = {
  add: provproto.PropertyDiff.Kind.ADD,
  "add-replace": provproto.PropertyDiff.Kind.ADD_REPLACE,
  delete: provproto.PropertyDiff.Kind.DELETE,
  "delete-replace": provproto.PropertyDiff.Kind.DELETE_REPLACE,
  update: provproto.PropertyDiff.Kind.UPDATE,
  "update-replace": provproto.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** A unary handler from a function of the request: what it throws becomes the status (`errors.ts`). */
function unary<Req, Res>(work: (req: Req) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => work(call.request))
      .then(
        (res) => callback(null, res),
        (err: unknown) => callback(statusOf(err)),
      );
  };
}

function failuresOf(failures: CheckFailure[]): provproto.CheckFailure[] {
  return failures.map((f) => {
    const m = new provproto.CheckFailure();
    m.setProperty(f.property);
    m.setReason(f.reason);
    return m;
  });
}

function checkResponse(inputs: Plain, failures: CheckFailure[]): provproto.CheckResponse {
  const res = new provproto.CheckResponse();
  res.setInputs(toStruct(inputs));
  res.setFailuresList(failuresOf(failures));
  return res;
}

/** The service, for the plugin's `version` (the package's). */
export function resourceProvider(version: string, env: Record<string, string | undefined> = process.env): Handlers {
  let face: NativeFace | undefined;
  let schema: string | undefined;
  const configured = (): NativeFace => {
    if (!face) throw new CycleError("The cycle provider was not configured: the engine sends Configure before any resource call");
    return face;
  };

  return {
    handshake: unary(() => {
      const res = new provproto.ProviderHandshakeResponse();
      res.setAcceptSecrets(true);
      // The schema holds no resource references, and the core takes plain values.
      res.setAcceptResources(false);
      res.setAcceptOutputs(false);
      return res;
    }),

    getPluginInfo: unary(() => new plugproto.PluginInfo().setVersion(version)),

    attach: unary(() => new Empty()),

    getSchema: unary((req: provproto.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new CycleError(`schema version ${req.getVersion()} is not supported; this provider serves version 0`);
      schema ??= JSON.stringify(packageSchema(version));
      return new provproto.GetSchemaResponse().setSchema(schema);
    }),

    checkConfig: unary((req: provproto.CheckRequest) => {
      const result = checkConfig(fromStruct(req.getNews()));
      return checkResponse(result.inputs, result.failures);
    }),

    diffConfig: unary((req: provproto.DiffRequest) => {
      const result = diffConfig(fromStruct(req.getOlds()), fromStruct(req.getNews()));
      const res = new provproto.DiffResponse();
      res.setChanges(result.changes ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      res.setDiffsList(result.changed);
      for (const name of result.changed) res.getDetaileddiffMap().set(name, new provproto.PropertyDiff().setKind(KIND.update).setInputdiff(true));
      res.setHasdetaileddiff(true);
      return res;
    }),

    configure: unary((req: provproto.ConfigureRequest) => {
      const variables = Object.fromEntries(req.getVariablesMap().entries());
      face = new NativeFace(settingsOf(fromStruct(req.getArgs()), variables), { env });
      const res = new provproto.ConfigureResponse();
      res.setAcceptsecrets(true);
      res.setSupportspreview(true);
      res.setAcceptresources(false);
      res.setAcceptoutputs(false);
      return res;
    }),

    check: unary(async (req: provproto.CheckRequest) => {
      const result = await configured().check(fromStruct(req.getOlds()), fromStruct(req.getNews()));
      return checkResponse(result.inputs, result.failures);
    }),

    diff: unary((req: provproto.DiffRequest) => {
      const result = configured().diff(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
      const res = new provproto.DiffResponse();
      res.setChanges(result.changes ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      res.setReplacesList(result.replaces);
      res.setDeletebeforereplace(result.deleteBeforeReplace);
      res.setDiffsList(Object.keys(result.detailedDiff));
      for (const [name, d] of Object.entries(result.detailedDiff)) {
        res.getDetaileddiffMap().set(name, new provproto.PropertyDiff().setKind(KIND[d.kind]).setInputdiff(d.inputDiff));
      }
      res.setHasdetaileddiff(true);
      return res;
    }),

    create: unary(async (req: provproto.CreateRequest) => {
      const result = await configured().create(fromStruct(req.getProperties()), req.getPreview());
      return new provproto.CreateResponse().setId(result.id).setProperties(toStruct(result.outs));
    }),

    read: unary(async (req: provproto.ReadRequest) => {
      // `pulumi import` sends no properties: the face reads in import mode.
      const result = await configured().read(req.getId(), fromStruct(req.getProperties()), fromStruct(req.getInputs()));
      const res = new provproto.ReadResponse().setId(result.id);
      if (result.props) res.setProperties(toStruct(result.props));
      if (result.inputs) res.setInputs(toStruct(result.inputs));
      return res;
    }),

    update: unary(async (req: provproto.UpdateRequest) => {
      const result = await configured().update(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()), req.getPreview());
      return new provproto.UpdateResponse().setProperties(toStruct(result.outs));
    }),

    delete: unary(async (req: provproto.DeleteRequest) => {
      await configured().delete(req.getId(), fromStruct(req.getProperties()));
      return new Empty();
    }),

    invoke: unary(async (req: provproto.InvokeRequest) => {
      const result = await configured().invoke(req.getTok(), fromStruct(req.getArgs()));
      const res = new provproto.InvokeResponse();
      if (result.result) res.setReturn(toStruct(result.result));
      res.setFailuresList(failuresOf(result.failures));
      return res;
    }),

    // Sent on Ctrl-C and to every provider at the end of each command: harmless when nothing waits.
    cancel: unary(() => {
      face?.cancel();
      return new Empty();
    }),
  };
}
