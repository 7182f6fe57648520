/** The Cycle API client: everything provider code needs to talk to the API. */
export * from "./types";
export { CycleClient } from "./client";
export type { CycleClientOptions, CallOptions, IntegrationCallOptions } from "./client";
export { CycleApiError } from "./errors";
export type { CycleErrorKind } from "./errors";
export { CycleJobError, waitForJob, DEFAULT_JOB_WAIT } from "./jobs";
export type { JobProgress, WaitForJobOptions } from "./jobs";
export { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter } from "./retry";
export type { RetryPolicy } from "./retry";
export { DEFAULT_API_URL, normalizeBaseUrl } from "./baseUrl";
export { assertCycleId, isCycleId } from "./ids";
export { Redactor, REDACTED } from "./redact";
