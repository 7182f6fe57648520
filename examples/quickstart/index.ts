/**
 * Quick start: a hub's integrations as code.
 *
 * Four integrations across four categories. Two need a verify job before the
 * hub can use them (AWS and Backblaze B2); Let's Encrypt needs none. Every
 * credential comes from stack config as a secret, so none is in this file
 * or in plain text in state.
 *
 *   pulumi config set cycle:apiKey --secret <key>     # or CYCLE_API_KEY
 *   pulumi config set cycle:hubId <hub id>            # or CYCLE_HUB_ID
 *   pulumi config set --secret awsAccessKeyId ...     # and the others below
 *
 * `npm start` runs this program against the embedded emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { Integration } from "pulumi-cycle";

const config = new pulumi.Config();

/** Infrastructure provider: where Cycle deploys servers. Verified after create. */
const aws = new Integration("aws", {
  vendor: "aws",
  name: "Production AWS",
  auth: {
    keyId: config.requireSecret("awsAccessKeyId"),
    secret: config.requireSecret("awsSecretAccessKey"),
  },
});

/** Object storage that container backups are written to. Verified after create. */
const backups = new Integration("backups", {
  vendor: "backblaze-b2",
  name: "Container backups",
  identifier: "backups",
  auth: {
    keyId: config.requireSecret("b2KeyId"),
    secret: config.requireSecret("b2ApplicationKey"),
  },
  extra: { bucket: config.get("backupBucket") ?? "cycle-backups", region: "us-west-004" },
});

/** TLS certificate generation. This vendor has no verification step. */
const tls = new Integration("tls", {
  vendor: "lets-encrypt",
  name: "Let's Encrypt certificates",
  extra: { email: config.get("acmeEmail") ?? "ops@example.com" },
});

/** Image builder for stack builds. Verified after create. */
const builder = new Integration("builder", {
  vendor: "depot",
  name: "Depot image builds",
  auth: { apiKey: config.requireSecret("depotToken") },
  extra: { project_id: config.get("depotProject") ?? "k8s0a9b7c6" },
});

const summary = (i: Integration) => ({ id: i.id, vendor: i.vendor, identifier: i.identifier, state: i.state, verified: i.verified });

export const integrations = {
  aws: summary(aws),
  backups: summary(backups),
  tls: summary(tls),
  builder: summary(builder),
};
