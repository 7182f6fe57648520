// A Pulumi program that uses pulumi-cycle as a user would. What it declares
// comes from program.<stack>.json, so a test changes the declared state
// between runs without changing code. An auth value "config:<key>" is read
// from stack config as a secret; any other value is passed plain (the
// provider must still store it as a secret). A `verifyTrigger` of
// "config:<key>" is read from stack config as it is.
const fs = require("fs");
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const { Integration } = require("pulumi-cycle");

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, `program.${pulumi.getStack()}.json`), "utf8"));
const config = new pulumi.Config();

function auth(values) {
  if (!values) return undefined;
  const out = {};
  for (const [k, v] of Object.entries(values)) {
    out[k] = typeof v === "string" && v.startsWith("config:") ? config.requireSecret(v.slice("config:".length)) : v;
  }
  return out;
}

for (const r of spec.integrations) {
  const trigger = r.args.verifyTrigger;
  const verifyTrigger = typeof trigger === "string" && trigger.startsWith("config:") ? config.get(trigger.slice("config:".length)) : trigger;
  const i = new Integration(r.name, { ...r.args, auth: auth(r.args.auth), verifyTrigger });
  exports[r.name] = { id: i.id, name: i.name, state: i.state, verified: i.verified, identifier: i.identifier };
}
