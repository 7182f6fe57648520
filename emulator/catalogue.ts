/**
 * The integration definitions the emulator offers, one per vendor, grouped in
 * the five categories of `GET /v1/hubs/current/integrations/available`.
 *
 * The set is chosen to exercise every branch of the contract rather than to
 * mirror Cycle's real catalogue: vendors with and without verification, with
 * `supports_multiple: false`, one `editable: false`, one `deprecated`, one not
 * `usable`, select/int/blob fields, required and optional `extra` settings,
 * and regexes that realistic credentials pass and typos fail.
 */
import { IntegrationCategory, IntegrationDefinition, IntegrationField } from "../provider/api/contract";

export interface CatalogueEntry {
  category: IntegrationCategory;
  definition: IntegrationDefinition;
}

/** Vendor names, so tests and scripts need not repeat string literals. */
export const VENDORS = {
  aws: "aws",
  gcp: "gcp",
  vultr: "vultr",
  azure: "azure",
  equinixMetal: "equinix-metal",
  backblazeB2: "backblaze-b2",
  awsS3: "aws-s3",
  letsEncrypt: "lets-encrypt",
  zeroSsl: "zerossl",
  depot: "depot",
  dockerBuildCloud: "docker-build-cloud",
  stripe: "stripe",
} as const;
export type VendorName = (typeof VENDORS)[keyof typeof VENDORS];

const field = (name: string, required: boolean, description: string, extra: Partial<IntegrationField> = {}): IntegrationField => ({
  name,
  required,
  description,
  regex: null,
  type: "string",
  options: null,
  ...extra,
});

/** Defaults shared by every definition; each entry overrides what differs. */
function definition(d: Pick<IntegrationDefinition, "vendor" | "name" | "url" | "fields"> & Partial<IntegrationDefinition>): IntegrationDefinition {
  const { vendor, name, ...rest } = d;
  return {
    vendor,
    name,
    supports_verification: true,
    supports_multiple: true,
    features: null,
    extends: null,
    extended_configuration: null,
    public: true,
    usable: true,
    deprecated: false,
    editable: true,
    ...rest,
  };
}

// Reused credential shapes.
const AWS_KEY_ID = field("Access Key ID", true, "IAM access key ID.", { regex: "^AKIA[0-9A-Z]{16}$" });
const AWS_SECRET = field("Secret Access Key", true, "IAM secret access key (40 characters).", { regex: "^[A-Za-z0-9/+=]{40}$" });
const AWS_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"];

