/**
 * Rows of feature values from text: CSV/TSV, LibSVM, or a JSON array of rows. Missing values (`nan`, `NaN`,
 * `NA`, `null`, empty fields) become NaN and `inf`, `-inf`, `Infinity`, `-Infinity` (any case) become
 * infinities, as in the model file (parser/values.ts); any other non-numeric field is an error naming its row
 * and column. Output is row-major with `numFeatures` values per row, ready for the predictor.
 */
import { numberToken } from "../parser/values";

export class InputError extends Error {
  override readonly name = "InputError";
}

const MISSING: ReadonlySet<string> = new Set(["", "nan", "NaN", "NAN", "NA", "N/A", "null", "NULL", "None"]);

/** One field → number; `where` names it in errors. */
export function parseField(field: string, where: () => string): number {
  const token = field.trim();
  if (MISSING.has(token)) return NaN;
  const value = numberToken(token);
  if (value !== undefined) return value;
  throw new InputError(`${where()}: "${token}" is not a number`);
}

export interface DelimitedOptions {
  readonly delimiter: string;
  readonly header: boolean;
  readonly numFeatures: number;
}

export function parseDelimited(
  text: string,
  { delimiter, header, numFeatures }: DelimitedOptions,
): Float64Array {
  const lines = nonEmptyLines(text).slice(header ? 1 : 0);
  const out = new Float64Array(lines.length * numFeatures);
  lines.forEach(({ line, number }, r) => {
    const fields = line.split(delimiter);
    if (fields.length !== numFeatures) {
      throw new InputError(`line ${number} has ${fields.length} fields; the model expects ${numFeatures}`);
    }
    fields.forEach((field, c) => {
      out[r * numFeatures + c] = parseField(field, () => `line ${number}, field ${c + 1}`);
    });
  });
  return out;
}

/** LibSVM: `[label] index:value ...` with 0-based indices; absent features are 0.0 (LightGBM's sparse rule). */
export function parseLibsvm(text: string, numFeatures: number): Float64Array {
  const lines = nonEmptyLines(text);
  const out = new Float64Array(lines.length * numFeatures);
  lines.forEach(({ line, number }, r) => {
    const tokens = line.trim().split(/\s+/);
    const start = tokens[0].includes(":") ? 0 : 1;
    for (const token of tokens.slice(start)) {
      const colon = token.indexOf(":");
      const index = Number(token.slice(0, colon));
      if (colon <= 0 || !Number.isInteger(index) || index < 0) {
        throw new InputError(`line ${number}: "${token}" is not index:value`);
      }
      if (index >= numFeatures) {
        throw new InputError(
          `line ${number}: feature index ${index} is past the model's ${numFeatures} features`,
        );
      }
      out[r * numFeatures + index] = parseField(
        token.slice(colon + 1),
        () => `line ${number}, feature ${index}`,
      );
    }
  });
  return out;
}

/** A JSON array of rows, each an array of numbers, nulls or the missing/infinity strings above. */
export function parseJsonRows(text: string, numFeatures: number): Float64Array {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the input is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(rows)) throw new InputError("the JSON input must be an array of rows");
  const out = new Float64Array(rows.length * numFeatures);
  rows.forEach((row: unknown, r) => {
    if (!Array.isArray(row)) throw new InputError(`row ${r} is not an array`);
    if (row.length !== numFeatures) {
      throw new InputError(`row ${r} has ${row.length} values; the model expects ${numFeatures}`);
    }
    row.forEach((value: unknown, c) => {
      const where = () => `row ${r}, value ${c}`;
      if (value === null) out[r * numFeatures + c] = NaN;
      else if (typeof value === "number") out[r * numFeatures + c] = value;
      else if (typeof value === "string") out[r * numFeatures + c] = parseField(value, where);
      else throw new InputError(`${where()} is a ${typeof value}, not a number`);
    });
  });
  return out;
}

function nonEmptyLines(text: string): { line: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => line.trim() !== "");
}
