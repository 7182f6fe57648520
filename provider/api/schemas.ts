/**
 * What the client checks at the HTTP boundary: the contract's schemas
 * (`./contract`), read more leniently. The provider records what the API
 * returns; an answer missing a field it relies on must fail as a clear
 * "malformed response" before anything acts on it, never as a TypeError deep
 * in the lifecycle after a write went through.
 *
 * So this file only *derives*: it names what the client does not read
 * (omitted: not checked, and absent from the types, so nothing can read it
 * unchecked), what it reads but tolerates missing (partial), and where it
 * takes a wider value than the contract (a creator type or field type the API
 * adds later must not make every answer unreadable). Objects are loose: a
 * field the API adds must not break us. The emulator answers the contract
 * itself, not this reading. Messages name the path of a problem, never a
 * value (a value could be a credential).
 */
import { z } from "zod";
import * as contract from "./contract";

const field = contract.IntegrationField.extend({ type: z.string().optional() }).loose();
const fieldMap = z.record(z.string(), field).nullish();

export const definitionSchema = contract.IntegrationDefinition.omit({ url: true, public: true, extended_configuration: true })
  .extend({ fields: contract.IntegrationDefinition.shape.fields.extend({ auth: fieldMap, extra: fieldMap }).loose() })
  .loose();

export const integrationSchema = contract.Integration.extend({
  // Not relied on: the API need not echo credentials.
  auth: z.record(z.string(), z.string().nullable()).nullish(),
  creator: contract.CreatorScope.extend({ type: z.string() }).loose().optional(),
  state: contract.IntegrationState.extend({ error: contract.IntegrationState.shape.error.unwrap().loose().nullish() }).loose(),
  events: contract.IntegrationEvents.partial({ deleted: true }).loose(),
  meta: contract.IntegrationMeta.extend({ definition: definitionSchema.optional() }).loose().nullish(),
}).loose();

export const integrationListSchema = z.array(integrationSchema);

const step = contract.JobTaskStep.pick({ caption: true, started: true, completed: true }).partial({ started: true, completed: true }).loose();
const steps = z.array(step).nullish();
const jobError = contract.Job.shape.state.shape.error.unwrap().loose().nullish();
const descriptorJob = contract.JobDescriptor.shape.job.unwrap();

export const jobDescriptorSchema = contract.JobDescriptor.extend({
  job: descriptorJob
    .pick({ id: true, schedule: true })
    .partial({ schedule: true })
    .extend({ tasks: z.array(descriptorJob.shape.tasks.unwrap().element.pick({ caption: true, header: true }).partial({ header: true }).loose()).nullish() })
    .loose()
    .optional(),
}).loose();

const task = contract.JobTask.pick({ caption: true, header: true, state: true, error: true })
  .partial({ header: true })
  .extend({ steps, state: contract.JobTask.shape.state.partial({ changed: true }).loose(), error: jobError })
  .loose();

export const jobSchema = contract.Job.pick({ id: true, caption: true, events: true, schedule: true, tasks: true, state: true })
  .partial({ events: true, schedule: true })
  .extend({
    events: contract.JobEvents.loose().optional(),
    tasks: z.array(task).nullish(),
    state: contract.Job.shape.state.partial({ changed: true }).extend({ error: jobError }).loose(),
  })
  .loose();

/** Categories the client does not know still parse: a new one must not hide the others. */
export const availableSchema = z.record(z.string(), z.array(definitionSchema).nullable());

/** A schema whose parsed type is the API type the client returns. */
export type ResponseSchema<T> = z.ZodType<T>;

export const SCHEMAS = {
  integration: integrationSchema,
  integrations: integrationListSchema,
  jobDescriptor: jobDescriptorSchema,
  job: jobSchema,
  available: availableSchema,
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
