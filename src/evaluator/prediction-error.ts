/** A prediction request the model cannot answer (as opposed to a malformed model, which fails at load). */
export type PredictionErrorCode = "unsupported_output" | "invalid_iteration_range" | "invalid_input";

export class PredictionError extends Error {
  override readonly name = "PredictionError";

  constructor(
    readonly code: PredictionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
