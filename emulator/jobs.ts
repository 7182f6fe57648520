/**
 * Jobs on a timeline. A job's whole future is fixed when it is created (when
 * it starts, how long each step takes, how it ends), and every read computes
 * what it looks like *now* from those numbers. That keeps the emulator free
 * of timers (nothing to leak when a test ends) and makes the timeline exact:
 *
 *   createdAt ── queued ──▶ startsAt ── running, one step per `stepMs` ──▶
 *   finishAt: completed | error (at the failing step)
 *
 * `startsAt` is one step after creation, or later if another job of the same
 * queue (the same integration) is still to finish: a queue runs one job at a
 * time, so a delete sent during a verify waits for it.
 *
 * An expired job never starts: it stays queued until `createdAt + 2 steps`,
 * then reads `expired`.
 */
import { CreatorScope, CycleId, Job, JobDescriptor, JobStateName, JobTask, JobTaskStateName, JobTaskStep } from "../provider/api/contract";
import { hashOf, newId } from "./ids";
import { iso } from "./time";

export type JobKind = "verify" | "delete";
export type JobOutcome = "completed" | "error" | "expired";

interface StepSpec {
  caption: string;
  description: string;
}

/** The steps each kind of job walks through, and which one fails on error. */
const PLANS: Record<JobKind, { caption: string; header: string; steps: StepSpec[]; failStep: number }> = {
  verify: {
    caption: "Verify integration",
    header: "verify",
    steps: [
      { caption: "Validating credentials", description: "Checking the credentials against the vendor's format." },
      { caption: "Contacting vendor API", description: "Authenticating with the vendor using the credentials." },
      { caption: "Recording result", description: "Saving the verification result on the integration." },
    ],
    failStep: 1,
  },
  delete: {
    caption: "Delete integration",
    header: "delete",
    steps: [
      { caption: "Revoking integration access", description: "Detaching the integration from hub resources." },
      { caption: "Removing integration", description: "Marking the integration deleted." },
    ],
    failStep: 1,
  },
};

/** A normal job may wait this long in the queue before it would expire. */
const JOB_TTL_MS = 60 * 60 * 1000;

export interface JobRecord {
  id: CycleId;
  hubId: CycleId;
  kind: JobKind;
  integrationId: CycleId;
  creator: CreatorScope;
  createdAt: number;
  /** When it leaves the queue (unless it expires first). */
  startsAt: number;
  stepMs: number;
  outcome: JobOutcome;
  /** Message of an `error` or `expired` outcome. */
  errorMessage: string | null;
  /** How many more `GET /v1/jobs/{id}` answer `404.job` (fault injection). */
  hiddenReads: number;
  taskId: CycleId;
  hash: string;
  /** Set once the job's effect on its integration has been applied. */
  applied: boolean;
}

export function newJobRecord(args: {
  hubId: CycleId;
  kind: JobKind;
  integrationId: CycleId;
  creator: CreatorScope;
  createdAt: number;
  /** When the previous job of the same queue finishes, if it has not yet. */
  queueFreeAt: number;
  stepMs: number;
  outcome: JobOutcome;
  errorMessage: string | null;
  hiddenReads: number;
}): JobRecord {
  const { queueFreeAt, ...rest } = args;
  return {
    ...rest,
    startsAt: Math.max(args.createdAt + args.stepMs, queueFreeAt),
    id: newId(),
    taskId: newId(),
    hash: hashOf(args.kind, args.integrationId, String(args.createdAt)),
    applied: false,
  };
}

const startAt = (j: JobRecord): number => j.startsAt;

/** When the job reaches its final state. */
export function finishAt(j: JobRecord): number {
  const plan = PLANS[j.kind];
  switch (j.outcome) {
    case "completed":
      return startAt(j) + plan.steps.length * j.stepMs;
    case "error":
      return startAt(j) + (plan.failStep + 1) * j.stepMs;
    case "expired":
      return j.createdAt + 2 * j.stepMs;
  }
}

function expiresAt(j: JobRecord): number {
  return j.outcome === "expired" ? finishAt(j) : j.createdAt + JOB_TTL_MS;
}

/** The queue a job runs in: jobs on one integration are serialised. */
const queueOf = (j: Pick<JobRecord, "integrationId">): string => `integration-${j.integrationId}`;

function stepsAt(j: JobRecord, now: number): JobTaskStep[] {
  const plan = PLANS[j.kind];
  const lastStep = j.outcome === "error" ? plan.failStep : plan.steps.length - 1;
  return plan.steps.map((s, i) => {
    const started = startAt(j) + i * j.stepMs;
    const completed = started + j.stepMs;
    const ran = j.outcome !== "expired" && i <= lastStep;
    // The failing step starts but never completes.
    const completes = ran && !(j.outcome === "error" && i === plan.failStep);
    return {
      caption: s.caption,
      description: s.description,
      started: iso(ran && now >= started ? started : null),
      completed: iso(completes && now >= completed ? completed : null),
    };
  });
}

/** What `GET /v1/jobs/{id}` shows at instant `now`. */
export function viewJob(j: JobRecord, now: number): Job {
  const plan = PLANS[j.kind];
  const finish = finishAt(j);
  let state: JobStateName;
  let taskState: JobTaskStateName;
  let changed: number;
  let started: number | null = null;
  let completed: number | null = null;

  if (now >= finish) {
    state = j.outcome;
    taskState = j.outcome === "expired" ? "pending" : j.outcome;
    changed = finish;
    started = j.outcome === "expired" ? null : startAt(j);
    completed = j.outcome === "expired" ? null : finish;
  } else if (j.outcome !== "expired" && now >= startAt(j)) {
    state = "running";
    taskState = "running";
    changed = startAt(j);
    started = startAt(j);
  } else {
    state = "queued";
    taskState = "pending";
    changed = j.createdAt;
  }

  const finishedBadly = now >= finish && j.outcome !== "completed";
  const error = finishedBadly ? { message: j.errorMessage ?? `job ${j.outcome}` } : null;
  const events = { queued: iso(j.createdAt), started: iso(started), completed: iso(completed) };
  const task: JobTask = {
    id: j.taskId,
    caption: plan.caption,
    header: plan.header,
    events,
    steps: stepsAt(j, now),
    state: { current: taskState, changed: iso(changed) },
    input: { integration_id: j.integrationId },
    output: state === "completed" ? { integration_id: j.integrationId, result: j.kind === "verify" ? "verified" : "deleted" } : null,
    // An expired job's task never ran, so it has no error of its own.
    error: state === "error" ? error : null,
  };
  return {
    id: j.id,
    hub_id: j.hubId,
    queue: queueOf(j),
    caption: plan.caption,
    events,
    schedule: iso(j.createdAt),
    expires: iso(expiresAt(j)),
    tasks: [task],
    hash: j.hash,
    limit_duplicates: true,
    creator: j.creator,
    state: { current: state, changed: iso(changed), error },
  };
}

/**
 * The `JobDescriptor` a 202 answers with, as of `now` (the instant the job was
 * created): its steps carry the spec's `TaskStep` times, read off the same
 * timeline as the job, so they are the zero time until a step starts or ends.
 */
export function describeJob(j: JobRecord, now: number): JobDescriptor {
  const plan = PLANS[j.kind];
  return {
    action: j.kind,
    job: {
      id: j.id,
      accepted: true,
      queue: queueOf(j),
      schedule: iso(j.createdAt),
      parallel: { tasks: false },
      tasks: [
        {
          caption: plan.caption,
          header: plan.header,
          steps: stepsAt(j, now),
          input: { integration_id: j.integrationId },
        },
      ],
    },
  };
}
