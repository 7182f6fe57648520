/**
 * The Cycle API client as the package offers it: `CycleClient`, the error it
 * throws and its options (the API's data types are in `./types`). The rest
 * of this folder (retry policy, redaction, ID checks, job tracking) is the
 * provider's own and may change in any release.
 */
export { CycleClient } from "./client";
export type { CycleClientOptions, CallOptions, IntegrationCallOptions, RetryNotice } from "./client";
export { CycleApiError } from "./errors";
export type { CycleApiErrorFields, CycleErrorKind, RequestOutcome } from "./errors";
export type { RetryPolicy } from "./retry";
