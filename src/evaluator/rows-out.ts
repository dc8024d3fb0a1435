/**
 * Predictions → one JSON-ready element per row: a number for single-value outputs, an array for multi-value
 * ones (multiclass values, leaf indices, contributions). Non-finite numbers become null, since JSON has no NaN
 * or infinity. Used by the CLI and the HTTP endpoint alike.
 */
import type { OutputKind, Predictions } from "./predictor";

export type RowOutput = number | null | (number | null)[];

export function isMultiValue(output: OutputKind, width: number): boolean {
  return output === "leaf" || output === "contrib" || width > 1;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function toRows({ values, width }: Predictions, output: OutputKind): RowOutput[] {
  const rows = values.length / width;
  const out: RowOutput[] = new Array(rows);
  if (!isMultiValue(output, width)) {
    for (let r = 0; r < rows; r++) out[r] = finite(values[r]);
    return out;
  }
  for (let r = 0; r < rows; r++) {
    const row = new Array<number | null>(width);
    for (let k = 0; k < width; k++) row[k] = finite(values[r * width + k]);
    out[r] = row;
  }
  return out;
}
