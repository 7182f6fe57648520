/**
 * Adoption: bring integrations that already exist in the hub under Pulumi
 * without making duplicates. (`pulumi import` and the `import` resource
 * option do not work for dynamic providers, so the resource has its own way.)
 *
 * On create, the provider takes over the existing integration and brings it
 * to the declared state (name, identifier, extra, credentials), then verifies
 * it if needed. From then on it is managed like any other: `pulumi destroy`
 * deletes it.
 */
import * as pulumi from "@pulumi/pulumi";
import { Integration } from "pulumi-cycle";

const config = new pulumi.Config();

/** By ID: the integration made in the portal, e.g. found with getIntegrations(). */
export const adoptedById = new Integration("legacy-aws", {
  vendor: "aws",
  name: "Production AWS",
  adoptId: config.require("existingAwsIntegrationId"),
  auth: { keyId: config.requireSecret("awsAccessKeyId"), secret: config.requireSecret("awsSecretAccessKey") },
}).id;

/**
 * By identifier: adopt the one integration of this vendor with this
 * identifier if the hub has it, or create it if not. More than one match is
 * an error naming them, so nothing is adopted by guesswork.
 */
export const adoptedByIdentifier = new Integration("backups", {
  vendor: "backblaze-b2",
  name: "Container backups",
  identifier: "backups",
  adoptByIdentifier: true,
  auth: { keyId: config.requireSecret("b2KeyId"), secret: config.requireSecret("b2ApplicationKey") },
  extra: { bucket: "cycle-backups" },
}).id;
