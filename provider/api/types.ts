/**
 * Types of the Cycle API as the client gives them to the rest of the
 * provider. None is written by hand: what the API promises, and the request
 * bodies, are inferred from the contract (`./contract`, the one source; the
 * JSON schemas of `contract/schemas/` are generated from it); what the client
 * returns is inferred from the reading it checks answers with (`./schemas`),
 * so a type never promises a field that was not checked.
 */
import type { z } from "zod";
import type { CycleError, IntegrationCategory, IntegrationStateName } from "./contract";
import type { availableSchema, definitionSchema, integrationSchema, jobDescriptorSchema, jobSchema } from "./schemas";

export {
  AUTH_FIELDS,
  CAPABILITIES,
  CREATOR_TYPES,
  ERROR_CODES,
  FIELD_TYPES,
  FINISHED_JOB_STATES,
  ID_PATTERN,
  INTEGRATION_CATEGORIES,
  INTEGRATION_STATES,
  JOB_STATES,
  JOB_TASK_STATES,
  ZERO_TIME,
} from "./contract";
export type {
  AuthField,
  Capability,
  CreateIntegrationBody,
  CreateJobBody,
  CreatorType,
  CycleErrorCode,
  CycleId,
  DateTime,
  ExtendedConfigurationOption,
  FieldType,
  IntegrationAuth,
  IntegrationCategory,
  IntegrationStateName,
  JobStateName,
  JobTaskStateName,
  UpdateIntegrationBody,
} from "./contract";

/** An error object as the client reads it: any status and code (an unknown one is still an error). */
export type CycleErrorObject = Omit<z.infer<typeof CycleError>, "status" | "code"> & { status: number; code: string };

/** An integration as the client returns it. */
export type Integration = z.infer<typeof integrationSchema>;
/** A vendor's definition as the client returns it. */
export type IntegrationDefinition = z.infer<typeof definitionSchema>;
/** One field of a definition, as the client returns it. */
export type IntegrationField = NonNullable<NonNullable<IntegrationDefinition["fields"]["auth"]>[string]>;
/** `GET /v1/hubs/current/integrations/available`: definitions by category. */
export type AvailableIntegrations = z.infer<typeof availableSchema>;
/** What a delete or a verify task answers. */
export type JobDescriptor = z.infer<typeof jobDescriptorSchema>;
/** A job as the client returns it. */
export type Job = z.infer<typeof jobSchema>;
export type JobTask = NonNullable<Job["tasks"]>[number];
export type JobTaskStep = NonNullable<JobTask["steps"]>[number];
export type JobEvents = NonNullable<Job["events"]>;
export type IntegrationState = Integration["state"];
export type IntegrationEvents = Integration["events"];
export type IntegrationMeta = NonNullable<Integration["meta"]>;
export type CreatorScope = NonNullable<Integration["creator"]>;

/** Query options of `GET /v1/hubs/current/integrations` (the client's names; the wire's are in the contract). */
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
