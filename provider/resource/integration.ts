import * as pulumi from "@pulumi/pulumi";
import type { AuthInputs } from "./model";
import { integrationProvider } from "./provider";

/** Credentials of an integration. Which fields a vendor needs is in its definition (`getAvailableIntegrations()`). */
export interface IntegrationAuthArgs {
  /** A region the credentials belong to, for vendors that ask for one (the API's `auth.region`). */
  region?: pulumi.Input<string>;
  /** A namespace or tenant, for vendors that ask for one, e.g. an Azure tenant ID (the API's `auth.namespace`). */
  namespace?: pulumi.Input<string>;
  /** An API key or token, e.g. Depot's or Stripe's (the API's `auth.api_key`). */
  apiKey?: pulumi.Input<string>;
  /** The public half of a key pair, e.g. an AWS access key ID or a Backblaze B2 key ID (the API's `auth.key_id`). */
  keyId?: pulumi.Input<string>;
  /** The secret half of a key pair, e.g. an AWS secret access key or a Backblaze B2 application key (the API's `auth.secret`). */
  secret?: pulumi.Input<string>;
  /** A subscription ID, e.g. Azure's (the API's `auth.subscription_id`). */
  subscriptionId?: pulumi.Input<string>;
  /** A client or application ID, e.g. an Azure service principal's (the API's `auth.client_id`). */
  clientId?: pulumi.Input<string>;
  /** A whole credentials file, base64-encoded, e.g. a GCP service account key (the API's `auth.base64_config`). */
  base64Config?: pulumi.Input<string>;
}

/** The resolved credentials, as read from the `auth` output (a secret). */
export type IntegrationAuthValues = AuthInputs;

export interface IntegrationArgs {
  /** Which integration definition this is, e.g. `aws` or `backblaze-b2`. Changing it replaces the integration. */
  vendor: pulumi.Input<string>;
  /** Display name; at least 5 characters. */
  name: pulumi.Input<string>;
  /** Human-readable identifier, at least 3 characters. Left out, the API derives one from the name and Pulumi leaves it alone. */
  identifier?: pulumi.Input<string>;
  /** Credentials. Always stored as a secret, wrapped or not. */
  auth?: pulumi.Input<IntegrationAuthArgs>;
  /** Vendor-specific settings (`fields.extra` of the definition). Left out, the hub's values are not managed. */
  extra?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Run a verify job after create and after a change of credentials. Default: true when the vendor supports verification. */
  verify?: pulumi.Input<boolean>;
  /**
   * Any value. When it changes, the next `pulumi up` runs a verify job for
   * the integration even though its credentials did not change: a scheduled
   * workflow sets it (say, to the date) to find credentials that stopped
   * working at the vendor. The result shows in `verified` and `stateError`,
   * and a failure fails the update naming the integration.
   */
  verifyTrigger?: pulumi.Input<string>;
  /** The hub this integration lives in, instead of `cycle:hubId`. Changing it replaces the integration. */
  hubId?: pulumi.Input<string>;
  /** How long to wait for a verify job, in seconds: an integer from 1 to 21600. Default 300. A job still running then is followed by the next `pulumi up`. */
  verifyTimeoutSeconds?: pulumi.Input<number>;
  /** How long to wait for a delete job, in seconds: an integer from 1 to 21600. Default 300. */
  deleteTimeoutSeconds?: pulumi.Input<number>;
  /** Take over this existing integration on create instead of making a new one. */
  adoptId?: pulumi.Input<string>;
  /** On create, take over the one existing integration of this vendor with this `identifier`, if there is one. */
  adoptByIdentifier?: pulumi.Input<boolean>;
  /**
   * This integration's own API key, instead of `cycle:apiKey`: one program can
   * manage hubs that no single key reaches. Stored in state as a secret,
   * wrapped or not.
   */
  apiKey?: pulumi.Input<string>;
  /** This integration's own API URL, instead of `cycle:apiUrl` (default `https://api.cycle.io`). */
  apiUrl?: pulumi.Input<string>;
}

/**
 * A Cycle hub integration: cloud provider credentials, object storage for
 * backups, TLS certificate generation, an image builder, or billing.
 *
 * @example
 * ```ts
 * const aws = new Integration("aws", {
 *   vendor: "aws",
 *   name: "Production AWS",
 *   auth: { keyId: cfg.requireSecret("awsKeyId"), secret: cfg.requireSecret("awsSecret") },
 * });
 * export const awsState = aws.state;
 * ```
 */
