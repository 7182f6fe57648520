/** What a request may carry: its headers, query parameters and bodies. */
import { z } from "zod";
import { ID, StringMap } from "./common";
import { IntegrationAuth, INTEGRATION_CATEGORIES, INTEGRATION_STATES } from "./integrations";
import { named } from "./registry";

export const RequestHeaders = named(
  z.object({
    authorization: z.string().regex(/^Bearer [^\s]+$/),
    "x-hub-id": ID,
    "content-type": z
      .string()
      .regex(/^application\/json\s*(;.*)?$/)
      .optional(),
  }),
  {
    id: "RequestHeaders",
    title: "Headers of every request",
    description: "Header names in lower case, as node reports them. Content-Type only when there is a body.",
    from: "platform/api.yml (security: bearerAuth and hubAuth; components.securitySchemes)",
    departs:
      "X-Hub-Id is required on every operation, GET /v1/jobs/{jobId} included, although integration.yml and integrations.yml replace the global security with bearerAuth alone: every /v1/hubs/current/... call is scoped by that header, and the API refuses one without it (403.wrong-hub).",
  },
);

/** The fields a list may be sorted by (`-` before one for descending). */
export const SORT_FIELDS = [
  "id",
  "name",
  "identifier",
  "vendor",
  "state.current",
  "state.changed",
  "events.created",
  "events.updated",
  "events.deleted",
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
const sortField = `-?(${SORT_FIELDS.map((f) => f.replace(/\./g, "\\.")).join("|")})`;

const meta = z.enum(["definition"]).optional();

export const ListIntegrationsQueryParams = named(
  z.strictObject({
    "page[number]": z
      .string()
      .regex(/^[1-9][0-9]*$/)
      .optional(),
    "page[size]": z
      .string()
      .regex(/^([1-9][0-9]?|100)$/)
      .optional(),
    sort: z
      .string()
      .regex(new RegExp(`^${sortField}(,${sortField})*$`))
      .optional(),
    "filter[state]": z.enum(INTEGRATION_STATES).optional(),
    "filter[search]": z.string().optional(),
    "filter[category]": z.enum(INTEGRATION_CATEGORIES).optional(),
    meta,
  }),
  {
    id: "ListIntegrationsQuery",
    title: "List integrations: query parameters",
    description: "The deepObject parameters page and filter, written out as the names sent.",
    from: "platform/paths/hubs/integrations/integrations.yml (get parameters), components/parameters/PageParam.yml, components/parameters/SortParam.yml",
    departs:
      "Query values are the strings on the wire. page[number] and page[size] are positive integers, page[size] at most 100 (the spec says `number`); sort names one of the fields the project sorts by; filter[state] and filter[category] take the documented enums (the spec says string). Unknown parameters are refused (422).",
  },
);

export const MetaQuery = named(z.strictObject({ meta }), {
  id: "MetaQuery",
  title: "Get, list, create, update, delete: the meta parameter",
  from: "platform/paths/hubs/integrations/integration.yml, integrations.yml (meta parameter)",
  departs:
    "Delete takes `meta` too (the spec declares it on get, update, list and create only): the emulator accepts it there for parity with the other integration calls and embeds nothing, since a JobDescriptor has no meta. Unknown parameters are refused (422).",
});

export const NoQuery = named(z.strictObject({}), {
  id: "NoQuery",
  title: "Available, tasks, get job: no query parameters",
  from: "platform/paths/hubs/integrations/availableIntegrations.yml, platform/paths/hubs/integrations/tasks.yml, platform/paths/jobs/job.yml",
  departs: "None is declared, so any parameter is refused (422) rather than ignored.",
});

export const CreateIntegrationBody = named(
  z.strictObject({
    name: z.string().min(5),
    vendor: z.string().min(1),
    identifier: z.string().min(3).optional(),
    auth: IntegrationAuth.optional(),
    extra: StringMap.optional(),
  }),
  {
    id: "CreateIntegrationRequest",
    title: "Create integration: request body",
    from: "platform/paths/hubs/integrations/integrations.yml (post requestBody), components/schemas/Identifier.yml",
    departs:
      "`identifier` is optional: the spec lists it as required while its Identifier schema says the platform derives it from the name when missing; the project follows the description (the client nevertheless always sends one, so its requests are valid under both readings). Closed (additionalProperties false): the emulator refuses unknown properties with 422.invalid-input.",
  },
);
export type CreateIntegrationBody = z.infer<typeof CreateIntegrationBody>;

export const UpdateIntegrationBody = named(
  z.strictObject({
    name: z.string().min(5).nullable().optional(),
    identifier: z.string().min(3).optional(),
    auth: IntegrationAuth.nullable().optional(),
    extra: StringMap.nullable().optional(),
  }),
  {
    id: "UpdateIntegrationRequest",
    title: "Update integration: request body",
    from: "platform/paths/hubs/integrations/integration.yml (patch requestBody)",
    departs: "Closed (additionalProperties false): `vendor` cannot change and other properties are refused (422).",
  },
);
export type UpdateIntegrationBody = z.infer<typeof UpdateIntegrationBody>;

export const CreateJobBody = named(z.strictObject({ action: z.enum(["verify"]) }), {
  id: "CreateIntegrationJobRequest",
  title: "Create integration job (task): request body",
  from: "platform/paths/hubs/integrations/tasks.yml (post requestBody)",
  departs: "Closed (additionalProperties false), and the body itself is required (the spec does not mark the requestBody required).",
});
export type CreateJobBody = z.infer<typeof CreateJobBody>;
