/**
 * The pure part of `pulumi-cycle import`: from a hub's integrations and its
 * catalogue, in one of three formats, what the command writes:
 * - `typescript`: a program module that adopts them (`adoptId`) with the
 *   dynamic `Integration`;
 * - `yaml`: the same program in Pulumi YAML with the native
 *   `cycle:index:Integration` (`importYaml.ts`);
 * - `bulk`: a file for `pulumi import --file` (`importBulk.ts`), which reads
 *   each integration and sends nothing.
 * Plus the `pulumi config set --secret` commands the programs' credentials
 * need, and what was left out and why. No process, network or file access
 * here: see `import.ts`.
 *
 * Naming, so that a second import of the same hub writes the same program:
 * - the resource name is the integration's identifier, lowercased, with
 *   every run of characters other than `a-z`, `0-9` and `-` turned into `-`
 *   (the vendor when nothing is left); integrations that end up with the same
 *   name are ordered by creation time, then ID, and the second and later get
 *   `-2`, `-3`, ...;
 * - each credential field is read from the secret stack config key
 *   `<resource name>.<field>`, the field spelt as in `IntegrationArgs.auth`
 *   (`aws-prod.keyId`, `aws-prod.secret`).
 *
 * What is written must preview: an integration whose current values the
 * provider's own check refuses today (a value made under a looser pattern of
 * its vendor, a name shorter than the API now takes) is left out with the
 * failures as the reason, rather than written into a program whose preview
 * would fail as a whole. The check is the provider's (`validate.ts`), run on
 * exactly the inputs the module declares, so the two cannot disagree.
 */
import type { AuthField, Integration, IntegrationDefinition } from "../api/types";
import type { Catalogue } from "../catalogue";
import { AUTH_NAMES } from "../resource/model";
import { UNKNOWN } from "../resource/unknown";
import { checkDeclaration } from "../resource/parse";
import { validateAgainstDefinition } from "../resource/validate";
import { NATIVE_INTEGRATION_TYPE } from "./exportedStack";
import { bulkImportFile } from "./importBulk";
import { renderYamlProgram } from "./importYaml";
import { commentSafe } from "./text";

/** What `pulumi-cycle import` writes. */
export const IMPORT_FORMATS = ["typescript", "yaml", "bulk"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format named `s`, or undefined when there is none. */
export function parseImportFormat(s: string): ImportFormat | undefined {
  return IMPORT_FORMATS.find((f) => f === s);
}

export interface ImportInput {
  hubId: string;
  apiUrl: string;
  /** Every integration of the hub (every page). */
  integrations: Integration[];
  /** The hub's catalogue. */
  catalogue: Catalogue;
  /** Shown in the generated file's header. */
  packageVersion: string;
  /** Added to the printed `pulumi config set` commands when given. */
  stack?: string;
  /** Default `typescript`. */
  format?: ImportFormat;
}

/** One credential field of one emitted integration. */
export interface ConfigNeed {
  /** The stack config key, e.g. `aws-prod.keyId`. */
  key: string;
  resource: string;
  /** `IntegrationArgs.auth` field name, e.g. `keyId`. */
  field: string;
  /** The vendor's label for it, e.g. `Access Key ID`. */
  label: string;
  required: boolean;
}

export interface EmittedIntegration {
  resource: string;
  integration: Integration;
  config: ConfigNeed[];
}

export interface SkippedIntegration {
  integration: Integration;
  reason: string;
}

export interface ImportPlan {
  emitted: EmittedIntegration[];
  skipped: SkippedIntegration[];
  /** What is written: the program module (TypeScript), the YAML program, or the bulk-import file (JSON). */
  source: string;
  /** The commands to run, one a line (`pulumi config set --secret <key> '<...>'`), values never filled in. */
  commands: string[];
}

const AUTH_API_NAMES = Object.keys(AUTH_NAMES) as AuthField[];

/** A stable, valid Pulumi resource name from an identifier (or the vendor when nothing usable is left). */
export function resourceNameFrom(identifier: string, vendor: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^-+|-+$/g, "");
  return clean(identifier) || clean(vendor) || "integration";
}

/**
 * Why an integration cannot be imported with `pulumi import` (bulk file), or
 * undefined when it can. Import reads it and sends nothing, so its vendor's
 * definition does not matter: only an integration on its way out is left.
 */
export function bulkSkipReason(i: Integration): string | undefined {
  if (i.state.current === "deleting" || i.state.current === "deleted") return `it is ${i.state.current}`;
  return undefined;
}

