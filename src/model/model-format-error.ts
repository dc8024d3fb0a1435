/**
 * The one error a model file can produce. It names what is wrong and where: the tree (by its position in the
 * file), the key and the 1-based line, so a bad file fails at boot with a message a person can act on.
 */
export type ModelFormatErrorCode =
  | "empty_model"
  | "truncated_model"
  | "missing_key"
  | "invalid_line"
  | "invalid_value"
  | "array_length"
  | "invalid_structure"
  | "unknown_objective"
  | "unknown_decision_type";

export interface ModelLocation {
  readonly tree?: number;
  readonly key?: string;
  readonly line?: number;
}

export class ModelFormatError extends Error {
  override readonly name = "ModelFormatError";

  constructor(
    readonly code: ModelFormatErrorCode,
    readonly detail: string,
    readonly location: ModelLocation = {},
  ) {
    super(`${describeLocation(location)}${detail}`);
  }
}

function describeLocation({ tree, key, line }: ModelLocation): string {
  const parts: string[] = [];
  if (tree !== undefined) parts.push(`tree ${tree}`);
  if (key !== undefined) parts.push(`key "${key}"`);
  if (line !== undefined) parts.push(`line ${line}`);
  return parts.length > 0 ? `model file, ${parts.join(", ")}: ` : "model file: ";
}
