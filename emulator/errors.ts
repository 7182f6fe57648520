/**
 * API errors as values. Handlers throw an `ApiError`; the HTTP layer turns it
 * into the root document `{"error": {...}, "data": null}` with its status.
 * Keeping the code list typed against `CycleErrorCode` means the emulator can
 * only emit codes the contract names.
 */
import { Capability, CycleErrorCode, CycleErrorObject, CycleErrorStatus, statusOfCode } from "../provider/api/contract";

/** The title the API gives each code (short, human readable, stable). */
const TITLES: Record<CycleErrorCode, string> = {
  "400.invalid-syntax": "Invalid syntax",
  "401.auth-invalid": "Invalid authentication",
  "401.auth-expired": "Authentication expired",
  "403.wrong-hub": "Wrong hub",
  "403.permissions": "Insufficient permissions",
  "403.invalid-state": "Invalid state",
  "403.not-allowed": "Not allowed",
  "404.hub": "Hub not found",
  "404.hub.integration": "Integration not found",
  "404.job": "Job not found",
  "404.uri": "Unknown URI",
  "409.duplicate-found": "Duplicate found",
  "415.invalid-content-type": "Invalid content type",
  "422.missing-argument": "Missing argument",
  "422.invalid-argument": "Invalid argument",
  "422.invalid-input": "Invalid input",
  "422.already-exists": "Already exists",
  "429.rate-limiting": "Rate limited",
  "500.database": "Database error",
  "500.jobd": "Job service error",
  "500.unknown": "Unknown error",
  "503.not-ready": "Not ready",
  "504.not-available": "Not available",
};

export class ApiError extends Error {
  readonly status: CycleErrorStatus;
  readonly code: CycleErrorCode;
  readonly source?: string;
  readonly extra?: CycleErrorObject["extra"];

  constructor(code: CycleErrorCode, detail: string, opts: { source?: string; extra?: CycleErrorObject["extra"] } = {}) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    // The status is the numeric prefix of the code, as in the API.
    this.status = statusOfCode(code);
    this.source = opts.source;
    this.extra = opts.extra;
  }

  toObject(): CycleErrorObject {
    const obj: CycleErrorObject = { status: this.status, code: this.code, title: TITLES[this.code], detail: this.message };
    if (this.source !== undefined) obj.source = this.source;
    if (this.extra !== undefined) obj.extra = this.extra;
    return obj;
  }
}

// Small constructors for the errors raised in many places.

export const invalidInput = (detail: string, source?: string): ApiError => new ApiError("422.invalid-input", detail, { source });

export const invalidArgument = (detail: string, source?: string): ApiError => new ApiError("422.invalid-argument", detail, { source });

export const missingArgument = (detail: string, source?: string): ApiError => new ApiError("422.missing-argument", detail, { source });

export const missingCapability = (capability: Capability): ApiError =>
  new ApiError("403.permissions", `the API key lacks the capability ${capability}`, { extra: { capability } });

export const integrationNotFound = (): ApiError => new ApiError("404.hub.integration", "no such integration in this hub");

export const jobNotFound = (): ApiError => new ApiError("404.job", "no such job");

export const unknownUri = (method: string, path: string): ApiError => new ApiError("404.uri", `no endpoint ${method} ${path}`);

/** JSON pointer escaping (RFC 6901) for a key used in `source`. */
export function pointer(...segments: string[]): string {
  return segments.map((s) => "/" + s.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}
