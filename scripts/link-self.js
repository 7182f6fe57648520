#!/usr/bin/env node
// The provider loads its engine by package name ("pulumi-cycle/bin/...") at
// call time, as it does in a user's program where the package is installed.
// Inside this repository (quick start, tests) the package is the repository
// itself, so node_modules/pulumi-cycle links back to it.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-cycle");
if (!fs.existsSync(path.join(root, "node_modules"))) process.exit(0); // installed as a dependency: nothing to do
try {
  const current = fs.readlinkSync(link);
  if (path.resolve(path.dirname(link), current) === root) process.exit(0);
  fs.unlinkSync(link);
} catch (err) {
  if (err.code !== "ENOENT" && err.code !== "EINVAL") throw err;
  if (err.code === "EINVAL") {
    console.error(`${link} exists and is not a link; leaving it alone`);
    process.exit(0);
  }
}
fs.symlinkSync("..", link, "dir");
