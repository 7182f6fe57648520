/**
 * The pure part of `pulumi-cycle import --from-stack`: from a stack of the
 * dynamic `Integration` (its `pulumi stack export`), the bulk-import file
 * that reads the same integrations into it as the native
 * `cycle:index:Integration`, and the resources `pulumi state delete` then
 * takes out of its state (the dynamic ones and the `pulumi-nodejs` provider
 * nothing else uses). Neither step writes to the API: `pulumi import` only
 * reads, and `pulumi state delete` only edits the state. No process, network
 * or file access here: see `import.ts`.
 *
 * A dynamic resource that cannot move this way is left where it is and
 * listed with the reason: one whose create was never settled, one with its
 * own connection (the native import reads with the stack's provider), one
 * that is protected, or one another resource depends on or is parented to
 * (`pulumi state delete` would have to take those too).
 */
import { ExportedStack, INTEGRATION_TYPE, isIntegrationType, NATIVE_INTEGRATION_TYPE, providerUrn, StateResource, STACK_TYPE } from "./exportedStack";
import { BulkImportEntry, bulkImportFile } from "./importBulk";

export interface MovedIntegration {
  /** The dynamic resource's URN. */
  urn: string;
  /** Its name, kept for the native resource. */
  name: string;
  integrationId: string;
  hubId: string;
}

export interface KeptIntegration {
  urn: string;
  reason: string;
}

export interface MigrationPlan {
  moved: MovedIntegration[];
  kept: KeptIntegration[];
  /** What `pulumi state delete` takes, dependents before what they depend on: the moved resources, then providers left unused. */
  stateDeletes: string[];
  /** The bulk-import file's text. */
  source: string;
}

/** The name part of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** URNs a resource refers to: its parent, provider, dependencies (plain and per property) and deletedWith. */
function references(r: StateResource): string[] {
  const refs: string[] = [];
  if (typeof r.parent === "string") refs.push(r.parent);
  if (typeof r.provider === "string") refs.push(providerUrn(r.provider));
  for (const d of r.dependencies ?? []) refs.push(d);
  const byProperty = r.propertyDependencies;
  if (byProperty && typeof byProperty === "object") {
    for (const list of Object.values(byProperty as Record<string, unknown>))
      if (Array.isArray(list)) refs.push(...list.filter((u): u is string => typeof u === "string"));
  }
  if (typeof r.deletedWith === "string") refs.push(r.deletedWith);
  return refs;
}

/** The hub the state records for an integration: its output, else its input. */
function recordedHub(r: StateResource): string | undefined {
  const fromOutputs = r.outputs?.hubId;
  const fromInputs = r.inputs?.hubId;
  return typeof fromOutputs === "string" ? fromOutputs : typeof fromInputs === "string" ? fromInputs : undefined;
}

function whyKept(r: StateResource, dependents: string[]): string | undefined {
  const inputs = r.inputs ?? {};
  const outputs = r.outputs ?? {};
  if (typeof r.id !== "string" || r.id === "" || outputs.unsettledCreate !== undefined) {
    return "its create was never settled (no integration ID in state): run `pulumi up` first";
  }
  if (inputs.apiKey !== undefined || inputs.apiUrl !== undefined) {
    return "it has its own `apiKey` or `apiUrl`, and `pulumi import` reads with the stack's provider: move it with an explicit `pulumi:providers:cycle` of its own, or keep it dynamic";
  }
  if (r.protect === true) return "it is protected: `pulumi state unprotect` it first";
  if (dependents.length > 0)
    return `other resources depend on it or are parented to it (${dependents.join(", ")}): \`pulumi state delete\` would take them too`;
  if (recordedHub(r) === undefined) return "its state records no hub";
  return undefined;
}

/**
 * The plan. Throws when the stack has pending operations on Integrations:
 * they must be settled first (`pulumi-cycle recover`, then `pulumi up`).
 */
export function planMigration(state: ExportedStack): MigrationPlan {
  const pending = (state.deployment.pending_operations ?? []).filter((o) => isIntegrationType(o.resource?.type));
  if (pending.length > 0) {
    throw new Error(
      `the stack has ${pending.length} pending operation(s) on Integrations from an interrupted update (${pending.map((o) => o.resource.urn).join(", ")}): run \`npx pulumi-cycle recover\` and \`pulumi up\` first`,
    );
  }
  const resources = state.deployment.resources ?? [];
  const dynamic = resources.filter((r) => r.type === INTEGRATION_TYPE);
  const dependentsOf = (urn: string) => resources.filter((o) => o.urn !== urn && references(o).includes(urn)).map((o) => o.urn);

  const moved: MovedIntegration[] = [];
  const kept: KeptIntegration[] = [];
  const takenNames = new Set(resources.filter((r) => r.type === NATIVE_INTEGRATION_TYPE).map((r) => urnName(r.urn)));
  for (const r of dynamic) {
    let reason = whyKept(r, dependentsOf(r.urn));
    const name = urnName(r.urn);
    if (!reason && takenNames.has(name)) reason = `the stack already has a cycle:index:Integration named ${name}`;
    const hubId = recordedHub(r);
    if (reason || hubId === undefined || typeof r.id !== "string") {
      kept.push({ urn: r.urn, reason: reason ?? "its state records no hub" });
      continue;
    }
    takenNames.add(name);
    moved.push({ urn: r.urn, name, integrationId: r.id, hubId });
  }

  // By name: the same stack gives the same file, whatever order its state lists resources in.
  moved.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.urn < b.urn ? -1 : 1));

  // A provider of moved resources that nothing left in the state uses goes with them.
  const movedUrns = new Set(moved.map((m) => m.urn));
  const staying = resources.filter((r) => !movedUrns.has(r.urn));
  const usedByStaying = new Set(staying.flatMap((r) => references(r)));
  const providers = [...new Set(dynamic.filter((r) => movedUrns.has(r.urn) && typeof r.provider === "string").map((r) => providerUrn(r.provider!)))];
  const unusedProviders = providers.filter((p) => !usedByStaying.has(p) && resources.some((r) => r.urn === p && r.type !== STACK_TYPE));

  const entries: BulkImportEntry[] = moved.map((m) => ({ type: NATIVE_INTEGRATION_TYPE, name: m.name, id: `${m.hubId}/${m.integrationId}` }));
  return { moved, kept, stateDeletes: [...moved.map((m) => m.urn), ...unusedProviders], source: bulkImportFile(entries) };
}
