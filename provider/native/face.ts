/**
 * The native face: what the `pulumi-resource-cycle` plugin does for each
 * engine call, over the same core as the dynamic face
 * (`resource/operations.ts`). It takes and returns property bags as the
 * engine's `Struct`s hold them (secrets wrapped, see `values.ts`) and holds
 * no transport type, so it is tested with plain objects; `server.ts`
 * translates the gRPC messages.
 *
 * One face per provider process, made at Configure: the engine starts one
 * process per provider resource (default or explicit), so each gets its own
 * settings and its own `ProviderSession`.
 */
import { normalizeBaseUrl } from "../api/baseUrl";
import type { ProviderSettings } from "../config";
import { configuredHubId, CONFIG_KEYS } from "../config";
import { PartialFailureError } from "../errors";
import { EngineContext, progressToStderr } from "../resource/context";
import { invoke } from "../resource/invoke";
import { check, create, diff, read, readForImport, remove, update } from "../resource/operations";
import { previewCreate, previewUpdate } from "../resource/preview";
import { ProviderSession } from "../resource/session";
import { INPUT_NAMES } from "../resource/schema";
import { isUnknown } from "../resource/unknown";
import { Plain, unwrapSecrets, wrapSecrets } from "./values";

type Setting = keyof typeof CONFIG_KEYS;
const SETTINGS = Object.keys(CONFIG_KEYS) as Setting[];

export interface CheckFailure {
  property: string;
  reason: string;
}

/** How one property changes, as `pulumi preview --diff` shows it. */
export type PropertyChange = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

export interface DiffAnswer {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailedDiff: Record<string, { kind: PropertyChange; inputDiff: boolean }>;
}

/** A partial failure on its way to the engine: the properties and inputs to record, secrets wrapped. */
export class InitFailure extends PartialFailureError {
  override name = "InitFailure";
  constructor(
    cause: PartialFailureError,
    readonly inputs: Plain,
  ) {
    super(cause.id, cause.properties, cause.reasons);
    this.stack = cause.stack;
  }
}

// ---------------------------------------------------------------------------
// Provider configuration
// ---------------------------------------------------------------------------

/**
 * The provider's own inputs, checked before any resource call: `hubId` and
 * `apiUrl` with the parsers every face uses. A missing key is not a failure
 * (the environment may hold it). No failure names `apiKey`: the engine
 * prints the value of the property a failure names.
 */
export function checkConfig(news: Plain): { inputs: Plain; failures: CheckFailure[] } {
  const { plain } = unwrapSecrets(news);
  const failures: CheckFailure[] = [];
  const hubId = plain.hubId;
  if (hubId !== undefined && !isUnknown(hubId)) {
    try {
      if (typeof hubId !== "string") throw new Error("hubId must be a string");
      configuredHubId({ hubId }, {});
    } catch (err) {
      failures.push({ property: "hubId", reason: (err as Error).message });
    }
  }
  const apiUrl = plain.apiUrl;
  if (apiUrl !== undefined && !isUnknown(apiUrl)) {
    try {
      if (typeof apiUrl !== "string") throw new Error("apiUrl must be a string");
      normalizeBaseUrl(apiUrl);
    } catch (err) {
      failures.push({ property: "apiUrl", reason: `cycle:apiUrl is not usable: ${(err as Error).message}` });
    }
  }
  if (plain.apiKey !== undefined && !isUnknown(plain.apiKey) && typeof plain.apiKey !== "string") {
    failures.push({ property: "", reason: "cycle:apiKey must be a string" });
  }
  return { inputs: news, failures };
}

/** A change of the provider's settings never replaces a resource: each records its own hub, and a new key or URL re-creates nothing. */
export function diffConfig(olds: Plain, news: Plain): { changes: boolean; changed: string[] } {
  const o = unwrapSecrets(olds).plain;
  const n = unwrapSecrets(news).plain;
  const changed = SETTINGS.filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
  return { changes: changed.length > 0, changed };
}

/**
 * The settings Configure carries: `args` (the provider's inputs, secrets
 * wrapped) first, then `variables` (`cycle:config:<key>`, plain).
 */