export class Integration extends pulumi.dynamic.Resource {
  /** The vendor (integration definition). */
  declare public readonly vendor: pulumi.Output<string>;
  /** Display name. */
  declare public readonly name: pulumi.Output<string>;
  /** The identifier the hub has, declared or derived by the API. */
  declare public readonly identifier: pulumi.Output<string>;
  /** The declared credentials (secret). The API is not relied on to return them. */
  declare public readonly auth: pulumi.Output<IntegrationAuthValues | undefined>;
  /** Vendor-specific settings as the hub has them. */
  declare public readonly extra: pulumi.Output<Record<string, string> | undefined>;
  /** The declared `verify` setting. */
  declare public readonly verify: pulumi.Output<boolean | undefined>;
  /** The declared `verifyTrigger`: the value the last verification ran for. */
  declare public readonly verifyTrigger: pulumi.Output<string | undefined>;
  /** The hub the integration lives in. */
  declare public readonly hubId: pulumi.Output<string>;
  /** The declared verify deadline, in seconds. */
  declare public readonly verifyTimeoutSeconds: pulumi.Output<number | undefined>;
  /** The declared delete deadline, in seconds. */
  declare public readonly deleteTimeoutSeconds: pulumi.Output<number | undefined>;
  /** The integration's Cycle ID (the same as `id`). */
  declare public readonly integrationId: pulumi.Output<string>;
  /** `new`, `verifying`, `live`, `deleting` or `deleted`. */
  declare public readonly state: pulumi.Output<string>;
  /** Why the last verification failed, if it did. */
  declare public readonly stateError: pulumi.Output<string | undefined>;
  /** True once a verify job succeeded for the current credentials, or when the vendor needs no verification. */
  declare public readonly verified: pulumi.Output<boolean>;
  /** The last verify job this provider ran. */
  declare public readonly lastVerifyJobId: pulumi.Output<string | undefined>;
  /** Who created the integration: `api-key`, `account`, ... */
  declare public readonly creatorType: pulumi.Output<string>;
  /** When it was created (RFC 3339). */
  declare public readonly createdAt: pulumi.Output<string>;
  /** When it last changed (RFC 3339). */
  declare public readonly updatedAt: pulumi.Output<string>;
  /** Whether the vendor's definition supports verification. */
  declare public readonly supportsVerification: pulumi.Output<boolean>;
  /** Whether the integration can be changed in place; if not, every change replaces it. */
  declare public readonly editable: pulumi.Output<boolean>;
  /** Whether the hub may hold more than one integration of this vendor. */
  declare public readonly supportsMultiple: pulumi.Output<boolean>;

  constructor(name: string, args: IntegrationArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output must be named here, undefined or not: the SDK creates an
    // Output property only for the keys it is given.
    const props: Record<string, unknown> = {
      vendor: args.vendor,
      name: args.name,
      identifier: args.identifier,
      // Credentials are secret whether or not the program said so.
      auth: args.auth === undefined ? undefined : pulumi.secret(args.auth),
      extra: args.extra,
      verify: args.verify,
      verifyTrigger: args.verifyTrigger,
      hubId: args.hubId,
      verifyTimeoutSeconds: args.verifyTimeoutSeconds,
      deleteTimeoutSeconds: args.deleteTimeoutSeconds,
      adoptId: args.adoptId,
      adoptByIdentifier: args.adoptByIdentifier,
      // A key is secret whether or not the program said so.
      apiKey: args.apiKey === undefined ? undefined : pulumi.secret(args.apiKey),
      apiUrl: args.apiUrl,
      integrationId: undefined,
      state: undefined,
      stateError: undefined,
      verified: undefined,
      lastVerifyJobId: undefined,
      creatorType: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      supportsVerification: undefined,
      editable: undefined,
      supportsMultiple: undefined,
      declared: undefined,
    };
    super(integrationProvider, name, props, {
      ...opts,
      additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), "auth", "apiKey"])],
    }, "cycle", "Integration");
    warnIfKeyInPlainConfig(this);
  }
}

/**
 * The CLI records the whole stack config as the inputs of the dynamic
 * provider in state: a `cycle:apiKey` set without `--secret` is written
 * there in plain text. Say so, on each Integration: the config is read
 * afresh each time (a process may run several programs, as the Automation
 * API does), and each warning names the resource it concerns.
 */
function warnIfKeyInPlainConfig(resource: pulumi.Resource): void {
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { getConfig(k: string): string | undefined; isConfigSecret?(k: string): boolean };
  if (typeof runtimeConfig.isConfigSecret !== "function") return;
  if (runtimeConfig.getConfig("cycle:apiKey") !== undefined && !runtimeConfig.isConfigSecret("cycle:apiKey")) {
    pulumi.log.warn(
      "cycle:apiKey is set in plain text: Pulumi records the stack config in state, so the key is stored there unencrypted. Set it again with `pulumi config set --secret cycle:apiKey <key>`",
      resource,
    );
  }
}
