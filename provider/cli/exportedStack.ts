/**
 * The exported stack of `pulumi stack export` (schema version 3) as
 * `pulumi-cycle recover` reads and rewrites it: loosely typed, every field
 * we do not know carried over untouched. No process, network or file access
 * here.
 */
import type { Integration, IntegrationDefinition } from "../api/types";
import { toOutputs } from "../resource/outputs";
import { PROVIDER_KEY, stripUndefined } from "../resource/props";

/** The type token of an Integration in state (a dynamic resource of module `cycle`). */
export const INTEGRATION_TYPE = "pulumi-nodejs:dynamic/cycle:Integration";
/** The type token of the native provider's Integration (the plugin `pulumi-resource-cycle`). */
export const NATIVE_INTEGRATION_TYPE = "cycle:index:Integration";
/** The type of the native provider's provider resources (default and explicit). */
export const NATIVE_PROVIDER_TYPE = "pulumi:providers:cycle";

/**
 * Whether a resource of this type is an integration of either face. Both
 * record the same inputs and outputs under the same keys (secrets as the
 * engine's ciphertext objects); the dynamic one adds `__provider`.
 */
export function isIntegrationType(type: string | undefined): boolean {
  return type === INTEGRATION_TYPE || type === NATIVE_INTEGRATION_TYPE;
}
/** The root resource every update registers first. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

// ---------------------------------------------------------------------------
// The exported state (`pulumi stack export`, schema version 3), loosely typed:
// every field we do not know is carried over untouched.
// ---------------------------------------------------------------------------

export type { Props } from "../resource/props";
import type { Props } from "../resource/props";

export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Props;
  outputs?: Props;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  created?: string;
  modified?: string;
  [key: string]: unknown;
}

export interface PendingOperation {
  resource: StateResource;
  type: string;
  [key: string]: unknown;
}

export interface ExportedStack {
  version: number;
  deployment: {
    manifest?: { time?: string; [key: string]: unknown };
    resources?: StateResource[];
    pending_operations?: PendingOperation[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One entry of `pulumi stack history --json` (the fields we use). */
export interface HistoryEntry {
  kind?: string;
  startTime?: string;
  endTime?: string;
  result?: string;
  version?: number;
}

export function parseExport(text: string): ExportedStack {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error("`pulumi stack export` did not print JSON");
  }
  const d = doc as ExportedStack;
  if (!d || typeof d !== "object" || typeof d.deployment !== "object" || d.deployment === null) {
    throw new Error("`pulumi stack export` printed no deployment");
  }
  if (d.version !== 3) throw new Error(`unsupported state format version ${String(d.version)} (this command reads version 3)`);
  return d;
}

export function parseHistory(text: string): HistoryEntry[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "null") return [];
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    throw new Error("`pulumi stack history --json` did not print JSON");
  }
  if (!Array.isArray(doc)) throw new Error("`pulumi stack history --json` did not print a list");
  return doc as HistoryEntry[];
}

// ---------------------------------------------------------------------------
// The new state
// ---------------------------------------------------------------------------

/**
 * What the provider records after a create (`toOutputs`), from the live
 * integration and the recorded inputs: the inputs as recorded (the `auth`
 * ciphertext and, for the dynamic face, `__provider` untouched), plus what
 * the hub says.
 * `verified` is false unless the integration is `live` (a vendor that has no
 * verification counts as verified, as on create).
 */
export function recoveredOutputs(
  live: Integration,
  inputs: Props,
  definition: IntegrationDefinition | undefined,
  redact: (s: string) => string = (s) => s,
): Props {
  // The recorded inputs as they are (their secrets still encrypted): copied into the outputs, never parsed.
  const outs = toOutputs(live, inputs, definition, undefined, { redactor: { redact } });
  if (!definition) {
    // Nothing says the vendor needs no verification: leave it to the next `up` to decide.
    outs.supportsVerification = true;
    outs.verified = live.state.current === "live";
  }
  return stripUndefined({ ...inputs, ...outs, auth: inputs.auth, [PROVIDER_KEY]: inputs[PROVIDER_KEY] });
}

export interface Recovery {
  urn: string;
  integration: Integration;
  definition?: IntegrationDefinition;
}

/**
 * The exported state with each recovered pending create made a resource and
 * every handled pending operation (`handled`: matched and unmatched)
 * removed. Everything else is carried over as it was. `now` stamps
 * `created`/`modified` as the engine does on create.
 */
export function rewriteState(
  state: ExportedStack,
  recoveries: Recovery[],
  handled: ReadonlySet<string>,
  now: Date,
  redact?: (s: string) => string,
): ExportedStack {
  const ops = state.deployment.pending_operations ?? [];
  const resources = [...(state.deployment.resources ?? [])];
  const known = new Set(resources.map((r) => r.urn));
  for (const rec of recoveries) {
    const op = ops.find((o) => o.type === "creating" && o.resource.urn === rec.urn);
    if (!op) throw new Error(`no pending create for ${rec.urn}`);
    if (known.has(rec.urn)) throw new Error(`${rec.urn} is already in the stack's resources`);
    for (const ref of [op.resource.parent, op.resource.provider ? providerUrn(op.resource.provider) : undefined, ...(op.resource.dependencies ?? [])]) {
      if (ref !== undefined && !known.has(ref)) throw new Error(`${rec.urn} refers to ${ref}, which is not in the stack's resources`);
    }
    const inputs = { ...(op.resource.inputs ?? {}) };
    const stamp = now.toISOString();
    resources.push({
      ...op.resource,
      urn: rec.urn,
      custom: true,
      id: rec.integration.id,
      type: op.resource.type,
      inputs,
      outputs: recoveredOutputs(rec.integration, inputs, rec.definition, redact),
      created: stamp,
      modified: stamp,
    });
    known.add(rec.urn);
  }
  const remaining = ops.filter((o) => !(o.type === "creating" && handled.has(o.resource.urn)));
  const deployment = { ...state.deployment, resources };
  if (remaining.length > 0) deployment.pending_operations = remaining;
  else delete deployment.pending_operations;
  return { ...state, deployment };
}

/** A provider reference is `<provider urn>::<provider id>`. */
export function providerUrn(ref: string): string {
  const i = ref.lastIndexOf("::");
  return i < 0 ? ref : ref.slice(0, i);
}
