/**
 * Every error the HTTP API answers with: a stable code, its status, and a message that names the problem and
 * where it is. The codes and statuses come from contract/errors.json, the one catalog of both services (the
 * FastAPI control reads the same file); the list of codes below only gives them a TypeScript type, and
 * loading this module fails if it and the file disagree. Handlers throw `ApiError`s (or domain errors);
 * error-handler.ts is the one place that maps them to responses.
 */
import catalog from "../../contract/errors.json";

export const API_ERROR_CODES = [
  "bad_request",
  "invalid_json",
  "invalid_request",
  "unsupported_output",
  "not_found",
  "method_not_allowed",
  "request_timeout",
  "payload_too_large",
  "too_many_rows",
  "too_many_values",
  "uri_too_long",
  "unsupported_media_type",
  "time_budget_exceeded",
  "headers_too_large",
  "internal",
  "not_implemented",
  "not_ready",
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Code → HTTP status, from contract/errors.json. */
export const API_ERRORS: Readonly<Record<ApiErrorCode, number>> = statusTable();

function statusTable(): Record<ApiErrorCode, number> {
  const statuses = new Map(catalog.errors.map((e) => [e.code, e.status]));
  const typed = new Set<string>(API_ERROR_CODES);
  const onlyInFile = [...statuses.keys()].filter((code) => !typed.has(code));
  const onlyHere = API_ERROR_CODES.filter((code) => !statuses.has(code));
  if (onlyInFile.length > 0 || onlyHere.length > 0) {
    throw new Error(
      `api-error.ts and contract/errors.json disagree: only in the file [${onlyInFile.join(", ")}], ` +
        `only in api-error.ts [${onlyHere.join(", ")}]`,
    );
  }
  return Object.fromEntries(API_ERROR_CODES.map((code) => [code, statuses.get(code)])) as Record<
    ApiErrorCode,
    number
  >;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.status = API_ERRORS[code];
  }
}

export const invalid = (message: string): ApiError => new ApiError("invalid_request", message);
