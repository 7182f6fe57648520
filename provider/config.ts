import { DEFAULT_API_URL, normalizeBaseUrl } from "./api/baseUrl";
import { ID_PATTERN } from "./api/types";
import { CycleConfigError } from "./errors";

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

/** A resource's own connection (`apiKey`, `apiUrl`), which wins over the stack config. */
export interface ResourceConnection {
  apiKey?: string;
  apiUrl?: string;
}

/** The stack config keys, and the environment variables that stand in for them. */
export const CONFIG_KEYS = {
  apiKey: { config: "cycle:apiKey", env: "CYCLE_API_KEY" },
  hubId: { config: "cycle:hubId", env: "CYCLE_HUB_ID" },
  apiUrl: { config: "cycle:apiUrl", env: "CYCLE_API_URL" },
} as const;

type Env = Record<string, string | undefined>;
type Setting = keyof typeof CONFIG_KEYS;

export { CycleConfigError };

/**
 * How messages name the values that win over the stack config: by default a
 * resource's own properties; a command names its flags instead, and leaves
 * out a setting it has no flag for.
 */
export type OverrideNames = Partial<Record<Setting, string>>;

const RESOURCE_PROPERTIES: OverrideNames = { apiKey: "the resource's `apiKey`", hubId: "the resource's `hubId`", apiUrl: "the resource's `apiUrl`" };

/** Where a setting came from, for messages: the override (resource or flag), the stack config or the environment. */
function origin(setting: Setting, from: "resource" | "config" | "env", names: OverrideNames): string {
  const k = CONFIG_KEYS[setting];
  if (from === "resource") return names[setting] ?? `\`${setting}\``;
  return from === "config" ? `stack config \`${k.config}\`` : `environment variable ${k.env}`;
}

/** Every way to set a setting, for the message that says it is missing. */
function waysToSet(setting: Setting, configCommand: string, names: OverrideNames): string {
  const ways = [`\`${configCommand}\``, `the environment variable ${CONFIG_KEYS[setting].env}`];
  const override = names[setting];
  if (override !== undefined) ways.push(override);
  return ways.length === 2 ? ways.join(" or ") : `${ways.slice(0, -1).join(", ")}, or ${ways[ways.length - 1]}`;
}

/**
 * The stack config keys read one by one through `read` (a command reads them
 * with the user's `pulumi config get`), as the settings `resolveConnection`
 * takes.
 */
export async function readSettings(read: (configKey: string) => Promise<string | undefined>): Promise<ProviderSettings> {
  const settings: ProviderSettings = {};
  for (const setting of Object.keys(CONFIG_KEYS) as Setting[]) {
    const value = await read(CONFIG_KEYS[setting].config);
    if (value !== undefined) settings[setting] = value;
  }
  return settings;
}

function pick(
  setting: Setting,
  resource: string | undefined,
  settings: ProviderSettings,
  env: Env,
): { value: string; from: "resource" | "config" | "env" } | undefined {
  const candidates: Array<[string | undefined, "resource" | "config" | "env"]> = [
    [resource, "resource"],
    [settings[setting], "config"],
    [env[CONFIG_KEYS[setting].env], "env"],
  ];
  for (const [value, from] of candidates) {
    if (value !== undefined && value.trim() !== "") return { value: value.trim(), from };
  }
  return undefined;
}

/**
 * The resource's own connection first, then stack config, then the
 * environment. The key is required and the URL and hub are checked here, so
 * a mistake is reported naming where the value came from and how to fix it,
 * before any request.
 */
export function resolveConnection(
  settings: ProviderSettings,
  env: Env = process.env,
  resource: ResourceConnection = {},
  names: OverrideNames = RESOURCE_PROPERTIES,
): Connection {
  const key = pick("apiKey", resource.apiKey, settings, env);
  if (!key) {
    throw new CycleConfigError(`No Cycle API key: set it with ${waysToSet("apiKey", `pulumi config set --secret ${CONFIG_KEYS.apiKey.config} <key>`, names)}`);
  }
  const url = pick("apiUrl", resource.apiUrl, settings, env);
  let apiUrl = DEFAULT_API_URL;
  if (url) {
    try {
      apiUrl = normalizeBaseUrl(url.value);
    } catch (err) {
      throw new CycleConfigError(
        `${origin("apiUrl", url.from, names)} is not usable: ${(err as Error).message}. Fix it with \`pulumi config set ${CONFIG_KEYS.apiUrl.config} https://api.cycle.io\` (or unset it for that default)`,
      );
    }
  }
  return { apiKey: key.value, hubId: configuredHubId(settings, env), apiUrl };
}

/**
 * The configured hub (stack config, then environment), checked, without
 * requiring a key: diff needs only this and must make no API call.
 */
export function configuredHubId(settings: ProviderSettings, env: Env = process.env): string | undefined {
  const hub = pick("hubId", undefined, settings, env);
  if (hub && !ID_PATTERN.test(hub.value)) {
    throw new CycleConfigError(
      `${origin("hubId", hub.from, RESOURCE_PROPERTIES)} must be a Cycle hub ID (24 lowercase hex characters, as in the portal's hub settings); got ${JSON.stringify(hub.value.length > 40 ? `${hub.value.slice(0, 40)}…` : hub.value)}`,
    );
  }
  return hub?.value;
}

/** The hub for one resource (or one command): its own `hubId`, else the configured one. */
export function requireHub(connection: Connection, resourceHubId?: string, names: OverrideNames = RESOURCE_PROPERTIES): string {
  const hub = resourceHubId ?? connection.hubId;
  if (!hub) {
    throw new CycleConfigError(`No Cycle hub: set it with ${waysToSet("hubId", `pulumi config set ${CONFIG_KEYS.hubId.config} <hub id>`, names)}`);
  }
  return hub;
}
