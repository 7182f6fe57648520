#!/usr/bin/env node
// `npm run build` (after tsc): the native provider plugin bundled and
// minified, bin/native/pulumi-resource-cycle.mjs (and its chunks), and its launcher,
// bin/pulumi-resource-cycle (the npm bin, and the executable the Pulumi
// engine looks for in `packages: cycle: <dir>`). A plugin process starts
// several times per command: bundled, it prints its port in well under the
// time Node takes to resolve and load the same modules one file at a time.
const fs = require("fs");
const path = require("path");
let esbuild;
try {
  esbuild = require("esbuild");
} catch {
  console.error("bundle-plugin: esbuild is not installed (a devDependency since the native plugin): run `npm ci`");
  process.exit(1);
}

const root = path.resolve(__dirname, "..");
const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
const outdir = path.join(root, "bin", "native");

fs.rmSync(outdir, { recursive: true, force: true });
// ES modules, split: the entry holds what printing the port needs (the gRPC
// server and the service definition); the face and the core are a chunk
// loaded on the first call, so their code is not even compiled before the
// port is out. The gRPC and protobuf modules are shared, one copy.
const result = esbuild.buildSync({
  entryPoints: { "pulumi-resource-cycle": path.join(root, "provider", "native", "main.ts") },
  outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  legalComments: "none",
  // The bundled CommonJS modules require Node's own modules.
  banner: { js: 'import { createRequire as __cycleRequire } from "module"; const require = __cycleRequire(import.meta.url);' },
  define: { CYCLE_PLUGIN_VERSION: JSON.stringify(version) },
  metafile: true,
  logLevel: "warning",
});

// The plugin must never load @pulumi/pulumi's root (about 2 s, and process-wide handlers): only its generated protobuf modules.
const pulled = Object.keys(result.metafile.inputs).filter((f) => /node_modules\/@pulumi\/pulumi\//.test(f) && !/\/proto\//.test(f));
if (pulled.length > 0) {
  fs.rmSync(outdir, { recursive: true, force: true });
  console.error(`bundle-plugin: the plugin pulls in @pulumi/pulumi beyond its protobuf modules:\n  ${pulled.join("\n  ")}`);
  process.exit(1);
}

const launcher = path.join(root, "bin", "pulumi-resource-cycle");
fs.copyFileSync(path.join(root, "scripts", "pulumi-resource-cycle"), launcher);
fs.chmodSync(launcher, 0o755);
