/**
 * The gRPC service definition the plugin binds before it prints its port,
 * without loading anything but `@grpc/grpc-js`: each served method moves
 * raw bytes, and its handler loads the generated protobuf modules and the
 * handlers (`server.ts`, and with them the core) on the first call, then
 * decodes the request. The engine starts the plugin several times per
 * command; this keeps the time to the port short (see main.ts).
 */
import type * as grpc from "@grpc/grpc-js";
import type { IResourceProviderServer, ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { Handlers } from "./server";

/** The RPCs this plugin serves. Any other answers UNIMPLEMENTED (gRPC's answer for a method not bound), which the engine reads as "not supported". */
export const SERVED = [
  "handshake",
  "getPluginInfo",
  "attach",
  "getSchema",
  "checkConfig",
  "diffConfig",
  "configure",
  "check",
  "diff",
  "create",
  "read",
  "update",
  "delete",
  "invoke",
  "cancel",
] as const satisfies ReadonlyArray<keyof IResourceProviderServer>;

export type Served = (typeof SERVED)[number];

/** What the first call loads: the generated service definition (its codecs) and the handlers. */
export interface Loaded {
  definition: typeof ResourceProviderService;
  handlers: Handlers;
}

type Codec = grpc.MethodDefinition<unknown, unknown>;

/** `getPluginInfo` → `/pulumirpc.ResourceProvider/GetPluginInfo`, as the generated definition names it. */
export function pathOf(method: Served): string {
  return `/pulumirpc.ResourceProvider/${method[0].toUpperCase()}${method.slice(1)}`;
}

/**
 * The definition and implementation to bind. `load` runs once, on the first
 * call; a call whose method has no handler answers UNIMPLEMENTED, one that
 * cannot load answers INTERNAL with why.
 */
export function lazyService(load: () => Promise<Loaded>, status: typeof grpc.status) {
  let loading: Promise<Loaded> | undefined;
  let loaded: Loaded | undefined;
  const loadOnce = () =>
    (loading ??= load().then((l) => {
      loaded = l;
      return l;
    }));
  const definition: Record<string, Codec> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const name of SERVED) {
    const codec = (): Codec => loaded!.definition[name] as unknown as Codec;
    definition[name] = {
      path: pathOf(name),
      requestStream: false,
      responseStream: false,
      originalName: name,
      // Bytes until the handler has loaded the codecs; a response is only ever sent after that.
      requestSerialize: (value: unknown) => value as Buffer,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (value: unknown) => codec().responseSerialize(value),
      responseDeserialize: (bytes: Buffer) => bytes,
    };
    implementation[name] = (call: grpc.ServerUnaryCall<Buffer, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      loadOnce().then(
        (l) => {
          const handler = l.handlers[name] as grpc.handleUnaryCall<unknown, unknown> | undefined;
          if (!handler) return callback({ code: status.UNIMPLEMENTED, details: `${name} is not implemented by the cycle provider` });
          let request: unknown;
          try {
            request = codec().requestDeserialize(call.request);
          } catch (err) {
            return callback({ code: status.INVALID_ARGUMENT, details: `${name}: the request does not decode: ${(err as Error).message}` });
          }
          handler(Object.create(call, { request: { value: request } }) as grpc.ServerUnaryCall<unknown, unknown>, callback);
        },
        (err: Error) => callback({ code: status.INTERNAL, details: `pulumi-resource-cycle could not load: ${err.message}` }),
      );
    };
  }
  return { definition: definition as grpc.ServiceDefinition, implementation };
}
