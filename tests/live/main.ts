/**
 * `npm run test:live`: the opt-in check against the real Cycle API.
 *
 *   CYCLE_LIVE=1 CYCLE_API_KEY=<key> CYCLE_HUB_ID=<hub> npm run test:live
 *
 * Optional: CYCLE_API_URL (default https://api.cycle.io), CYCLE_LIVE_VENDOR
 * (use this vendor), CYCLE_LIVE_EXTRA (a JSON object of `extra` values, e.g.
 * a real contact email), CYCLE_LIVE_REPORT (where the JSON report goes;
 * default .cache/live-report.json). Without CYCLE_LIVE=1 and the key and hub
 * it prints one line saying why it is skipped and exits 0.
 *
 * Exit: 0 when it passed, was skipped or no vendor qualifies; 1 when a step
 * failed (or something was left in the hub); 2 for a setting that cannot be
 * right.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { Redactor } from "../../provider/api/redact";
import { liveGate, LiveSettingsError } from "./gate";
import { renderReport, writeReport } from "./report";
import { runLiveCheck } from "./run";

const ROOT = path.resolve(__dirname, "..", "..");

export interface MainOptions {
  /** Build bin/ and link the package first (what the program loads); default true. */
  build?: boolean;
  languageHost?: "auto" | "test";
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export async function main(env: Record<string, string | undefined>, opts: MainOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = opts.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  let gate: ReturnType<typeof liveGate>;
  try {
    gate = liveGate(env);
  } catch (e) {
    if (!(e instanceof LiveSettingsError)) throw e;
    err(`live check: ${e.message}`);
    return 2;
  }
  if (!gate.run) {
    out(`live check skipped: ${gate.reason}`);
    return 0;
  }
  const { settings } = gate;
  const redactor = new Redactor([settings.apiKey]);
  if (opts.build !== false) {
    err("building bin/ (npm run setup) ...");
    execFileSync("npm", ["run", "setup", "--silent"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  }
  const report = await runLiveCheck(settings, { languageHost: opts.languageHost, say: (line) => err(redactor.redact(`live check: ${line}`)) });
  const file = path.resolve(ROOT, env.CYCLE_LIVE_REPORT ?? path.join(".cache", "live-report.json"));
  writeReport(report, file, redactor);
  out(redactor.redact(renderReport(report)));
  out(`\nReport written to ${path.relative(process.cwd(), file) || file}`);
  return report.outcome === "failed" ? 1 : 0;
}

if (require.main === module) {
  main(process.env).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      // The key never reaches an error here un-redacted: the client redacts its own errors, and this is the last guard.
      const key = process.env.CYCLE_API_KEY;
      process.stderr.write(`live check: ${new Redactor([key]).redact(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 1;
    },
  );
}
