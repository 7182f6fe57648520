/**
 * Running a given Pulumi program file (such as the TypeScript module
 * `pulumi-cycle import` writes) in an e2e project made by `harness.ts`,
 * beside the harness's own JSON-declared program, which it leaves alone.
 *
 * - `compileProgram` type-checks the module (strict) with the repository's
 *   TypeScript, resolving `pulumi-cycle` and `@pulumi/pulumi` from the
 *   project's own install of the packed package, and writes its JavaScript
 *   next to it, as a user's `tsc` would.
 * - `runProgramFile` runs one operation with `driver-file.js`, written into
 *   the project: the same Automation API inline-program driver as the
 *   harness's, whose program is the given file (fresh on every run).
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { operationEnv, runDriver } from "./harness";
import type { E2EProject, OpResult } from "./harness";

const ROOT = path.resolve(__dirname, "..", "..");

const DRIVER = `// Written by tests/e2e/programFile.ts: runs one Pulumi operation, the program
// being the module named by PULUMI_CYCLE_PROGRAM, as an inline program.
const auto = require("@pulumi/pulumi/automation");

async function main() {
  const [stackName, op, raw] = process.argv.slice(2);
  const opts = raw ? JSON.parse(raw) : {};
  const file = require.resolve(process.env.PULUMI_CYCLE_PROGRAM);
  const program = async () => {
    delete require.cache[file];
    return { ...require(file) };
  };
  const pulumiCommand = await auto.PulumiCommand.get({ root: process.env.PULUMI_CLI_ROOT });
  const stack = await auto.LocalWorkspace.createOrSelectStack(
    { projectName: "cycle-e2e", stackName, program },
    { workDir: __dirname, pulumiCommand, projectSettings: { name: "cycle-e2e", runtime: "nodejs" } },
  );
  const color = "never";
  switch (op) {
    case "init":
      return {};
    case "up": {
      const r = await stack.up({ color, refresh: opts.refresh === true });
      return { changes: r.summary.resourceChanges, outputs: r.outputs, stdout: r.stdout };
    }
    case "preview": {
      // The flags the gitops workflows pass: --diff, --refresh, --expect-no-changes.
      const r = await stack.preview({ color, diff: opts.diff === true, refresh: opts.refresh === true, expectNoChanges: opts.expectNoChanges === true });
      return { changes: r.changeSummary, stdout: r.stdout };
    }
    case "refresh": {
      const r = await stack.refresh({ color });
      return { changes: r.summary.resourceChanges, stdout: r.stdout };
    }
    case "previewRefresh": {
      // pulumi refresh --preview-only [--expect-no-changes]
      const r = await stack.previewRefresh({ color, expectNoChanges: opts.expectNoChanges === true });
      return { changes: r.changeSummary, stdout: r.stdout };
    }
    case "destroy": {
      const r = await stack.destroy({ color });
      return { changes: r.summary.resourceChanges, stdout: r.stdout };
    }
    default:
      throw new Error("unknown op " + op);
  }
}

// The CLI's own exit code ("Command failed with exit code N" in the Automation
// API's error), else the Automation API's code.
function exitCodeOf(err) {
  const m = /Command failed with exit code (\\d+)/.exec(String((err && err.message) || ""));
  if (m) return Number(m[1]);
  return err && err.commandResult ? err.commandResult.code : undefined;
}

main().then(
  (result) => console.log("__RESULT__" + JSON.stringify({ ok: true, ...result })),
  (err) =>
    console.log(
      "__RESULT__" +
        JSON.stringify({ ok: false, error: String((err && err.message) || err), exitCode: exitCodeOf(err) }),
    ),
);
`;

/**
 * Type-checks `tsFile` (inside the project) under `strict` and writes its
 * JavaScript next to it; returns the JavaScript file. Throws with every
 * diagnostic when it does not compile.
 */
export function compileProgram(p: E2EProject, tsFile: string): string {
  const file = path.resolve(p.dir, tsFile);
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    // The user's project would have @types/node; the e2e project takes the repository's.
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
    types: ["node"],
    outDir: path.dirname(file),
    rootDir: path.dirname(file),
  };
  const program = ts.createProgram([file], options);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
    const where = d.file && d.start !== undefined ? `${path.relative(p.dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  if (diagnostics.length > 0) throw new Error(`${tsFile} does not compile:\n${diagnostics.join("\n")}`);
  return file.replace(/\.ts$/, ".js");
}

/** What `runProgramFile` answers: the harness's result, and the CLI's exit code when it failed. */
export interface FileOpResult extends OpResult {
  exitCode?: number;
}

/**
 * Runs one operation on `stack` with `programFile` as the program; never
 * throws for a failed operation. Operations: init (create or select the
 * stack), up (option refresh), preview (options diff, refresh, expectNoChanges), refresh,
 * previewRefresh (`refresh --preview-only`, option expectNoChanges), destroy.
 * The harness's own program.js (reading program.<stack>.json) is a program
 * file like any other.
 */
export function runProgramFile(p: E2EProject, stack: string, op: string, programFile: string, opts: Record<string, unknown> = {}): Promise<FileOpResult> {
  const driver = path.join(p.dir, "driver-file.js");
  if (!fs.existsSync(driver)) fs.writeFileSync(driver, DRIVER);
  // As the harness's run: the provider gets its connection from stack config alone.
  return runDriver<FileOpResult>(p, driver, [stack, op, JSON.stringify(opts)], operationEnv(p, { PULUMI_CYCLE_PROGRAM: path.resolve(p.dir, programFile) }));
}

/**
 * Splits one printed shell command (`pulumi config set --secret k '<...>'  # note`)
 * into words: single quotes honoured, the trailing comment dropped.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unbalanced quote in: ${line}`);
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === "#" && !inWord) {
      break;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