/** Why an integration cannot be adopted by a program, or undefined when it can. */
export function skipReason(i: Integration, def: IntegrationDefinition | undefined): string | undefined {
  if (i.state.current === "deleting" || i.state.current === "deleted") return `it is ${i.state.current}`;
  if (!def) return `vendor \`${i.vendor}\` is not in the hub's catalogue`;
  if (def.deprecated)
    return `vendor \`${i.vendor}\` is deprecated: a program cannot declare it (new integrations of it cannot be created); it keeps working in the hub`;
  if (!def.usable) return `vendor \`${i.vendor}\` cannot be used at this time`;
  if (!def.editable) {
    return `vendor \`${i.vendor}\` is not editable: adopting it would send its credentials, which the API refuses to change on an integration of it; declare it yourself if it is to be re-created`;
  }
  const unknown = Object.keys(def.fields.auth ?? {}).filter((f) => !(AUTH_API_NAMES as string[]).includes(f));
  if (unknown.length > 0) return `vendor \`${i.vendor}\` has credential fields this version of pulumi-cycle does not know (${unknown.join(", ")})`;
  const refused = refusedValues(i, def);
  if (refused.length > 0) {
    return `its current values are refused by today's checks (${refused.join("; ")}), so a program declaring them would fail \`pulumi preview\`; to manage it, declare values they accept (the first \`pulumi up\` then changes it in the hub to them), or change it in the hub and import again`;
  }
  return undefined;
}

/**
 * The inputs the module declares for an integration, as check sees them at
 * preview: credentials come from stack config, whose values are the user's
 * to set right, so they stand as unknown.
 */
export function declaredInputs(i: Integration, def: IntegrationDefinition) {
  const auth: Record<string, string> = Object.fromEntries(Object.keys(def.fields.auth ?? {}).map((apiName) => [AUTH_NAMES[apiName as AuthField], UNKNOWN]));
  const inputs = {
    vendor: i.vendor,
    name: i.name,
    identifier: i.identifier,
    hubId: i.hub_id,
    ...(i.extra && Object.keys(i.extra).length > 0 ? { extra: { ...i.extra } } : {}),
    ...(Object.keys(auth).length > 0 ? { auth } : {}),
    adoptId: i.id,
  };
  return inputs;
}

/**
 * What the provider's check (shape, then the vendor's definition, as for a
 * new resource: an adopted one is new to the stack) says about the values
 * the module would declare: one line per failure, naming the property.
 */
export function refusedValues(i: Integration, def: IntegrationDefinition): string[] {
  const inputs = declaredInputs(i, def);
  const failures = [...checkDeclaration(inputs).failures, ...validateAgainstDefinition(inputs, { definition: def, existing: false })];
  return failures.map((f) => f.reason);
}