export const CATALOGUE: readonly CatalogueEntry[] = [
  // --- infrastructure-provider -------------------------------------------
  {
    category: "infrastructure-provider",
    definition: definition({
      vendor: VENDORS.aws,
      name: "Amazon Web Services",
      url: "https://aws.amazon.com",
      features: ["servers", "autoscale", "ips"],
      extended_configuration: {
        options: [
          { title: "Use spot instances", key: "spot", type: "bool", default: false },
          { title: "Root volume size (GB)", key: "root_volume_size", type: "int", default: 20 },
        ],
      },
      fields: { auth: { key_id: AWS_KEY_ID, secret: AWS_SECRET }, extra: null },
    }),
  },
  {
    category: "infrastructure-provider",
    definition: definition({
      vendor: VENDORS.gcp,
      name: "Google Cloud Platform",
      url: "https://cloud.google.com",
      features: ["servers", "autoscale"],
      fields: {
        auth: {
          base64_config: field("Service Account JSON", true, "The service account key file, base64 encoded.", {
            type: "blob",
            regex: "^[A-Za-z0-9+/]+={0,2}$",
          }),
        },
        extra: {
          project: field("Project ID", true, "The GCP project servers are deployed into.", { regex: "^[a-z][a-z0-9-]{4,28}[a-z0-9]$" }),
        },
      },
    }),
  },
  {
    category: "infrastructure-provider",
    definition: definition({
      vendor: VENDORS.vultr,
      name: "Vultr",
      url: "https://www.vultr.com",
      features: ["servers"],
      fields: { auth: { api_key: field("API Key", true, "Vultr personal access token.", { regex: "^[A-Z0-9]{36}$" }) }, extra: null },
    }),
  },
  {
    // Not editable: the service principal is bound at creation, so any change
    // means delete and re-create.
    category: "infrastructure-provider",
    definition: definition({
      vendor: VENDORS.azure,
      name: "Microsoft Azure",
      url: "https://azure.microsoft.com",
      features: ["servers"],
      editable: false,
      fields: {
        auth: {
          subscription_id: field("Subscription ID", true, "Azure subscription UUID.", {
            regex: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
          }),
          client_id: field("Client ID", true, "Service principal application (client) UUID.", {
            regex: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
          }),
          secret: field("Client Secret", true, "Service principal secret.", { regex: "^.{8,128}$" }),
          namespace: field("Tenant ID", false, "Directory (tenant) UUID; defaults to the subscription's tenant.", {
            regex: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
          }),
        },
        extra: null,
      },
    }),
  },
  {
    // Deprecated: existing integrations keep working, new ones are refused.
    category: "infrastructure-provider",
    definition: definition({
      vendor: VENDORS.equinixMetal,
      name: "Equinix Metal",
      url: "https://deploy.equinix.com",
      features: ["servers"],
      deprecated: true,
      fields: {
        auth: { api_key: field("API Key", true, "Equinix Metal user API key.", { regex: "^[A-Za-z0-9]{32}$" }) },
        extra: { project_id: field("Project ID", true, "Equinix Metal project UUID.", { regex: "^[0-9a-f-]{36}$" }) },
      },
    }),
  },
  // --- object-storage ----------------------------------------------------
  {
    category: "object-storage",
    definition: definition({
      vendor: VENDORS.backblazeB2,
      name: "Backblaze B2",
      url: "https://www.backblaze.com/cloud-storage",
      extends: ["backups"],
      fields: {
        auth: {
          key_id: field("Application Key ID", true, "B2 application key ID.", { regex: "^[0-9a-f]{12,25}$" }),
          secret: field("Application Key", true, "B2 application key.", { regex: "^K[0-9A-Za-z/+]{30}$" }),
        },
        extra: {
          bucket: field("Bucket", true, "Name of the B2 bucket backups are written to.", { regex: "^[a-z0-9][a-z0-9-]{4,48}[a-z0-9]$" }),
          region: field("Region", false, "Bucket region; defaults to us-west-004.", {
            type: "select",
            options: ["us-west-001", "us-west-002", "us-west-004", "us-east-005", "eu-central-003"],
          }),
        },
      },
    }),
  },
  {
    category: "object-storage",
    definition: definition({
      vendor: VENDORS.awsS3,
      name: "Amazon S3",
      url: "https://aws.amazon.com/s3",
      extends: ["backups"],
      fields: {
        auth: {
          key_id: AWS_KEY_ID,
          secret: AWS_SECRET,
          region: field("Region", true, "Region of the bucket.", { type: "select", options: AWS_REGIONS }),
        },
        extra: {
          bucket: field("Bucket", true, "Name of the S3 bucket.", { regex: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$" }),
          retention_days: field("Retention (days)", false, "How long backups are kept.", { type: "int", regex: "^[0-9]{1,4}$" }),
        },
      },
    }),
  },
  // --- tls-certificate-generation ---------------------------------------
  {
    // No credentials to check: no verification, and one ACME account per hub.
    category: "tls-certificate-generation",
    definition: definition({
      vendor: VENDORS.letsEncrypt,
      name: "Let's Encrypt",
      url: "https://letsencrypt.org",
      supports_verification: false,
      supports_multiple: false,
      features: ["tls"],
      fields: {
        auth: null,
        extra: {
          email: field("Account Email", true, "Contact address for the ACME account.", {
            regex: "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$",
          }),
        },
      },
    }),
  },
  {
    category: "tls-certificate-generation",
    definition: definition({
      vendor: VENDORS.zeroSsl,
      name: "ZeroSSL",
      url: "https://zerossl.com",
      features: ["tls"],
      fields: {
        auth: {
          key_id: field("EAB Key ID", true, "External account binding key ID.", { regex: "^[A-Za-z0-9_-]{22}$" }),
          secret: field("EAB HMAC Key", true, "External account binding HMAC key.", { regex: "^[A-Za-z0-9_-]{43,86}$" }),
        },
        extra: null,
      },
    }),
  },
  // --- image-builders ----------------------------------------------------
  {
    category: "image-builders",
    definition: definition({
      vendor: VENDORS.depot,
      name: "Depot",
      url: "https://depot.dev",
      features: ["builds"],
      fields: {
        auth: { api_key: field("API Token", true, "Depot organization or project token.", { regex: "^depot_(org|project)_[A-Za-z0-9]{20,64}$" }) },
        extra: { project_id: field("Project ID", true, "Depot project the builds run in.", { regex: "^[a-z0-9]{10}$" }) },
      },
    }),
  },
  {
    // Listed but not usable at this time: creation and verification refused.
    category: "image-builders",
    definition: definition({
      vendor: VENDORS.dockerBuildCloud,
      name: "Docker Build Cloud",
      url: "https://www.docker.com/products/build-cloud",
      features: ["builds"],
      usable: false,
      fields: {
        auth: {
          namespace: field("Docker Organization", true, "Docker Hub organization.", { regex: "^[a-z0-9]{4,30}$" }),
          api_key: field("Access Token", true, "Docker personal access token.", { regex: "^dckr_pat_[A-Za-z0-9_-]{20,}$" }),
        },
        extra: null,
      },
    }),
  },
  // --- billing -----------------------------------------------------------
  {
    category: "billing",
    definition: definition({
      vendor: VENDORS.stripe,
      name: "Stripe",
      url: "https://stripe.com",
      supports_multiple: false,
      features: ["billing"],
      fields: {
        auth: { api_key: field("Secret Key", true, "Stripe secret or restricted key.", { regex: "^(sk|rk)_(live|test)_[0-9A-Za-z]{24,99}$" }) },
        extra: { account: field("Account ID", false, "Connected account to bill through.", { regex: "^acct_[0-9A-Za-z]{16}$" }) },
      },
    }),
  },
];

const BY_VENDOR = new Map<string, CatalogueEntry>(CATALOGUE.map((e) => [e.definition.vendor, e]));

export function findEntry(vendor: string): CatalogueEntry | undefined {
  return BY_VENDOR.get(vendor);
}

/** A copy of the vendor's definition, so a caller can never alter the catalogue. */
export function definitionOf(vendor: string): IntegrationDefinition | undefined {
  const entry = BY_VENDOR.get(vendor);
  return entry ? structuredClone(entry.definition) : undefined;
}
