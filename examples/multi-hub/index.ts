/**
 * Several hubs from one program. `hubId` on a resource overrides the stack's
 * `cycle:hubId`, and `apiKey` its `cycle:apiKey`: each hub here is reached
 * with its own key, as when no single key belongs to both. A resource's
 * `apiKey` is stored in state as a secret. Leave a hub's key unset to use
 * `cycle:apiKey` for it. Moving an integration to another hub replaces it
 * (delete, then create).
 *
 *   pulumi config set stagingHubId <hub id>
 *   pulumi config set --secret stagingApiKey <key of the staging hub>
 *   pulumi config set productionHubId <hub id>
 *   pulumi config set --secret productionApiKey <key of the production hub>
 */
import * as pulumi from "@pulumi/pulumi";
import { Integration } from "pulumi-cycle";

const config = new pulumi.Config();
const hubs = {
  staging: { hubId: config.require("stagingHubId"), apiKey: config.getSecret("stagingApiKey") },
  production: { hubId: config.require("productionHubId"), apiKey: config.getSecret("productionApiKey") },
};

export const certificates = Object.fromEntries(
  Object.entries(hubs).map(([env, hub]) => {
    const tls = new Integration(`tls-${env}`, {
      hubId: hub.hubId,
      apiKey: hub.apiKey,
      vendor: "lets-encrypt",
      name: `Certificates (${env})`,
      extra: { email: `ops+${env}@example.com` },
    });
    return [env, { id: tls.id, hub: tls.hubId, state: tls.state }];
  }),
);
