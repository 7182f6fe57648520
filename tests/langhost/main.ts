/**
 * pulumi-language-nodejs for the tests: a LanguageRuntime gRPC server that
 * runs a Node.js program the way the official host of Pulumi v3.248.0 does
 * (see README.md for what it covers and leaves out, and official.ts for the
 * arguments and environment it passes).
 *
 *   pulumi-language-nodejs [-tracing URL] [-runtime nodejs] [-version] <engine address>
 *
 * Prints the port it listens on, as every plugin does. Set
 * PULUMI_CYCLE_LANGHOST_LOG to a file to have each call appended to it as a
 * line of JSON (method, and for Run the command it started).
 */
import { spawn, spawnSync, ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import { GRPC_OPTIONS } from "./grpcOptions";
import { startMonitorProxy } from "./monitorProxy";
import {
  DEFAULT_RUN_PATH,
  EXIT_CODE_ALREADY_REPORTED,
  MIRRORED_VERSION,
  OOM_MARKERS,
  OOM_MESSAGE,
  configJson,
  configSecretKeysJson,
  locateModuleScript,
  parseRuntimeOptions,
  runArguments,
  runEnvironment,
  shlexSplit,
} from "./official";
import { incompatiblePulumiVersions, requiredPackages } from "./packages";

interface Flags {
  tracing: string;
  runtime: string;
  version: boolean;
  engineAddress: string;
}

/** Go's `flag` package: `-name value`, `--name value`, `-name=value`; flags stop at the first positional argument. */
function parseFlags(argv: string[]): Flags {
  const flags: Flags = { tracing: "", runtime: "nodejs", version: false, engineAddress: "" };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) break;
    const [, name, inline] = m;
    if (name === "version") flags.version = inline === undefined || inline === "true";
    else if (name === "tracing" || name === "runtime") flags[name] = inline ?? argv[++i] ?? "";
    else throw new Error(`flag provided but not defined: -${name}`);
  }
  flags.engineAddress = argv[i] ?? "";
  return flags;
}

