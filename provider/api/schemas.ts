/**
 * Runtime shapes of the API's answers, checked at the HTTP boundary. The
 * provider records what the API returns; an answer missing a field it relies
 * on must fail as a clear "malformed response" before anything acts on it,
 * never as a TypeError deep in the lifecycle after a write went through.
 *
 * Only what the project reads is required. Objects are loose: a field the
 * API adds later must not break us. Messages name the path of a problem,
 * never a value (a value could be a credential).
 */
import { z } from "zod";
import { INTEGRATION_STATES, JOB_STATES, JOB_TASK_STATES } from "./types";
import type { AvailableIntegrations, Integration, Job, JobDescriptor } from "./types";

const id = z.string().regex(/^[a-f0-9]{24}$/);
const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date-time");
const stringMap = z.record(z.string(), z.string());

const field = z.looseObject({
  name: z.string(),
  required: z.boolean(),
  description: z.string().optional(),
  regex: z.string().nullish(),
  type: z.string().optional(),
  options: z.array(z.string()).nullish(),
});

export const definitionSchema = z.looseObject({
  vendor: z.string(),
  name: z.string(),
  supports_verification: z.boolean(),
  supports_multiple: z.boolean(),
  features: z.array(z.string()).nullish(),
  extends: z.array(z.string()).nullish(),
  fields: z.looseObject({
    auth: z.record(z.string(), field).nullish(),
    extra: z.record(z.string(), field).nullish(),
  }),
  usable: z.boolean(),
  deprecated: z.boolean(),
  editable: z.boolean(),
});

export const integrationSchema = z.looseObject({
  id,
  name: z.string(),
  vendor: z.string(),
  identifier: z.string(),
  // Not relied on: the API need not echo credentials.
  auth: z.record(z.string(), z.string().nullable()).nullish(),
  extra: stringMap.nullish(),
  creator: z.looseObject({ id: z.string(), type: z.string() }).optional(),
  hub_id: id,
  state: z.looseObject({
    current: z.enum(INTEGRATION_STATES),
    changed: dateTime,
    error: z.looseObject({ message: z.string(), time: z.string().optional() }).nullish(),
  }),
  events: z.looseObject({ created: dateTime, updated: dateTime, deleted: z.string().optional() }),
  meta: z.looseObject({ definition: definitionSchema.optional() }).nullish(),
});

export const integrationListSchema = z.array(integrationSchema);

export const jobDescriptorSchema = z.looseObject({
  action: z.string(),
  job: z
    .looseObject({
      id,
      schedule: z.string().optional(),
      tasks: z.array(z.looseObject({ caption: z.string() })).nullish(),
    })
    .optional(),
});

const step = z.looseObject({ caption: z.string(), started: z.string().optional(), completed: z.string().optional() });

export const jobSchema = z.looseObject({
  id,
  caption: z.string(),
  events: z.looseObject({ queued: z.string(), started: z.string(), completed: z.string() }).optional(),
  schedule: z.string().optional(),
  tasks: z
    .array(
      z.looseObject({
        caption: z.string(),
        steps: z.array(step).nullish(),
        state: z.looseObject({ current: z.enum(JOB_TASK_STATES) }),
        error: z.looseObject({ message: z.string() }).nullish(),
      }),
    )
    .nullish(),
  state: z.looseObject({
    current: z.enum(JOB_STATES),
    changed: z.string().optional(),
    error: z.looseObject({ message: z.string() }).nullish(),
  }),
});

export const availableSchema = z.record(z.string(), z.array(definitionSchema).nullable());

/** A schema whose parsed type is the API type the client returns. */
export type ResponseSchema<T> = z.ZodType<T>;

// The API types are the source of truth for the rest of the code; the
// schemas check at run time what those types promise for the fields we use.
export const SCHEMAS = {
  integration: integrationSchema as unknown as ResponseSchema<Integration>,
  integrations: integrationListSchema as unknown as ResponseSchema<Integration[]>,
  jobDescriptor: jobDescriptorSchema as unknown as ResponseSchema<JobDescriptor>,
  job: jobSchema as unknown as ResponseSchema<Job>,
  available: availableSchema as unknown as ResponseSchema<AvailableIntegrations>,
};

/** Where the data breaks the schema, by path and kind, with no value in it. */
export function describeMismatch(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join(".") : "data";
    return `${where}: ${issue.code === "invalid_type" ? `expected ${(issue as { expected?: string }).expected ?? "another type"}` : issue.code.replace(/_/g, " ")}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return `unexpected response shape: ${shown.join("; ")}${more}`;
}
