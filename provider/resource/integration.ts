import * as pulumi from "@pulumi/pulumi";
import { IntegrationArgs, IntegrationProperties } from "./generated/integrationTypes";
import { integrationProvider } from "./provider";
import { PROPERTY_NAMES, SECRET_INPUTS } from "./schema";

export type { IntegrationArgs, IntegrationAuthArgs, IntegrationAuthValues } from "./generated/integrationTypes";

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
export class Integration extends IntegrationProperties {
  constructor(name: string, args: IntegrationArgs, opts?: pulumi.CustomResourceOptions) {
    // Every property must be named here, undefined or not: the SDK creates an
    // Output property only for the keys it is given. (`declared` is the
    // provider's bookkeeping in state.)
    const props: Record<string, unknown> = Object.fromEntries([...PROPERTY_NAMES, "declared"].map((key) => [key, undefined]));
    // Everything the program passed, known or not: a key the provider does
    // not know (a misspelt `adoptID` from JavaScript) reaches check, which
    // names it, instead of being dropped here.
    Object.assign(props, args);
    // Credentials and keys are secret whether or not the program said so.
    for (const key of SECRET_INPUTS) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
    super(
      integrationProvider,
      name,
      props,
      {
        ...opts,
        additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...SECRET_INPUTS])],
      },
      "cycle",
      "Integration",
    );
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
    void pulumi.log.warn(
      "cycle:apiKey is set in plain text: Pulumi records the stack config in state, so the key is stored there unencrypted. Set it again with `pulumi config set --secret cycle:apiKey <key>`",
      resource,
    );
  }
}