function log(entry: Record<string, unknown>): void {
  const file = process.env.PULUMI_CYCLE_LANGHOST_LOG;
  if (file) fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, at: new Date().toISOString(), ...entry })}\n`);
}

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, bin);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function infoOf(info: langproto.ProgramInfo | undefined): { root: string; program: string; entry: string; options: Record<string, unknown> } {
  return {
    root: info?.getRootDirectory() ?? "",
    program: info?.getProgramDirectory() ?? "",
    entry: info?.getEntryPoint() ?? "",
    options: info?.getOptions()?.toJavaScript() ?? {},
  };
}

function packageManagerOf(option: string, dir: string): string {
  if (option !== "auto") return option;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "yarn.lock"))) return "yarn";
    if (fs.existsSync(path.join(d, "pnpm-lock.yaml"))) return "pnpm";
    if (fs.existsSync(path.join(d, "bun.lock")) || fs.existsSync(path.join(d, "bun.lockb"))) return "bun";
    if (fs.existsSync(path.join(d, "package-lock.json"))) return "npm";
    if (path.dirname(d) === d) return "npm";
  }
}

class LanguageHost {
  private engineAddress: string;
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly flags: Flags) {
    this.engineAddress = flags.engineAddress;
  }

  cancelAll(): void {
    for (const child of this.running) child.kill("SIGINT");
  }

  implementation(): Partial<langrpc.ILanguageRuntimeServer> {
    const unary =
      <Req, Res>(name: string, fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) =>
      (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>): void => {
        log({ method: name });
        fn(call.request, call).then(
          (res) => callback(null, res),
          (err: unknown) => {
            log({ method: name, error: String(err) });
            callback({ code: (err as { code?: number }).code ?? grpc.status.UNKNOWN, details: err instanceof Error ? err.message : String(err) });
          },
        );
      };
    return {
      handshake: unary("Handshake", async (req: langproto.LanguageHandshakeRequest) => {
        this.engineAddress = req.getEngineAddress();
        return new langproto.LanguageHandshakeResponse();
      }),
      getRequiredPlugins: unary("GetRequiredPlugins", async () => {
        // As the official host: the engine asks for packages instead.
        throw Object.assign(new Error("method GetRequiredPlugins not implemented"), { code: grpc.status.UNIMPLEMENTED });
      }),
      getRequiredPackages: unary("GetRequiredPackages", async (req: langproto.GetRequiredPackagesRequest) => {
        const { packages, pulumiVersions } = requiredPackages(infoOf(req.getInfo()).program);
        const warning = incompatiblePulumiVersions(pulumiVersions);
        if (warning) process.stderr.write(warning);
        const res = new langproto.GetRequiredPackagesResponse();
        res.setPackagesList(
          packages.map((p) => {
            const dep = new plugproto.PackageDependency();
            dep.setName(p.name);
            dep.setKind(p.kind);
            dep.setVersion(p.version);
            dep.setServer(p.server);
            if (p.parameterization) {
              const param = new plugproto.PackageParameterization();
              param.setName(p.parameterization.name);
              param.setVersion(p.parameterization.version);
              param.setValue(Buffer.from(p.parameterization.value, "base64"));
              dep.setParameterization(param);
            }
            return dep;
          }),
        );
        return res;
      }),
      getPluginInfo: unary("GetPluginInfo", async () => {
        const info = new plugproto.PluginInfo();
        info.setVersion(MIRRORED_VERSION);
        return info;
      }),
      run: unary("Run", (req: langproto.RunRequest, call) => this.run(req, call)),
      about: unary("About", async (req: langproto.AboutRequest) => {
        const { program, options } = infoOf(req.getInfo());
        const opts = parseRuntimeOptions(options);
        const node = which("node");
        if (!node) throw new Error('could not find executable "node"');
        const pm = packageManagerOf(opts.packagemanager, program);
        const version = (cmd: string): string => {
          const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
          return r.status === 0 ? r.stdout.trim() : "";
        };
        const res = new langproto.AboutResponse();
        res.setExecutable(node);
        res.setVersion(version("node"));
        res.getMetadataMap().set("packagemanager", pm);
        res.getMetadataMap().set("packagemanagerVersion", version(pm));
        return res;
      }),
      getProgramDependencies: unary("GetProgramDependencies", async (req: langproto.GetProgramDependenciesRequest) => {
        const { program } = infoOf(req.getInfo());
        const args = ["ls", "--json", req.getTransitivedependencies() ? "--all" : "--depth=0"];
        const r = spawnSync("npm", args, { cwd: program, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const tree = JSON.parse(r.stdout || "{}") as { dependencies?: Record<string, { version?: string; dependencies?: unknown }> };
        const res = new langproto.GetProgramDependenciesResponse();
        const seen = new Set<string>();
        const add = (deps: Record<string, { version?: string; dependencies?: unknown }> | undefined): void => {
          for (const [name, d] of Object.entries(deps ?? {})) {
            if (d.version && !seen.has(`${name}@${d.version}`)) {
              seen.add(`${name}@${d.version}`);
              const info = new langproto.DependencyInfo();
              info.setName(name);
              info.setVersion(d.version);
              res.addDependencies(info);
            }
            add(d.dependencies as typeof deps);
          }
        };
        add(tree.dependencies);
        return res;
      }),
      runtimeOptionsPrompts: unary("RuntimeOptionsPrompts", async () => new langproto.RuntimeOptionsResponse()),
      cancel: unary("Cancel", async () => {
        this.cancelAll();
        return new emptyproto.Empty();
      }),
      installDependencies: (call: grpc.ServerWritableStream<langproto.InstallDependenciesRequest, langproto.InstallDependenciesResponse>) => {
        log({ method: "InstallDependencies" });
        const { program, options } = infoOf(call.request.getInfo());
        const write = (stdout: string | Buffer, stderr?: Buffer): void => {
          const res = new langproto.InstallDependenciesResponse();
          res.setStdout(typeof stdout === "string" ? Buffer.from(stdout) : stdout);
          if (stderr) res.setStderr(stderr);
          call.write(res);
        };
        write("Installing dependencies...\n\n");
        const pm = packageManagerOf(parseRuntimeOptions(options).packagemanager, program);
        const child = spawn(pm, ["install"], { cwd: program, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.on("data", (d: Buffer) => write(d));
        child.stderr.on("data", (d: Buffer) => write(Buffer.alloc(0), d));
        child.on("error", (err) => call.destroy(err));
        child.on("close", (code) => {
          if (code !== 0) {
            call.destroy(Object.assign(new Error(`${pm} install failed: exit status ${code}`), { code: grpc.status.UNKNOWN }));
            return;
          }
          write("Finished installing dependencies\n\n");
          call.end();
        });
      },
    };
  }

  private async run(req: langproto.RunRequest, call: grpc.ServerUnaryCall<langproto.RunRequest, langproto.RunResponse>): Promise<langproto.RunResponse> {
    const response = (error: string, bail = false): langproto.RunResponse => {
      const r = new langproto.RunResponse();
      r.setError(error);
      r.setBail(bail);
      return r;
    };
    if (this.engineAddress === "") throw new Error("when debugging or running explicitly, must call Handshake before Run");
    const info = infoOf(req.getInfo());

    const proxy = await startMonitorProxy(req.getMonitorAddress());
    // The directory named by --sync. @pulumi/pulumi 3.248 never opens the
    // pipes in it (tryGetSyncInvokes has no caller), so none are served.
    const syncDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-node-pipes"));
    try {
      const node = which("node");
      if (!node) return response(`could not find node on the $PATH: exec: "node": executable file not found in $PATH`);
      const located = spawnSync(node, ["-e", locateModuleScript(process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || DEFAULT_RUN_PATH)], {
        cwd: info.program,
        encoding: "utf8",
      });
      if (located.status !== 0) return response(located.stderr || located.error?.message || "could not locate @pulumi/pulumi/cmd/run");
      const runPath = located.stdout.trim();

      const args = runArguments({
        runPath,
        monitorAddress: proxy.address,
        engineAddress: this.engineAddress,
        syncDirectory,
        organization: req.getOrganization(),
        project: req.getProject(),
        rootDirectory: info.root,
        stack: req.getStack(),
        programDirectory: info.program,
        dryRun: req.getDryrun(),
        parallel: req.getParallel(),
        tracing: this.flags.tracing,
        entryPoint: info.entry,
        args: req.getArgsList(),
      });
      let config: string;
      try {
        config = configJson(req.getConfigMap().getEntryList());
      } catch (err) {
        return response(`failed to serialize configuration: ${(err as Error).message}`);
      }
      let options;
      try {
        options = parseRuntimeOptions(info.options);
      } catch (err) {
        return response((err as Error).message);
      }
      const env = runEnvironment(process.env, {
        config,
        configSecretKeys: configSecretKeysJson(req.getConfigsecretkeysList()),
        options,
        otelEndpoint: process.env.PULUMI_OTEL_EXPORTER_OTLP_ENDPOINT,
      });
      const nodeArgs = [...shlexSplit(options.nodeargs), ...args];
      const added = Object.fromEntries(Object.entries(env).filter(([k, v]) => process.env[k] !== v));
      log({ method: "Run", node, argv: nodeArgs, cwd: process.cwd(), envAdded: Object.keys(added).sort(), typescript: added.PULUMI_NODEJS_TYPESCRIPT });

      return await new Promise<langproto.RunResponse>((resolve) => {
        const child = spawn(node, nodeArgs, { env, stdio: ["ignore", "pipe", "pipe"] });
        this.running.add(child);
        let oom = false;
        let tail = "";
        child.stdout.pipe(process.stdout, { end: false });
        child.stderr.on("data", (d: Buffer) => {
          process.stderr.write(d);
          tail = (tail + d.toString()).slice(-4096);
          if (OOM_MARKERS.some((m) => tail.includes(m))) oom = true;
        });
        const cancel = (): void => {
          child.kill("SIGINT");
          setTimeout(() => child.kill("SIGKILL"), 5000).unref();
        };
        call.on("cancelled", cancel);
        child.on("error", (err) => {
          this.running.delete(child);
          resolve(response(`Problem executing program (could not run language executor): ${err.message}`));
        });
        child.on("close", (code, signal) => {
          this.running.delete(child);
          log({ method: "Run", closed: code ?? signal });
          if (code === 0) return resolve(response(""));
          if (code === EXIT_CODE_ALREADY_REPORTED) return resolve(response("", true));
          // A process ended by a signal has no exit code; Go's ExitCode() reports -1.
          const shown = code ?? -1;
          log({ method: "Run", exit: shown, signal });
          resolve(response(`Program exited with non-zero exit code: ${shown}${oom ? `. ${OOM_MESSAGE}` : ""}`));
        });
      });
    } finally {
      proxy.close();
      fs.rmSync(syncDirectory, { recursive: true, force: true });
    }
  }
}

/**
 * `rpcutil.Healthcheck`: the host stops when the engine no longer answers.
 * The official host checks every 5 minutes; this one every 5 seconds, so a
 * test that kills the CLI leaves no host behind for long.
 */
function watchEngine(address: string, onGone: () => void): void {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), GRPC_OPTIONS);
  const raw = (b: Buffer): Buffer => b;
  const timer = setInterval(() => {
    client.makeUnaryRequest("/grpc.health.v1.Health/Check", raw, raw, Buffer.alloc(0), { deadline: Date.now() + 4000 }, (err) => {
      if (err && err.code !== grpc.status.UNIMPLEMENTED) {
        clearInterval(timer);
        onGone();
      }
    });
  }, 5000);
  timer.unref();
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.version) {
    console.log(MIRRORED_VERSION);
    return;
  }
  if (flags.runtime !== "nodejs") throw new Error(`unsupported runtime: ${flags.runtime} (this test host runs nodejs only)`);
  const host = new LanguageHost(flags);
  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(langrpc.LanguageRuntimeService, host.implementation() as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const stop = (): void => {
    host.cancelAll();
    server.forceShutdown();
    setTimeout(() => process.exit(0), 100).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (flags.engineAddress) watchEngine(flags.engineAddress, stop);
  log({ method: "(start)", argv: process.argv.slice(2) });
  console.log(String(port));
}

main().catch((err: unknown) => {
  process.stderr.write(`pulumi-language-nodejs (test host): ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
