/**
 * The program `npm run test:live` runs with `pulumi up`: one integration,
 * whose vendor, name, identifier and extra settings the check puts in the
 * stack config (a rename is a `pulumi config set name` and another `up`).
 * The connection comes from the environment (CYCLE_API_KEY, never written to
 * the stack) and `cycle:hubId`/`cycle:apiUrl`.
 */
import * as pulumi from "@pulumi/pulumi";
import { Integration } from "pulumi-cycle";

const config = new pulumi.Config();
const extra = config.getObject<Record<string, string>>("extra");

const integration = new Integration("live", {
  vendor: config.require("vendor"),
  name: config.require("name"),
  identifier: config.require("identifier"),
  ...(extra ? { extra } : {}),
});

export const integrationId = integration.integrationId;
export const name = integration.name;
export const state = integration.state;
export const verified = integration.verified;
export const createdAt = integration.createdAt;
export const updatedAt = integration.updatedAt;
export const creatorType = integration.creatorType;
export const supportsVerification = integration.supportsVerification;
