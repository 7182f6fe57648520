/** The Cycle API client: everything provider code needs to talk to the API. */
export * from "./types";
export { CycleClient, CycleClientOptions, CallOptions, IntegrationCallOptions } from "./client";
export { CycleApiError, CycleErrorKind } from "./errors";
export { CycleJobError, JobProgress, WaitForJobOptions, waitForJob, DEFAULT_JOB_WAIT } from "./jobs";
export { RetryPolicy, DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter } from "./retry";
export { DEFAULT_API_URL, normalizeBaseUrl } from "./baseUrl";
export { assertCycleId, isCycleId } from "./ids";
export { Redactor, REDACTED } from "./redact";
