/**
 * pulumi-cycle: Cycle.io hub integrations as Pulumi resources.
 *
 * The resource and the lookup functions are the public API; the client is
 * exported for scripts that need the Cycle API directly.
 */
export { Integration } from "./resource/integration";
export type { IntegrationArgs, IntegrationAuthArgs, IntegrationAuthValues } from "./resource/integration";
export { getAvailableIntegrations, getAvailableIntegrationsOutput, getIntegrations, getIntegrationsOutput } from "./functions";
export type { AvailableIntegration, GetIntegrationsOutputArgs, LookupOptions, LookupOutputOptions } from "./functions";
export { CONFIG_KEYS, CycleConfigError } from "./config";
export * as api from "./api";
