/**
 * pulumi-cycle: Cycle.io hub integrations as Pulumi resources.
 *
 * The public API, each name of it a promise kept across releases (the runtime
 * list is pinned by tests/unit/exports.test.ts): the resource, the lookup
 * functions, the configuration error, and the Cycle API client with the error
 * it throws, for scripts that need the API directly.
 */
export { Integration } from "./resource/integration";
export type { IntegrationArgs, IntegrationAuthArgs, IntegrationAuthValues } from "./resource/integration";
export {
  getAvailableIntegrations,
  getAvailableIntegrationsOutput,
  getIntegration,
  getIntegrationOutput,
  getIntegrations,
  getIntegrationsOutput,
} from "./functions";
export type {
  AvailableIntegration,
  GetIntegrationArgs,
  GetIntegrationOutputArgs,
  GetIntegrationsOutputArgs,
  LookupOptions,
  LookupOutputOptions,
} from "./functions";
export { CycleConfigError } from "./config";
export { CycleClient, CycleApiError } from "./api";
export type {
  CycleClientOptions,
  CallOptions,
  IntegrationCallOptions,
  RetryNotice,
  RetryPolicy,
  CycleApiErrorFields,
  CycleErrorKind,
  RequestOutcome,
} from "./api";
/**
 * The Cycle API's data types, as `CycleClient` takes and returns them:
 * `api.Integration`, `api.Job`, ... (types only; an `import type` and a type
 * export rather than `export type * as`, which TypeScript before 5.0 cannot read).
 */
import type * as api from "./api/types";
export type { api };
