/** The error object every failed call answers, and the codes the project handles by name. */
import { z } from "zod";
import { named } from "./registry";

/** The error codes this project handles by name. */
export const ERROR_CODES = [
  "400.invalid-syntax",
  "401.auth-invalid",
  "401.auth-expired",
  "403.wrong-hub",
  "403.permissions",
  "403.invalid-state",
  "403.not-allowed",
  "404.hub",
  "404.hub.integration",
  "404.job",
  "404.uri",
  "409.duplicate-found",
  "415.invalid-content-type",
  "422.missing-argument",
  "422.invalid-argument",
  "422.invalid-input",
  "422.already-exists",
  "429.rate-limiting",
  "500.database",
  "500.jobd",
  "500.unknown",
  "503.not-ready",
  "504.not-available",
] as const;
export type CycleErrorCode = (typeof ERROR_CODES)[number];

/** The statuses an error may carry: the spec's, and 429. */
export const ERROR_STATUSES = [400, 401, 403, 404, 409, 415, 422, 429, 500, 501, 502, 503, 504] as const;
export type CycleErrorStatus = (typeof ERROR_STATUSES)[number];

export const CAPABILITIES = ["hubs-integrations-view", "hubs-integrations-manage", "apionly-jobs-view"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The status of an error is the numeric prefix of its code, as in the API. */
export function statusOfCode(code: CycleErrorCode): CycleErrorStatus {
  const status = ERROR_STATUSES.find((s) => code.startsWith(`${s}.`));
  if (status === undefined) throw new RangeError(`no status for error code ${code}`);
  return status;
}

/** Every error the API returns comes as this object under `error`. */
export const CycleError = named(
  z.object({
    status: z.literal(ERROR_STATUSES),
    code: z.enum(ERROR_CODES),
    title: z.string(),
    detail: z.string().optional(),
    /** JSON pointer to the offending input, e.g. `/auth/api_key`. */
    source: z
      .string()
      .regex(/^(\/([^~/]|~[01])*)*$/)
      .optional(),
    extra: z.looseObject({ capability: z.enum(CAPABILITIES).optional() }).optional(),
  }),
  {
    id: "Error",
    title: "Error",
    from: "components/schemas/errors/Error.yml",
    departs:
      "`required` is the three properties status, code and title (the spec writes one comma-joined string, 'status, code, title', which requires nothing usable). `status` admits 429, which the spec's enum lacks although it lists the code 429.rate-limiting. `code` is narrowed to the codes the project handles by name (all of them codes of the spec); `extra.capability` to the three capabilities the project uses; `source` must be a JSON pointer, as the spec describes it.",
  },
);
export type CycleErrorObject = z.infer<typeof CycleError>;
