/**
 * Types of the Cycle API as this project uses it, spelled exactly as the API
 * spells them (snake_case on the wire). What the project relies on, and where
 * it departs from the public OpenAPI spec (cycleplatform/api-spec), is in
 * `contract/README.md`; the JSON schemas there check it. Both the client and
 * the emulator use these types, so a change here is a change to what we
 * believe the API says. At run time the client checks answers against
 * `schemas.ts`.
 */

/** A 24-character lowercase hex object ID. */
export type CycleId = string;

/** An RFC 3339 date-time. `0001-01-01T00:00:00Z` means "never". */
export type DateTime = string;

export const ZERO_TIME: DateTime = "0001-01-01T00:00:00Z";

/** Pattern every Cycle object ID matches. */
export const ID_PATTERN = /^[a-f0-9]{24}$/;

// ---------------------------------------------------------------------------
// Root documents and errors
// ---------------------------------------------------------------------------

/** Every error the API returns comes as this object under `error`. */
export interface CycleErrorObject {
  status: number;
  code: string;
  title: string;
  detail?: string;
  /** JSON pointer to the offending input, e.g. `/auth/api_key`. */
  source?: string;
  extra?: { capability?: string; [key: string]: unknown };
}

/** The error codes this project handles by name. */
export const ERROR_CODES = [
  "400.invalid-syntax",
  "401.auth-invalid",
  "401.auth-expired",
  "403.wrong-hub",
  "403.permissions",
  "403.invalid-state",
  "403.not-allowed",
  "404.hub",
  "404.hub.integration",
  "404.job",
  "404.uri",
  "409.duplicate-found",
  "415.invalid-content-type",
  "422.missing-argument",
  "422.invalid-argument",
  "422.invalid-input",
  "422.already-exists",
  "429.rate-limiting",
  "500.database",
  "500.jobd",
  "500.unknown",
  "503.not-ready",
  "504.not-available",
] as const;
export type CycleErrorCode = (typeof ERROR_CODES)[number];

// ---------------------------------------------------------------------------
// Capabilities
// ---------------------------------------------------------------------------

