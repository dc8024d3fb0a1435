/**
 * `npm run --silent predict -- --model FILE --input FILE [--raw-score | --pred-leaf | --pred-contrib]
 *  [--start-iteration N] [--num-iteration N] [--format csv|tsv|libsvm|json] [--delimiter C] [--header]`
 *
 * Prints one JSON array with one element per input row. Errors go to stderr with exit status 1 (2 for usage).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadPredictor } from "../evaluator/load";
import type { OutputKind } from "../evaluator/predictor";
import { toRows } from "../evaluator/rows-out";
import { InputError, parseDelimited, parseJsonRows, parseLibsvm } from "../input/rows";
import { ModelFormatError } from "../model/model-format-error";
import { PredictionError } from "../evaluator/prediction-error";

type Format = "csv" | "tsv" | "libsvm" | "json";

const USAGE =
  "usage: predict --model FILE --input FILE [--raw-score | --pred-leaf | --pred-contrib] " +
  "[--start-iteration N] [--num-iteration N] [--format csv|tsv|libsvm|json] [--delimiter C] [--header]";

class UsageError extends Error {}

const EXTENSIONS: ReadonlyMap<string, Format> = new Map([
  [".csv", "csv"],
  [".tsv", "tsv"],
  [".tab", "tsv"],
  [".svm", "libsvm"],
  [".libsvm", "libsvm"],
  [".json", "json"],
]);

function integerOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  return n;
}

export function run(argv: string[]): string {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: "string" },
      input: { type: "string" },
      "raw-score": { type: "boolean", default: false },
      "pred-leaf": { type: "boolean", default: false },
      "pred-contrib": { type: "boolean", default: false },
      "start-iteration": { type: "string" },
      "num-iteration": { type: "string" },
      format: { type: "string" },
      delimiter: { type: "string" },
      header: { type: "boolean", default: false },
    },
  });
  if (values.model === undefined || values.input === undefined)
    throw new UsageError("--model and --input are required");
  const kinds: OutputKind[] = [];
  if (values["raw-score"]) kinds.push("raw");
  if (values["pred-leaf"]) kinds.push("leaf");
  if (values["pred-contrib"]) kinds.push("contrib");
  if (kinds.length > 1)
    throw new UsageError("choose at most one of --raw-score, --pred-leaf, --pred-contrib");
  const output = kinds[0] ?? "value";

  let format = values.format as Format | undefined;
  if (format !== undefined && !["csv", "tsv", "libsvm", "json"].includes(format)) {
    throw new UsageError(`--format must be csv, tsv, libsvm or json, got "${format}"`);
  }
  format ??= EXTENSIONS.get(path.extname(values.input).toLowerCase());
  if (format === undefined) {
    if (values.delimiter === undefined) {
      throw new UsageError(
        `cannot tell the format of "${values.input}" from its extension; pass --format or --delimiter`,
      );
    }
    format = "csv";
  }

  const predictor = loadPredictor(fs.readFileSync(values.model, "utf8"));
  const text = fs.readFileSync(values.input, "utf8");
  const F = predictor.numFeatures;
  const rows =
    format === "libsvm"
      ? parseLibsvm(text, F)
      : format === "json"
        ? parseJsonRows(text, F)
        : parseDelimited(text, {
            delimiter: unescape(values.delimiter ?? (format === "tsv" ? "\t" : ",")),
            header: values.header,
            numFeatures: F,
          });
  const predictions = predictor.predict(rows, {
    output,
    startIteration: integerOption("start-iteration", values["start-iteration"]),
    numIteration: integerOption("num-iteration", values["num-iteration"]) ?? null,
  });
  return JSON.stringify(toRows(predictions, output));
}

/** `--delimiter '\t'` as typed in a shell means a tab. */
function unescape(delimiter: string): string {
  return delimiter === "\\t" ? "\t" : delimiter;
}

/** Errors the user can act on get their message only; anything else is a bug and gets its stack too. */
function isExpected(error: unknown): boolean {
  return (
    error instanceof ModelFormatError ||
    error instanceof InputError ||
    error instanceof PredictionError ||
    typeof (error as { syscall?: unknown }).syscall === "string"
  );
}

function main(): void {
  try {
    process.stdout.write(run(process.argv.slice(2)) + "\n");
  } catch (error) {
    const usage =
      error instanceof UsageError || String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`predict: ${message}\n`);
    if (usage) process.stderr.write(`${USAGE}\n`);
    else if (!isExpected(error) && error instanceof Error) process.stderr.write(`${error.stack ?? ""}\n`);
    process.exitCode = usage ? 2 : 1;
  }
}

if (require.main === module) main();
