/**
 * Every error the HTTP API answers with, in one catalog: a stable code, its status, and a message that names
 * the problem and where it is. Handlers throw `ApiError`s; error-handler.ts is the one place that maps them
 * (and anything unexpected) to responses.
 */
export const API_ERRORS = {
  invalid_json: 400,
  invalid_request: 400,
  unsupported_output: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  not_ready: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

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