/** Orders integrations for naming: by creation time, then ID. */
function byCreation(a: Integration, b: Integration): number {
  const ta = Date.parse(a.events.created);
  const tb = Date.parse(b.events.created);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Names every emitted integration: derived from its identifier, deduplicated in creation order. */
export function assignNames(integrations: Integration[]): Map<string, string> {
  const sorted = [...integrations].sort(byCreation);
  const taken = new Set<string>();
  const out = new Map<string, string>();
  // Base names first, so that `x-2` derived from an identifier is not taken by a duplicate of `x`.
  const bases = new Map(sorted.map((i) => [i.id, resourceNameFrom(i.identifier, i.vendor)]));
  const wanted = new Map<string, number>();
  for (const b of bases.values()) wanted.set(b, (wanted.get(b) ?? 0) + 1);
  for (const i of sorted) {
    const base = bases.get(i.id)!;
    let name = base;
    if (taken.has(name)) {
      for (let n = 2; ; n++) {
        const candidate = `${base}-${n}`;
        if (!taken.has(candidate) && !wanted.has(candidate)) {
          name = candidate;
          break;
        }
      }
    }
    taken.add(name);
    out.set(i.id, name);
  }
  return out;
}

/** A shell word: as is when safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const str = (s: string) => JSON.stringify(s);

/** A TypeScript property key: bare when it is an identifier, else quoted. */
function key(s: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? s : str(s);
}

export function buildImportPlan(input: ImportInput): ImportPlan {
  const format = input.format ?? "typescript";
  const skipped: SkippedIntegration[] = [];
  const kept: Integration[] = [];
  for (const i of input.integrations) {
    const why = format === "bulk" ? bulkSkipReason(i) : (skipReason(i, input.catalogue.get(i.vendor)?.definition) ?? yamlSkipReason(i, format));
    if (why) skipped.push({ integration: i, reason: why });
    else kept.push(i);
  }
  // Listed in creation order, whatever order the hub gave: the same hub gives the same file.
  skipped.sort((a, b) => byCreation(a.integration, b.integration));
  const names = assignNames(kept);
  const emitted: EmittedIntegration[] = [...kept]
    .sort((a, b) => {
      const na = names.get(a.id)!;
      const nb = names.get(b.id)!;
      return na < nb ? -1 : na > nb ? 1 : 0;
    })
    .map((integration) => {
      const resource = names.get(integration.id)!;
      // A bulk import sends nothing: no credential is asked for.
      if (format === "bulk") return { resource, integration, config: [] };
      const def = input.catalogue.get(integration.vendor)!.definition;
      const config: ConfigNeed[] = AUTH_API_NAMES.filter((f) => def.fields.auth && f in def.fields.auth).map((apiName) => {
        const field = AUTH_NAMES[apiName];
        const spec = def.fields.auth![apiName];
        return { key: `${resource}.${field}`, resource, field, label: spec.name, required: spec.required };
      });
      return { resource, integration, config };
    });

  const stackFlag = input.stack ? ` --stack ${shellWord(input.stack)}` : "";
  const commands: string[] = [];
  for (const e of emitted) {
    for (const c of e.config) {
      commands.push(
        `pulumi config set --secret${stackFlag} ${shellWord(c.key)} '<${c.label.replace(/'/g, "")}>'    # ${e.integration.vendor} "${commentSafe(e.integration.name).replace(/"/g, "'")}" (${e.integration.id})${c.required ? "" : ", optional"}`,
      );
    }
  }

  const source =
    format === "bulk"
      ? bulkImportFile(emitted.map((e) => ({ type: NATIVE_INTEGRATION_TYPE, name: e.resource, id: `${e.integration.hub_id}/${e.integration.id}` })))
      : format === "yaml"
        ? renderYamlProgram(input, emitted, skipped)
        : renderModule(input, emitted, skipped);
  return { emitted, skipped, source, commands };
}

/**
 * Pulumi YAML reads a map with one key `fn::...` as a function call: a
 * vendor setting of that name could not be written as data. (No vendor has
 * one today.)
 */
function yamlSkipReason(i: Integration, format: ImportFormat): string | undefined {
  if (format !== "yaml") return undefined;
  const odd = Object.keys(i.extra ?? {}).filter((k) => /^fn::/i.test(k));
  return odd.length > 0 ? `its vendor settings ${odd.join(", ")} cannot be written in Pulumi YAML (a key \`fn::...\` is a function call there)` : undefined;
}

function renderModule(input: ImportInput, emitted: EmittedIntegration[], skipped: SkippedIntegration[]): string {
  const lines: string[] = [];
  lines.push(`// Generated by \`pulumi-cycle import\` (pulumi-cycle ${commentSafe(input.packageVersion)}) from hub ${input.hubId}`);
  lines.push(`// at ${commentSafe(input.apiUrl)}: ${emitted.length} integration(s) adopted, ${skipped.length} left out.`);
  lines.push("//");
  lines.push("// Each Integration below already exists in the hub: its `adoptId` makes the first");
  lines.push("// `pulumi up` take it over instead of creating one, and sets it to what is declared");
  lines.push("// here. Credentials cannot be read from the API: each is read from a secret stack");
  lines.push('// config value named "<resource name>.<field>"; set them with');
  lines.push("//   pulumi config set --secret <resource name>.<field> <value>");
  lines.push("// (the import printed every command). The first `pulumi up` sends them and runs a");
  lines.push("// verify job where the vendor has one.");
  if (skipped.length > 0) {
    lines.push("//");
    lines.push("// Left out:");
    for (const s of skipped) {
      lines.push(`//   ${s.integration.id} ${s.integration.vendor} "${commentSafe(s.integration.name)}": ${commentSafe(s.reason)}`);
    }
  }
  lines.push('import * as pulumi from "@pulumi/pulumi";');
  lines.push('import { Integration } from "pulumi-cycle";');
  lines.push("");
  lines.push("const config = new pulumi.Config();");
  lines.push(`const hubId = ${str(input.hubId)};`);
  lines.push("// Change it (`pulumi config set verifyTrigger <anything new>`) and `pulumi up` verifies every credential again.");
  lines.push('const verifyTrigger = config.get("verifyTrigger");');
  lines.push("");
  lines.push("const integrations: Record<string, Integration> = {};");
  for (const e of emitted) {
    const i = e.integration;
    lines.push("");
    lines.push(`// ${i.vendor} "${commentSafe(i.name)}", ${i.state.current}, created ${commentSafe(i.events.created)}`);
    lines.push(`integrations[${str(e.resource)}] = new Integration(${str(e.resource)}, {`);
    lines.push(`  vendor: ${str(i.vendor)},`);
    lines.push(`  name: ${str(i.name)},`);
    lines.push(`  identifier: ${str(i.identifier)},`);
    lines.push("  hubId,");
    if (i.extra && Object.keys(i.extra).length > 0) {
      lines.push("  extra: {");
      for (const k of Object.keys(i.extra).sort()) lines.push(`    ${key(k)}: ${str(i.extra[k])},`);
      lines.push("  },");
    }
    if (e.config.length > 0) {
      lines.push("  auth: {");
      for (const c of e.config) lines.push(`    ${c.field}: config.${c.required ? "requireSecret" : "getSecret"}(${str(c.key)}),`);
      lines.push("  },");
    }
    lines.push("  verifyTrigger,");
    lines.push(`  adoptId: ${str(i.id)},`);
    lines.push("});");
  }
  lines.push("");
  lines.push("/** Stack outputs: each integration's ID and state. */");
  lines.push("export const integrationIds = Object.fromEntries(Object.entries(integrations).map(([name, i]) => [name, i.id]));");
  lines.push("export const integrationStates = Object.fromEntries(Object.entries(integrations).map(([name, i]) => [name, i.state]));");
  lines.push("");
  return lines.join("\n");
}
