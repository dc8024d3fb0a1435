/**
 * The model header (LightGBM `GBDT::SaveModelToString` / `LoadModelFromString`), as a table of keys.
 * Unknown keys are kept out of the model: none of them changes a prediction.
 */
import type { ModelHeader } from "../model/types";
import { ModelFormatError } from "../model/model-format-error";
import type { KeyValueLine } from "./tree-block";
import { parseInteger, splitTokens } from "./values";

export interface HeaderLines {
  readonly entries: ReadonlyMap<string, KeyValueLine>;
  /** Bare words such as `tree` and `average_output`. */
  readonly flags: ReadonlySet<string>;
  /** Line to report for a key that is missing. */
  readonly firstLine: number;
}

export function parseHeader(lines: HeaderLines): ModelHeader & { readonly treeSizes: number[] | null } {
  const get = (key: string): KeyValueLine | undefined => lines.entries.get(key);
  const require = (key: string): KeyValueLine => {
    const found = get(key);
    if (found === undefined) {
      throw new ModelFormatError("missing_key", `the header has no "${key}" line`, {
        key,
        line: lines.firstLine,
      });
    }
    return found;
  };
  const integer = (key: string, entry: KeyValueLine, min: number): number => {
    const value = parseInteger(entry.value.trim(), { key, line: entry.line });
    if (value < min)
      throw new ModelFormatError("invalid_value", `must be at least ${min}, got ${value}`, {
        key,
        line: entry.line,
      });
    return value;
  };

  const numClass = integer("num_class", require("num_class"), 1);
  const perIteration = get("num_tree_per_iteration");
  const numTreePerIteration =
    perIteration === undefined ? numClass : integer("num_tree_per_iteration", perIteration, 1);
  const labelEntry = get("label_index");
  const labelIndex = labelEntry === undefined ? 0 : integer("label_index", labelEntry, 0);
  const maxFeatureIdx = integer("max_feature_idx", require("max_feature_idx"), 0);

  const namesEntry = require("feature_names");
  const featureNames = splitTokens(namesEntry.value);
  if (featureNames.length !== maxFeatureIdx + 1) {
    throw new ModelFormatError(
      "array_length",
      `has ${featureNames.length} names; max_feature_idx=${maxFeatureIdx} means ${maxFeatureIdx + 1}`,
      { key: "feature_names", line: namesEntry.line },
    );
  }
  const infosEntry = get("feature_infos");
  const featureInfos = infosEntry === undefined ? [] : splitTokens(infosEntry.value);
  if (infosEntry !== undefined && featureInfos.length !== maxFeatureIdx + 1) {
    throw new ModelFormatError(
      "array_length",
      `has ${featureInfos.length} values; expected ${maxFeatureIdx + 1}`,
      {
        key: "feature_infos",
        line: infosEntry.line,
      },
    );
  }
  const sizesEntry = get("tree_sizes");
  const treeSizes =
    sizesEntry === undefined
      ? null
      : splitTokens(sizesEntry.value).map((t) =>
          parseInteger(t, { key: "tree_sizes", line: sizesEntry.line }),
        );
  const objective = get("objective")?.value.trim() ?? null;

  return {
    version: get("version")?.value.trim() ?? null,
    numClass,
    numTreePerIteration,
    labelIndex,
    maxFeatureIdx,
    objective: objective === "" ? null : objective,
    averageOutput: lines.flags.has("average_output"),
    featureNames,
    featureInfos,
    treeSizes,
  };
}
