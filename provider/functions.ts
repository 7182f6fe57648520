import * as pulumi from "@pulumi/pulumi";
import type { CycleClient } from "./api/client";
import type { Integration, IntegrationCategory, IntegrationStateName, ListIntegrationsQuery } from "./api/types";
import type { ProviderSettings } from "./config";
import type { AvailableIntegration } from "./lookups";

export type { AvailableIntegration } from "./lookups";

/**
 * Plain async functions for Pulumi programs (and scripts): read the hub's
 * catalogue and integrations over the same client the provider uses.
 * Connection settings come from the arguments, then the stack config
 * (`cycle:apiKey`, `cycle:hubId`, `cycle:apiUrl`), then the environment.
 */
export interface LookupOptions extends ProviderSettings {
  /** Sent to the client; lines never hold credentials. */
  log?: (line: string) => void;
}

/** Every integration definition the hub offers, flattened, each with its category. */
export async function getAvailableIntegrations(options: LookupOptions = {}): Promise<AvailableIntegration[]> {
  const { client, hubId } = await clientFor(options);
  const { availableIntegrations } = await import("./lookups");
  return availableIntegrations(client, hubId);
}

/** The hub's integrations, every page. Their `auth` is removed: programs should not pass credentials around. */
export async function getIntegrations(query: ListIntegrationsQuery = {}, options: LookupOptions = {}): Promise<Integration[]> {
  const { client, hubId } = await clientFor(options);
  const { listIntegrations } = await import("./lookups");
  return listIntegrations(client, hubId, query);
}

/** Which integration `getIntegration` returns: `id`, or `vendor` and `identifier` (matched exactly; never the display name). */
export interface GetIntegrationArgs {
  id?: string;
  vendor?: string;
  identifier?: string;
}

/**
 * One integration of the hub, by `id` or by `vendor` and `identifier`, `auth`
 * removed (the same lookup as the package's `cycle:index:getIntegration`).
 * None matching is a `CycleNotFoundError`; several matching is a
 * `CycleAmbiguityError` naming each one's ID: nothing is guessed.
 */
export async function getIntegration(args: GetIntegrationArgs, options: LookupOptions = {}): Promise<Integration> {
  const { parseIntegrationArgs } = await import("./resource/functionSchema");
  const parsed = parseIntegrationArgs({ ...args });
  if (!parsed.ok) {
    const { CycleError } = await import("./errors");
    throw new CycleError(`getIntegration: ${parsed.failures.map((f) => f.reason).join("; ")}`);
  }
  const { client, hubId } = await clientFor(parsed.value.hubId === undefined ? options : { ...options, hubId: parsed.value.hubId });
  const { lookupIntegration } = await import("./lookups");
  return lookupIntegration(client, hubId, parsed.value.ref);
}

// ---------------------------------------------------------------------------
// Output forms: Inputs in, an Output out, as first-party providers' `getXOutput`
// ---------------------------------------------------------------------------

/** Connection options of the Output forms: each may be an Input (say, another resource's output or a secret). */
export interface LookupOutputOptions {
  apiKey?: pulumi.Input<string>;
  hubId?: pulumi.Input<string>;
  apiUrl?: pulumi.Input<string>;
  /** Sent to the client; lines never hold credentials. */
  log?: (line: string) => void;
}

/** The query of `getIntegrationsOutput`: `ListIntegrationsQuery`, each field an Input. */
export interface GetIntegrationsOutputArgs {
  pageSize?: pulumi.Input<number>;
  sort?: pulumi.Input<string>;
  filter?: pulumi.Input<{
    state?: pulumi.Input<IntegrationStateName>;
    search?: pulumi.Input<string>;
    category?: pulumi.Input<IntegrationCategory>;
  }>;
}

/** The arguments of `getIntegrationOutput`: `GetIntegrationArgs`, each an Input. */
export interface GetIntegrationOutputArgs {
  id?: pulumi.Input<string>;
  vendor?: pulumi.Input<string>;
  identifier?: pulumi.Input<string>;
}

/**
 * `getIntegration` taking Inputs and returning an Output (see
 * `getAvailableIntegrationsOutput`): say, the ID of another stack's
 * integration, looked up once that stack's output is known.
 */
export function getIntegrationOutput(args: GetIntegrationOutputArgs, options: LookupOutputOptions = {}): pulumi.Output<Integration> {
  const { log, ...connection } = options;
  return pulumi.all([pulumi.output(args), pulumi.output(connection)]).apply(([a, c]) => getIntegration(definedArgs(a), { ...definedOnly(c), log }));
}

/**
 * `getAvailableIntegrations` taking Inputs and returning an Output: the call
 * waits for its inputs, is not made while one is unknown (a preview before
 * the resource it depends on exists), and its result is a secret when an
 * input was (say, `apiKey: config.requireSecret("cycle:apiKey")`) and
 * depends on the resources its inputs came from.
 */
export function getAvailableIntegrationsOutput(options: LookupOutputOptions = {}): pulumi.Output<AvailableIntegration[]> {
  const { log, ...connection } = options;
  return pulumi.output(connection).apply((c) => getAvailableIntegrations({ ...definedOnly(c), log }));
}

/**
 * `getIntegrations` taking Inputs and returning an Output (see
 * `getAvailableIntegrationsOutput`): every page, `auth` removed.
 */
export function getIntegrationsOutput(query: GetIntegrationsOutputArgs = {}, options: LookupOutputOptions = {}): pulumi.Output<Integration[]> {
  const { log, ...connection } = options;
  return pulumi
    .all([pulumi.output(query), pulumi.output(connection)])
    .apply(([q, c]) => getIntegrations(q as ListIntegrationsQuery, { ...definedOnly(c), log }));
}

async function clientFor(options: LookupOptions): Promise<{ client: CycleClient; hubId: string }> {
  // Loaded here, not at the top: a program that only declares resources
  // need not load the client.
  const { CycleClient: Client } = await import("./api/client");
  const { resolveConnection, requireHub } = await import("./config");
  const settings = { ...stackSettings(), ...definedOnly(options) };
  const connection = resolveConnection(settings);
  const hubId = requireHub(connection);
  return { client: new Client({ apiKey: connection.apiKey, hubId, baseUrl: connection.apiUrl, log: options.log }), hubId };
}

function stackSettings(): ProviderSettings {
  try {
    const runtime = require("@pulumi/pulumi/runtime") as { getConfig(key: string): string | undefined };
    return {
      apiKey: runtime.getConfig("cycle:apiKey"),
      hubId: runtime.getConfig("cycle:hubId"),
      apiUrl: runtime.getConfig("cycle:apiUrl"),
    };
  } catch {
    return {}; // Not inside a Pulumi program.
  }
}

function definedArgs(a: GetIntegrationArgs): GetIntegrationArgs {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));
}

function definedOnly(o: LookupOptions): ProviderSettings {
  const out: ProviderSettings = {};
  if (o.apiKey !== undefined) out.apiKey = o.apiKey;
  if (o.hubId !== undefined) out.hubId = o.hubId;
  if (o.apiUrl !== undefined) out.apiUrl = o.apiUrl;
  return out;
}
