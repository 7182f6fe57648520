/** Jobs: what a delete or a verify task answers (a descriptor), and the job it names. */
import { z } from "zod";
import { CreatorScope, DateTime, ID, StringMap } from "./common";
import { named } from "./registry";

export const JOB_STATES = ["new", "queued", "error", "scheduled", "expired", "running", "completed"] as const;
export type JobStateName = (typeof JOB_STATES)[number];

/** A job is over in one of these; only `completed` is success. */
export const FINISHED_JOB_STATES: readonly JobStateName[] = ["completed", "error", "expired"];

export const JOB_TASK_STATES = ["pending", "error", "running", "completed"] as const;
export type JobTaskStateName = (typeof JOB_TASK_STATES)[number];

export const JobTaskStep = named(z.object({ caption: z.string(), description: z.string(), started: DateTime, completed: DateTime }), {
  id: "TaskStep",
  title: "TaskStep",
  description: "A step of a job task; started/completed are the zero time until the step starts/ends.",
  from: "components/schemas/jobs/TaskStep.yml",
});
export type JobTaskStep = z.infer<typeof JobTaskStep>;

export const JobEvents = z.object({ queued: DateTime, started: DateTime, completed: DateTime });
export type JobEvents = z.infer<typeof JobEvents>;

const steps = z.array(JobTaskStep).nullable();
const taskInput = z.record(z.string(), z.unknown());
const jobError = z.object({ message: z.string() }).nullable();

export const JobTask = named(
  z.object({
    id: ID,
    caption: z.string(),
    header: z.string(),
    events: JobEvents,
    steps,
    state: z.object({ current: z.enum(JOB_TASK_STATES), changed: DateTime }),
    input: taskInput,
    output: StringMap.nullable(),
    error: jobError,
  }),
  {
    id: "JobTask",
    title: "JobTask",
    from: "components/schemas/jobs/JobTask.yml, components/schemas/jobs/TaskState.yml",
    departs: "TaskState requires `current` and `changed` (the spec requires neither): the job poller reads them.",
  },
);
export type JobTask = z.infer<typeof JobTask>;

export const Job = named(
  z.object({
    id: ID,
    hub_id: ID,
    queue: z.string(),
    caption: z.string(),
    events: JobEvents,
    schedule: DateTime,
    expires: DateTime,
    tasks: z.array(JobTask),
    hash: z.string(),
    limit_duplicates: z.boolean(),
    creator: CreatorScope,
    state: z.object({ current: z.enum(JOB_STATES), changed: DateTime, error: jobError }),
  }),
  {
    id: "Job",
    title: "Job",
    from: "components/schemas/jobs/Job.yml, components/schemas/jobs/JobState.yml",
    departs: "JobState requires `changed` too (the spec requires current and error only): the job poller reads it.",
  },
);
export type Job = z.infer<typeof Job>;

export const JobDescriptor = named(
  z.object({
    action: z.string(),
    job: z
      .object({
        id: ID,
        accepted: z.boolean(),
        queue: z.string(),
        schedule: DateTime,
        parallel: z.object({ tasks: z.boolean(), sub_queue: z.string().nullable().optional() }),
        tasks: z.array(z.object({ caption: z.string(), header: z.string(), steps, input: taskInput })).nullable(),
      })
      .optional(),
  }),
  {
    id: "JobDescriptor",
    title: "JobDescriptor",
    from: "components/schemas/jobs/JobDescriptor.yml",
    departs: "`job.id` is an ID (the spec says string): it is the jobId of GET /v1/jobs/{jobId}.",
  },
);
export type JobDescriptor = z.infer<typeof JobDescriptor>;
