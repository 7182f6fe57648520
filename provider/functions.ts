import * as pulumi from "@pulumi/pulumi";
import type { CycleClient } from "./api/client";
import type { AvailableIntegrations, Integration, IntegrationCategory, IntegrationDefinition, IntegrationStateName, ListIntegrationsQuery } from "./api/types";
import { catalogueEntries } from "./catalogue";
import { ProviderSettings } from "./config";

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

/** One entry of the catalogue, with its category. */
export interface AvailableIntegration extends IntegrationDefinition {
  category: IntegrationCategory;
}

/** Every integration definition the hub offers, flattened, each with its category. */
export async function getAvailableIntegrations(options: LookupOptions = {}): Promise<AvailableIntegration[]> {
  const { client, hubId } = await clientFor(options);
  const available: AvailableIntegrations = await client.getAvailableIntegrations({ hubId });
  return catalogueEntries(available).map(({ definition, category }) => ({ ...definition, category }));
}

/** The hub's integrations, every page. Their `auth` is removed: programs should not pass credentials around. */
export async function getIntegrations(query: ListIntegrationsQuery = {}, options: LookupOptions = {}): Promise<Integration[]> {
  const { client, hubId } = await clientFor(options);
  const list = await client.listIntegrations(query, { hubId });
  return list.map((i) => ({ ...i, auth: null }));
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

function definedOnly(o: LookupOptions): ProviderSettings {
  const out: ProviderSettings = {};
  if (o.apiKey !== undefined) out.apiKey = o.apiKey;
  if (o.hubId !== undefined) out.hubId = o.hubId;
  if (o.apiUrl !== undefined) out.apiUrl = o.apiUrl;
  return out;
}
