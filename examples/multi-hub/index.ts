/**
 * Several hubs from one program: `hubId` on a resource overrides the stack's
 * `cycle:hubId`. The API key must belong to every hub it is used with.
 * Moving an integration to another hub replaces it (delete, then create).
 */
import * as pulumi from "@pulumi/pulumi";
import { Integration } from "pulumi-cycle";

const config = new pulumi.Config();
const hubs = { staging: config.require("stagingHubId"), production: config.require("productionHubId") };

export const certificates = Object.fromEntries(
  Object.entries(hubs).map(([env, hubId]) => {
    const tls = new Integration(`tls-${env}`, {
      hubId,
      vendor: "lets-encrypt",
      name: `Certificates (${env})`,
      extra: { email: `ops+${env}@example.com` },
    });
    return [env, { id: tls.id, hub: tls.hubId, state: tls.state }];
  }),
);
