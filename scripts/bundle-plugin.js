#!/usr/bin/env node
// `npm run build` (after tsc): the native provider plugin as one bundled,
// minified file, bin/native/pulumi-resource-cycle.js, and its launcher,
// bin/pulumi-resource-cycle (the npm bin, and the executable the Pulumi
// engine looks for in `packages: cycle: <dir>`). A plugin process starts
// several times per command: bundled, it prints its port in well under the
// time Node takes to resolve and load the same modules one file at a time.
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
const outfile = path.join(root, "bin", "native", "pulumi-resource-cycle.js");

const result = esbuild.buildSync({
  entryPoints: [path.join(root, "provider", "native", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  define: { CYCLE_PLUGIN_VERSION: JSON.stringify(version) },
  metafile: true,
  logLevel: "warning",
});

// The plugin must never load @pulumi/pulumi's root (about 2 s, and process-wide handlers): only its generated protobuf modules.
const pulled = Object.keys(result.metafile.inputs).filter((f) => /node_modules\/@pulumi\/pulumi\//.test(f) && !/\/proto\//.test(f));
if (pulled.length > 0) {
  fs.rmSync(outfile, { force: true });
  console.error(`bundle-plugin: the plugin pulls in @pulumi/pulumi beyond its protobuf modules:\n  ${pulled.join("\n  ")}`);
  process.exit(1);
}

const launcher = path.join(root, "bin", "pulumi-resource-cycle");
fs.copyFileSync(path.join(root, "scripts", "pulumi-resource-cycle"), launcher);
fs.chmodSync(launcher, 0o755);
