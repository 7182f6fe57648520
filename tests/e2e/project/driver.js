// Runs one Pulumi operation on a stack of this project, the program being
// ./program.js as an Automation API inline program. Copied, with program.js,
// into a fresh directory where the packed pulumi-cycle is npm-installed, so
// everything resolves the way it does in a user's project.
//
//   node driver.js <stack> <op> [json-options]
//
// Prints one line "__RESULT__<json>" last; exits 0 even when the operation
// failed (the JSON says so), so the test sees the CLI's own output.
const auto = require("@pulumi/pulumi/automation");

async function main() {
  const [stackName, op, raw] = process.argv.slice(2);
  const opts = raw ? JSON.parse(raw) : {};
  const pulumiCommand = await auto.PulumiCommand.get({ root: process.env.PULUMI_CLI_ROOT });
  const stack = await auto.LocalWorkspace.createOrSelectStack(
    { projectName: "cycle-e2e", stackName, program: async () => require("./program.js") },
    { workDir: __dirname, pulumiCommand, projectSettings: { name: "cycle-e2e", runtime: "nodejs" } },
  );
  const color = "never";
  switch (op) {
    case "config": {
      for (const [key, v] of Object.entries(opts.set ?? {})) await stack.setConfig(key, v);
      for (const key of opts.remove ?? []) await stack.removeConfig(key);
      return {};
    }
    case "up": {
      const r = await stack.up({ color });
      return { changes: r.summary.resourceChanges, outputs: r.outputs, stdout: r.stdout };
    }
    case "preview": {
      const r = await stack.preview({ color, diff: opts.diff === true });
      return { changes: r.changeSummary, stdout: r.stdout };
    }
    case "refresh": {
      const r = await stack.refresh({ color });
      return { changes: r.summary.resourceChanges, stdout: r.stdout };
    }
    case "destroy": {
      const r = await stack.destroy({ color });
      return { changes: r.summary.resourceChanges, stdout: r.stdout };
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
}

main().then(
  (result) => console.log(`__RESULT__${JSON.stringify({ ok: true, ...result })}`),
  (err) => console.log(`__RESULT__${JSON.stringify({ ok: false, error: String((err && err.message) || err) })}`),
);
