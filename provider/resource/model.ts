import type { AuthField, IntegrationAuth } from "../api/types";

/**
 * The Integration resource's inputs and outputs as the dynamic provider sees
 * them: resolved plain values, camelCase as users write them.
 */

/** Credentials, camelCase. Every value is stored in state as a secret. */
export interface AuthInputs {
  region?: string;
  namespace?: string;
  apiKey?: string;
  keyId?: string;
  secret?: string;
  subscriptionId?: string;
  clientId?: string;
  base64Config?: string;
}

/** Our camelCase name for each API auth field. */
export const AUTH_NAMES: Readonly<Record<AuthField, keyof AuthInputs>> = Object.freeze({
  region: "region",
  namespace: "namespace",
  api_key: "apiKey",
  key_id: "keyId",
  secret: "secret",
  subscription_id: "subscriptionId",
  client_id: "clientId",
  base64_config: "base64Config",
});

export const AUTH_INPUT_NAMES = Object.values(AUTH_NAMES);

/** camelCase auth → the API's snake_case; leaves out unset fields. */
export function toApiAuth(auth: AuthInputs | undefined): IntegrationAuth | undefined {
  if (!auth) return undefined;
  const out: IntegrationAuth = {};
  for (const [apiName, ourName] of Object.entries(AUTH_NAMES) as Array<[AuthField, keyof AuthInputs]>) {
    const v = auth[ourName];
    if (v !== undefined && v !== null) out[apiName] = v;
  }
  return out;
}

/** What a user declares (after the engine resolves every Input). */
export interface IntegrationInputs {
  vendor: string;
  name: string;
  identifier?: string;
  auth?: AuthInputs;
  extra?: Record<string, string>;
  verify?: boolean;
  /** Any value; a change makes the next update verify the credentials again, changed or not. */
  verifyTrigger?: string;
  hubId?: string;
  verifyTimeoutSeconds?: number;
  deleteTimeoutSeconds?: number;
  adoptId?: string;
  adoptByIdentifier?: boolean;
  /** This resource's own API key (a secret), instead of `cycle:apiKey`. */
  apiKey?: string;
  /** This resource's own API URL, instead of `cycle:apiUrl`. */
  apiUrl?: string;
  /**
   * Set by check when the resource already exists: adoption applies to the
   * first create only, so a replacement creates a new integration instead
   * of taking over the old one again.
   */
  adoptionDone?: boolean;
}

/** Optional inputs whose absence means "whatever the hub has". */
export type OptionalField = "identifier" | "extra" | "hubId";

/** What the provider records in state. */
export interface IntegrationOutputs extends IntegrationInputs {
  /** The integration's ID (also the resource's ID). */
  integrationId: string;
  /** The hub the integration lives in, resolved from `hubId` or config. */
  hubId: string;
  /** The identifier the hub has, declared or derived by the API. */
  identifier: string;
  state: string;
  stateError?: string;
  verified: boolean;
  lastVerifyJobId?: string;
  creatorType: string;
  createdAt: string;
  updatedAt: string;
  supportsVerification: boolean;
  editable: boolean;
  /** From the vendor's definition: false means one integration of this vendor per hub. */
  supportsMultiple: boolean;
  /**
   * Which optional inputs the user declared. `identifier` and `hubId` hold
   * resolved values in the outputs, and `read` must hand back inputs as the
   * user declared them, so this remembers which were.
   */
  declared: OptionalField[];
}

export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 300;
export const DEFAULT_DELETE_TIMEOUT_SECONDS = 300;
