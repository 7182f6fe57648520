/**
 * Entry of the `pulumi-resource-cycle` plugin. The engine starts it with its
 * own address as the only argument and reads one line from stdout: the port.
 * So the port goes out first, as soon as the gRPC server listens, and the
 * rest (the face, the core, the schema) is loaded on the first call: a
 * plugin process starts several times per command, and only the gRPC stack
 * is needed to answer the engine that it is there. Nothing else is ever
 * written to stdout; logs go to stderr, which the engine shows.
 */
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { lazyService, Loaded } from "./service";

/** Set by the bundler (see scripts/bundle-plugin.js); the unbundled plugin reads the package's package.json. */
declare const CYCLE_PLUGIN_VERSION: string | undefined;

function version(): string {
  if (typeof CYCLE_PLUGIN_VERSION === "string") return CYCLE_PLUGIN_VERSION;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-cycle" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error("pulumi-resource-cycle: the package.json of pulumi-cycle was not found above the plugin");
  }
}

/** The protobuf modules and the handlers (with the core), loaded on the first call. */
async function load(): Promise<Loaded> {
  const [generated, server] = await Promise.all([import("@pulumi/pulumi/proto/provider_grpc_pb"), import("./server")]);
  // A CommonJS module: its exports are the default export, bundled (an ES module) or not.
  return { definition: generated.default.ResourceProviderService, handlers: server.resourceProvider(version()) };
}

function main(): void {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 1024 * 1024 * 400 });
  const service = lazyService(load, grpc.status);
  server.addService(service.definition, service.implementation);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`pulumi-resource-cycle: could not listen: ${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
}

main();
