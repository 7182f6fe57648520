/**
 * The integrations and jobs operations of the Cycle API the project uses:
 * how to recognise each on the wire, which schemas its request parts and
 * answers follow, and every status the emulator can answer it with.
 */
import { SchemaName } from "./schemas";

export const OPERATION_NAMES = ["list", "create", "get", "update", "delete", "available", "task", "getJob"] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface Operation {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Matches the path without the query string. */
  path: RegExp;
  query: SchemaName;
  /** The request body's schema; no body is sent when absent. */
  body?: SchemaName;
  success: { status: number; schema: SchemaName };
  /** Every error status the emulator can answer (502, an HTML page by design, aside). */
  errors: number[];
}

const ID = "[a-f0-9]{24}";
const INTEGRATIONS = "^/v1/hubs/current/integrations";
/** Answered to any call: key, hub, capability, query, and the gateway's 429 and 5xx. */
const ANY = [401, 403, 404, 422, 429, 500, 503, 504];
/** Added for calls with a JSON body. */
const BODY = [400, 415];

export const OPERATIONS: Record<OperationName, Operation> = {
  list: {
    method: "GET",
    path: new RegExp(`${INTEGRATIONS}$`),
    query: "ListIntegrationsQuery",
    success: { status: 200, schema: "IntegrationListDocument" },
    errors: ANY,
  },
  create: {
    method: "POST",
    path: new RegExp(`${INTEGRATIONS}$`),
    query: "MetaQuery",
    body: "CreateIntegrationRequest",
    success: { status: 201, schema: "IntegrationDocument" },
    errors: [...ANY, ...BODY, 409],
  },
  get: { method: "GET", path: new RegExp(`${INTEGRATIONS}/${ID}$`), query: "MetaQuery", success: { status: 200, schema: "IntegrationDocument" }, errors: ANY },
  update: {
    method: "PATCH",
    path: new RegExp(`${INTEGRATIONS}/${ID}$`),
    query: "MetaQuery",
    body: "UpdateIntegrationRequest",
    success: { status: 200, schema: "IntegrationDocument" },
    errors: [...ANY, ...BODY],
  },
  delete: {
    method: "DELETE",
    path: new RegExp(`${INTEGRATIONS}/${ID}$`),
    query: "MetaQuery",
    success: { status: 202, schema: "JobDescriptorDocument" },
    errors: ANY,
  },
  available: {
    method: "GET",
    path: new RegExp(`${INTEGRATIONS}/available$`),
    query: "NoQuery",
    success: { status: 200, schema: "AvailableIntegrationsDocument" },
    errors: ANY,
  },
  task: {
    method: "POST",
    path: new RegExp(`${INTEGRATIONS}/${ID}/tasks$`),
    query: "NoQuery",
    body: "CreateIntegrationJobRequest",
    success: { status: 202, schema: "JobDescriptorDocument" },
    errors: [...ANY, ...BODY],
  },
  getJob: { method: "GET", path: new RegExp(`^/v1/jobs/${ID}$`), query: "NoQuery", success: { status: 200, schema: "JobDocument" }, errors: ANY },
};

/** The operation a request is, by method and path; "available" wins over "get" by being tried first. */
export function operationOf(method: string, pathname: string): OperationName | undefined {
  const order: OperationName[] = ["available", ...OPERATION_NAMES.filter((n) => n !== "available")];
  return order.find((n) => OPERATIONS[n].method === method && OPERATIONS[n].path.test(pathname));
}
