import type { CycleClient } from "./api/client";
import type {
  AvailableIntegrations,
  Integration,
  IntegrationCategory,
  IntegrationDefinition,
  ListIntegrationsQuery,
} from "./api/types";
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
  const out: AvailableIntegration[] = [];
  for (const [category, defs] of Object.entries(available)) {
    for (const def of defs ?? []) out.push({ ...def, category: category as IntegrationCategory });
  }
  return out;
}

/** The hub's integrations, every page. Their `auth` is removed: programs should not pass credentials around. */
export async function getIntegrations(query: ListIntegrationsQuery = {}, options: LookupOptions = {}): Promise<Integration[]> {
  const { client, hubId } = await clientFor(options);
  const list = await client.listIntegrations(query, { hubId });
  return list.map((i) => ({ ...i, auth: null }));
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
