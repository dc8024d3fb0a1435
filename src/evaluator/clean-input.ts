/**
 * LightGBM's dense C API (`RowPairFunctionFromDenseMatric`, `src/c_api.cpp`) drops values with
 * |x| <= kZeroThreshold and reads them back as 0.0; NaN and infinities pass through.
 */
import { isZero } from "./decision";

/** A cleaned copy of `rows`. */
export function cleanInput(rows: Float64Array): Float64Array {
  const x = new Float64Array(rows.length);
  cleanInto(rows, x, rows.length);
  return x;
}

/** Writes the first `count` values of `rows`, cleaned, to `out` (which may be `rows`). */
export function cleanInto(rows: Float64Array, out: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = rows[i];
    out[i] = isZero(v) ? 0 : v;
  }
}
