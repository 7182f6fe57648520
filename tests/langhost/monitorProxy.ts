/**
 * The resource monitor proxy the official host puts between the program and
 * the engine (`monitorProxy` in proxy.go): every ResourceMonitor method is
 * forwarded untouched to the engine's monitor, and RegisterResource carries
 * the `pulumi-runtime: nodejs` header (the engine uses it to work around
 * alias specs of old Node.js SDKs). Messages are passed through as bytes.
 */
import * as grpc from "@grpc/grpc-js";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { GRPC_OPTIONS } from "./grpcOptions";

const raw = (b: Buffer): Buffer => b;

export interface MonitorProxy {
  address: string;
  close(): void;
}

export async function startMonitorProxy(target: string): Promise<MonitorProxy> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), GRPC_OPTIONS);
  const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(ResourceMonitorService as unknown as grpc.ServiceDefinition)) {
    if (method.requestStream || method.responseStream) throw new Error(`ResourceMonitor.${name} is streaming; the proxy forwards unary calls only`);
    definition[name] = { ...method, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw };
    implementation[name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const metadata = new grpc.Metadata();
      if (name === "registerResource") metadata.set("pulumi-runtime", "nodejs");
      const outgoing = client.makeUnaryRequest(method.path, raw, raw, call.request, metadata, {}, (err, res) => {
        if (err) callback(err);
        else callback(null, res);
      });
      call.on("cancelled", () => outgoing.cancel());
    };
  }
  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: () => {
      server.forceShutdown();
      client.close();
    },
  };
}
