/**
 * The request bodies, serialised once and sent byte for byte the same to every endpoint (same work on both
 * sides). Rows come from inputs.json, the seed's make_regression inputs (see make_inputs.py).
 */
// Imported rather than read, so tsc copies it into dist/ and the compiled harness needs no source tree (the
// compose stack's bench container has only dist/).
import inputsFile from "./inputs.json";

interface InputsFile {
  generator: string;
  seed: number[][];
}

const load = (): InputsFile => inputsFile;

export function inputsGenerator(): string {
  return load().generator;
}

/** The seed's 100 rows of 20 features. */
export function seedRows(): number[][] {
  return load().seed;
}

/** The seed's single-row bodies, `{"data":[20 floats]}`, one per input row. */
export function singleRowBodies(): string[] {
  return seedRows().map((row) => JSON.stringify({ data: row }));
}

/** One batch body of `rows` rows, `{"data":[[...],...]}`, cycling through the seed rows. */
export function batchBody(rows: number): string {
  const seed = seedRows();
  return JSON.stringify({ data: Array.from({ length: rows }, (_, i) => seed[i % seed.length]) });
}