export function settingsOf(args: Plain, variables: Record<string, string>): ProviderSettings {
  const { plain } = unwrapSecrets(args);
  const settings: ProviderSettings = {};
  for (const key of SETTINGS) {
    const fromArgs = plain[key];
    const value = typeof fromArgs === "string" && !isUnknown(fromArgs) ? fromArgs : variables[`cycle:config:${key}`];
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

// ---------------------------------------------------------------------------
// The resource
// ---------------------------------------------------------------------------

export class NativeFace {
  private readonly ctx: EngineContext;

  constructor(
    settings: ProviderSettings,
    options: { log?: (line: string) => void; env?: Record<string, string | undefined>; sleep?: EngineContext["sleep"] } = {},
  ) {
    this.ctx = { settings, session: new ProviderSession(), log: options.log ?? progressToStderr, env: options.env, sleep: options.sleep };
  }

  /** Stops every wait in progress (Ctrl-C, or the engine's end of a command): what exists is recorded. */
  cancel(): void {
    this.ctx.session.cancel();
  }

  async check(olds: Plain, news: Plain): Promise<{ inputs: Plain; failures: CheckFailure[] }> {
    const old = unwrapSecrets(olds);
    const declared = unwrapSecrets(news);
    // The engine sends an existing resource's old inputs, and nothing for a new one.
    const exists = Object.keys(old.plain).length > 0;
    const result = await check(this.ctx, old.plain, declared.plain, exists);
    return { inputs: wrapSecrets(result.inputs, declared.secretKeys), failures: result.failures };
  }

  /** `olds` are the recorded outputs. No API call. */
  diff(id: string, olds: Plain, news: Plain): DiffAnswer {
    const recorded = unwrapSecrets(olds).plain;
    const declared = unwrapSecrets(news).plain;
    const result = diff(this.ctx, id, recorded, declared);
    const detailedDiff: DiffAnswer["detailedDiff"] = {};
    for (const name of result.changed) {
      const replace = result.replaces.includes(name);
      const kind = recorded[name] === undefined ? "add" : declared[name] === undefined && isInput(name) ? "delete" : "update";
      detailedDiff[name] = { kind: replace ? `${kind}-replace` : kind, inputDiff: isInput(name) };
    }
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: result.deleteBeforeReplace, detailedDiff };
  }

  /** During a preview, no API call: the inputs and unknown outputs. */
  async create(props: Plain, preview: boolean): Promise<{ id: string; outs: Plain }> {
    const { plain, secretKeys } = unwrapSecrets(props);
    if (preview) return { id: "", outs: wrapSecrets(previewCreate(plain), secretKeys) };
    const result = await this.recording(props, secretKeys, () => create(this.ctx, plain));
    return { id: result.id, outs: wrapSecrets(result.outs, secretKeys) };
  }

  /**
   * Refresh (the recorded outputs are sent) or import (nothing recorded: the
   * ID says where the integration is). Gone: an empty ID.
   */
  async read(id: string, props: Plain, inputs: Plain): Promise<{ id: string; props?: Plain; inputs?: Plain }> {
    const recorded = unwrapSecrets(props);
    if (Object.keys(recorded.plain).length === 0) {
      const imported = await readForImport(this.ctx, id);
      return { id: imported.id, props: imported.props && wrapSecrets(imported.props), inputs: imported.inputs && wrapSecrets(imported.inputs) };
    }
    const secretKeys = new Set([...recorded.secretKeys, ...unwrapSecrets(inputs).secretKeys]);
    const result = await read(this.ctx, id, recorded.plain);
    return { id: result.id, props: result.props && wrapSecrets(result.props, secretKeys), inputs: result.inputs && wrapSecrets(result.inputs, secretKeys) };
  }

  /** `olds` are the recorded outputs. During a preview, no API call. */
  async update(id: string, olds: Plain, news: Plain, preview: boolean): Promise<{ outs: Plain }> {
    const recorded = unwrapSecrets(olds);
    const declared = unwrapSecrets(news);
    const secretKeys = new Set([...recorded.secretKeys, ...declared.secretKeys]);
    if (preview) return { outs: wrapSecrets(previewUpdate(recorded.plain, declared.plain), secretKeys) };
    const result = await this.recording(news, secretKeys, () => update(this.ctx, id, recorded.plain, declared.plain));
    return { outs: wrapSecrets(result.outs, secretKeys) };
  }

  async delete(id: string, props: Plain): Promise<void> {
    await remove(this.ctx, id, unwrapSecrets(props).plain);
  }

  /** A function of the package (`getIntegration`, ...): a read, so it runs in preview too. Bad arguments are failures; results never carry `auth`. */
  async invoke(token: string, args: Plain): Promise<{ result?: Plain; failures: CheckFailure[] }> {
    return invoke(this.ctx, token, unwrapSecrets(args).plain);
  }

  /** A partial failure carries what to record with secrets wrapped, and the inputs it was given. */
  private async recording<T>(inputs: Plain, secretKeys: ReadonlySet<string>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof PartialFailureError)) throw err;
      const wrapped = new PartialFailureError(err.id, wrapSecrets(err.properties, secretKeys), err.reasons);
      wrapped.stack = err.stack;
      throw new InitFailure(wrapped, wrapSecrets(inputs, secretKeys));
    }
  }
}

function isInput(name: string): boolean {
  return (INPUT_NAMES as string[]).includes(name);
}
