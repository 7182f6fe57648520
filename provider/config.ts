import { DEFAULT_API_URL } from "./api/baseUrl";

/**
 * Where and as whom to call the Cycle API. Resolved when a call is made,
 * never earlier: the provider is serialized into state, and anything it held
 * at that time would be written there.
 */
export interface Connection {
  apiKey: string;
  /** The hub used when a resource does not name its own. */
  hubId?: string;
  apiUrl: string;
}

/** Stack config as the provider's `configure` hook passes it on. */
export interface ProviderSettings {
  apiKey?: string;
  hubId?: string;
  apiUrl?: string;
}

/** The stack config keys, and the environment variables that stand in for them. */
export const CONFIG_KEYS = {
  apiKey: { config: "cycle:apiKey", env: "CYCLE_API_KEY" },
  hubId: { config: "cycle:hubId", env: "CYCLE_HUB_ID" },
  apiUrl: { config: "cycle:apiUrl", env: "CYCLE_API_URL" },
} as const;

type Env = Record<string, string | undefined>;

/** A required setting that is missing, named with both ways to set it. */
export class CycleConfigError extends Error {
  override readonly name = "CycleConfigError";
}

function pick(configured: string | undefined, env: Env, name: string): string | undefined {
  const value = configured ?? env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * Stack config first, then the environment. The key is required; the hub is
 * checked by the caller, since a resource may bring its own.
 */
export function resolveConnection(settings: ProviderSettings, env: Env = process.env): Connection {
  const apiKey = pick(settings.apiKey, env, CONFIG_KEYS.apiKey.env);
  if (!apiKey) {
    throw new CycleConfigError(
      `No Cycle API key: set it with \`pulumi config set --secret ${CONFIG_KEYS.apiKey.config} <key>\` or the environment variable ${CONFIG_KEYS.apiKey.env}`,
    );
  }
  return {
    apiKey,
    hubId: configuredHubId(settings, env),
    apiUrl: pick(settings.apiUrl, env, CONFIG_KEYS.apiUrl.env) ?? DEFAULT_API_URL,
  };
}

/**
 * The configured hub (stack config, then environment), without requiring a
 * key: diff needs only this and must make no API call.
 */
export function configuredHubId(settings: ProviderSettings, env: Env = process.env): string | undefined {
  return pick(settings.hubId, env, CONFIG_KEYS.hubId.env);
}

/** The hub for one resource: its own `hubId`, else the configured one. */
export function requireHub(connection: Connection, resourceHubId?: string): string {
  const hub = resourceHubId ?? connection.hubId;
  if (!hub) {
    throw new CycleConfigError(
      `No Cycle hub: set it with \`pulumi config set ${CONFIG_KEYS.hubId.config} <hub id>\`, the environment variable ${CONFIG_KEYS.hubId.env}, or the resource's \`hubId\``,
    );
  }
  return hub;
}