export const CAPABILITIES = [
  "hubs-integrations-view",
  "hubs-integrations-manage",
  "apionly-jobs-view",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

// ---------------------------------------------------------------------------
// Integrations
// ---------------------------------------------------------------------------

/** Credential fields; every one is a string or null. */
export interface IntegrationAuth {
  region?: string | null;
  namespace?: string | null;
  api_key?: string | null;
  key_id?: string | null;
  secret?: string | null;
  subscription_id?: string | null;
  client_id?: string | null;
  base64_config?: string | null;
}

/** The eight credential field names, as the API spells them. */
export const AUTH_FIELDS = [
  "region",
  "namespace",
  "api_key",
  "key_id",
  "secret",
  "subscription_id",
  "client_id",
  "base64_config",
] as const;
export type AuthField = (typeof AUTH_FIELDS)[number];

export const CREATOR_TYPES = [
  "account",
  "environment",
  "platform",
  "platform-pipeline",
  "employee",
  "api-key",
  "visitor",
] as const;
export type CreatorType = (typeof CREATOR_TYPES)[number];

export interface CreatorScope {
  id: CycleId;
  type: CreatorType;
}

export const INTEGRATION_STATES = ["new", "verifying", "live", "deleting", "deleted"] as const;
export type IntegrationStateName = (typeof INTEGRATION_STATES)[number];

export interface IntegrationState {
  current: IntegrationStateName;
  changed: DateTime;
  error?: { message: string; time: DateTime };
}

export interface IntegrationEvents {
  created: DateTime;
  updated: DateTime;
  deleted: DateTime;
}

export interface Integration {
  id: CycleId;
  name: string;
  vendor: string;
  identifier: string;
  auth: IntegrationAuth | null;
  extra: Record<string, string> | null;
  creator: CreatorScope;
  hub_id: CycleId;
  state: IntegrationState;
  events: IntegrationEvents;
  meta?: IntegrationMeta | null;
}

export interface IntegrationMeta {
  definition?: IntegrationDefinition;
}

// ---------------------------------------------------------------------------
// Definitions (what a vendor needs)
// ---------------------------------------------------------------------------

export const FIELD_TYPES = ["select", "string", "int", "blob"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface IntegrationField {
  name: string;
  required: boolean;
  description?: string;
  regex?: string | null;
  type?: FieldType;
  options?: string[] | null;
}

export interface ExtendedConfigurationOption {
  title: string;
  key: string;
  type: "bool" | "int" | "string";
  default: boolean | number | string | null;
}

export interface IntegrationDefinition {
  vendor: string;
  name: string;
  supports_verification: boolean;
  supports_multiple: boolean;
  features: string[] | null;
  extends: string[] | null;
  extended_configuration: { options: ExtendedConfigurationOption[] } | null;
  fields: {
    auth: Record<string, IntegrationField> | null;
    extra: Record<string, IntegrationField> | null;
  };
  url: string;
  public: boolean;
  usable: boolean;
  deprecated: boolean;
  editable: boolean;
}

export const INTEGRATION_CATEGORIES = [
  "image-builders",
  "object-storage",
  "tls-certificate-generation",
  "infrastructure-provider",
  "billing",
] as const;
export type IntegrationCategory = (typeof INTEGRATION_CATEGORIES)[number];

/** `GET /v1/hubs/current/integrations/available`: definitions by category. */
export type AvailableIntegrations = Partial<Record<IntegrationCategory, IntegrationDefinition[] | null>>;

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

export interface CreateIntegrationBody {
  name: string;
  vendor: string;
  identifier?: string;
  auth?: IntegrationAuth;
  extra?: Record<string, string>;
}

export interface UpdateIntegrationBody {
  name?: string | null;
  identifier?: string;
  auth?: IntegrationAuth | null;
  extra?: Record<string, string> | null;
}

export interface CreateJobBody {
  action: "verify";
}

// ---------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------

export interface JobDescriptor {
  action: string;
  job?: {
    id: CycleId;
    accepted: boolean;
    queue: string;
    schedule: DateTime;
    parallel: { tasks: boolean; sub_queue?: string };
    tasks: Array<{ caption: string; header: string; steps: JobTaskStep[] | null; input: unknown }> | null;
  };
}

export const JOB_STATES = ["new", "queued", "error", "scheduled", "expired", "running", "completed"] as const;
export type JobStateName = (typeof JOB_STATES)[number];

/** A job is over in one of these; only `completed` is success. */
export const FINISHED_JOB_STATES: readonly JobStateName[] = ["completed", "error", "expired"];

export const JOB_TASK_STATES = ["pending", "error", "running", "completed"] as const;
export type JobTaskStateName = (typeof JOB_TASK_STATES)[number];

export interface JobEvents {
  queued: DateTime;
  started: DateTime;
  completed: DateTime;
}

export interface JobTaskStep {
  caption: string;
  description: string;
  started: DateTime;
  completed: DateTime;
}

export interface JobTask {
  id: CycleId;
  caption: string;
  header: string;
  events: JobEvents;
  steps: JobTaskStep[] | null;
  state: { current: JobTaskStateName; changed: DateTime };
  input: unknown;
  output: Record<string, unknown> | null;
  error: { message: string } | null;
}

export interface Job {
  id: CycleId;
  hub_id: CycleId;
  queue: string;
  caption: string;
  events: JobEvents;
  schedule: DateTime;
  expires: DateTime;
  tasks: JobTask[];
  hash: string;
  limit_duplicates: boolean;
  creator: CreatorScope;
  state: { current: JobStateName; changed: DateTime; error: { message: string } | null };
}

// ---------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------

/** Query options of `GET /v1/hubs/current/integrations`. */
export interface ListIntegrationsQuery {
  /** `page[size]`; the API's default is 20. */
  pageSize?: number;
  /** `sort`, e.g. `name` or `-events.created`. */
  sort?: string;
  filter?: {
    state?: IntegrationStateName;
    search?: string;
    category?: IntegrationCategory;
  };
}
