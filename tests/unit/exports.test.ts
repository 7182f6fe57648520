/**
 * The package's public runtime surface, name by name: adding or removing an
 * export is a change to what users may rely on, so it must show up here (and
 * in the CHANGELOG), never by accident. Loaded by package name, through the
 * exports map, as a user's program loads it.
 */

test("pulumi-cycle exports exactly the resource, the lookups, the configuration error and the client", () => {
  const root = require("pulumi-cycle") as Record<string, unknown>;
  expect(Object.keys(root).sort()).toEqual([
    "CycleApiError",
    "CycleClient",
    "CycleConfigError",
    "Integration",
    "getAvailableIntegrations",
    "getAvailableIntegrationsOutput",
    "getIntegration",
    "getIntegrationOutput",
    "getIntegrations",
    "getIntegrationsOutput",
  ]);
});

test("pulumi-cycle/emulator exports exactly these names", () => {
  const emulator = require("pulumi-cycle/emulator") as Record<string, unknown>;
  expect(Object.keys(emulator).sort()).toEqual([
    "API_CREATOR_TYPES",
    "CATALOGUE",
    "DATE_HEADER_MODES",
    "DEFAULT_DELETE_GRACE_MS",
    "DEFAULT_JOB_STEP_MS",
    "DEFAULT_PAGE_SIZE",
    "KEY_ROLES",
    "LENIENT_BEHAVIOUR",
    "MAX_PAGE_SIZE",
    "MIN_IDENTIFIER_LENGTH",
    "MIN_NAME_LENGTH",
    "SEARCH_FIELDS",
    "SORTABLE_FIELDS",
    "STRICT_BEHAVIOUR",
    "VENDORS",
    "VERIFY_FAIL_MARKER",
    "definitionOf",
    "findEntry",
    "startEmulator",
    "tokenize",
  ]);
});
