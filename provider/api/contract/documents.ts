/** Root documents: every answer is `{"data": ...}`, or `{"error": ..., "data": null}`. */
import { z } from "zod";
import { CycleError } from "./errors";
import { AvailableIntegrations, Integration } from "./integrations";
import { Job, JobDescriptor } from "./jobs";
import { named } from "./registry";

const SPEC_INTEGRATIONS = "platform/paths/hubs/integrations";

export const ErrorDocument = named(z.object({ error: CycleError, data: z.null() }), {
  id: "ErrorDocument",
  title: "Error root document",
  from: "components/schemas/errors/ErrorEnvelope.yml, components/responses/errors/DefaultError.yml",
});

export const IntegrationDocument = named(z.object({ data: Integration }), {
  id: "IntegrationDocument",
  title: "Integration root document (get, create, update)",
  from: `${SPEC_INTEGRATIONS}/integration.yml (get 200, patch 200), ${SPEC_INTEGRATIONS}/integrations.yml (post 201)`,
});

export const IntegrationListDocument = named(z.object({ data: z.array(Integration) }), {
  id: "IntegrationListDocument",
  title: "Integration list root document",
  from: `${SPEC_INTEGRATIONS}/integrations.yml (get 200)`,
});

export const AvailableIntegrationsDocument = named(z.object({ data: AvailableIntegrations }), {
  id: "AvailableIntegrationsDocument",
  title: "Available integrations root document",
  from: `${SPEC_INTEGRATIONS}/availableIntegrations.yml (get 200)`,
});

export const JobDescriptorDocument = named(z.object({ data: JobDescriptor }), {
  id: "JobDescriptorDocument",
  title: "JobDescriptor root document (delete, task)",
  from: `${SPEC_INTEGRATIONS}/integration.yml (delete 202), ${SPEC_INTEGRATIONS}/tasks.yml (post 202)`,
});

export const JobDocument = named(z.object({ data: Job }), {
  id: "JobDocument",
  title: "Job root document",
  from: "platform/paths/jobs/job.yml (get 200)",
});
