// The serialized provider loads the compiled engine by package name, as it
// does in a user's program, so tests run against a fresh build of bin/.
const { execFileSync } = require("child_process");
const path = require("path");

module.exports = async () => {
  // Tests talk to the emulator only: a developer's own Cycle credentials in
  // the environment must never reach them (or a real hub).
  for (const name of ["CYCLE_API_KEY", "CYCLE_HUB_ID", "CYCLE_API_URL"]) delete process.env[name];

  const root = path.resolve(__dirname, "..");
  execFileSync(process.execPath, [path.join(root, "scripts", "link-self.js")], { stdio: "inherit" });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
    stdio: "inherit",
    cwd: root,
  });
  // The native provider plugin the engine starts: its bundle and launcher (bin/pulumi-resource-cycle).
  execFileSync(process.execPath, [path.join(root, "scripts", "bundle-plugin.js")], { stdio: "inherit", cwd: root });
};
