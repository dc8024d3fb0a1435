/**
 * Text of a LightGBM `model.txt` (format v2, v3 or v4, as the C++ library or the Python package writes it)
 * → `Model`. The file is read in three parts: the header, the `Tree=` blocks up to `end of trees`, and the
 * trailer (`parameters:` section and the Python package's `pandas_categorical:` line). Every failure is a
 * `ModelFormatError` naming the tree, the key and the line.
 */
import { parseObjective } from "../model/objectives";
import type { Model, ModelHeader, Tree } from "../model/types";
import { parseHeader } from "./header";
import { ModelFormatError } from "../model/model-format-error";
import { parseTreeBlock, type KeyValueLine, type TreeBlock } from "./tree-block";

const END_OF_TREES = "end of trees";

export function parseModel(text: string): Model {
  const lines = text.split(/\r?\n/);
  if (lines.every((l) => l.trim() === "")) throw new ModelFormatError("empty_model", "the file is empty");

  // Header: everything before the first `Tree=` line.
  const entries = new Map<string, KeyValueLine>();
  const flags = new Set<string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.startsWith("Tree=") || line === END_OF_TREES) break;
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq < 0) flags.add(line);
    else entries.set(line.slice(0, eq), { value: line.slice(eq + 1), line: i + 1 });
  }
  const header = parseHeader({ entries, flags, firstLine: 1 });
  const objective = parseObjective(header.objective, header.numClass, {
    key: "objective",
    line: entries.get("objective")?.line ?? 1,
  });

  // Trees, until `end of trees`. A tree block that runs past the last non-blank line means a truncated file.
  let lastContent = lines.length - 1;
  while (lastContent >= 0 && lines[lastContent].trim() === "") lastContent--;
  const trees: Tree[] = [];
  let ended = false;
  while (i < lines.length) {
    const line = lines[i].trim();
    if (line === END_OF_TREES) {
      ended = true;
      i++;
      break;
    }
    if (line === "") {
      i++;
      continue;
    }
    if (!line.startsWith("Tree=")) {
      throw new ModelFormatError(
        "invalid_line",
        `expected "Tree=<n>" or "${END_OF_TREES}", found "${clip(line)}"`,
        {
          tree: trees.length,
          line: i + 1,
        },
      );
    }
    const block = readBlock(lines, i, trees.length);
    if (block.next > lastContent) {
      // The file ends inside this tree (or right after it) without "end of trees": report that, not the
      // first key the cut happened to remove.
      throw new ModelFormatError(
        "truncated_model",
        `the file ends inside this tree, without "${END_OF_TREES}" (truncated?)`,
        {
          tree: trees.length,
          line: lines.length,
        },
      );
    }
    trees.push(parseTreeBlock(block, header.maxFeatureIdx));
    i = block.next;
  }
  if (!ended) {
    throw new ModelFormatError("truncated_model", `the file ends without "${END_OF_TREES}" (truncated?)`, {
      tree: trees.length > 0 ? trees.length - 1 : undefined,
      line: lines.length,
    });
  }
  checkTreeCount(header, trees, entries.get("tree_sizes"));

  const { parameters, pandasCategorical } = parseTrailer(lines, i);
  return { header: stripSizes(header), objective, trees, parameters, pandasCategorical };
}

function readBlock(lines: string[], start: number, index: number): TreeBlock & { next: number } {
  const entries = new Map<string, KeyValueLine>();
  let j = start + 1;
  for (; j < lines.length; j++) {
    const line = lines[j].trim();
    if (line === "" || line.startsWith("Tree=") || line === END_OF_TREES) break;
    const eq = line.indexOf("=");
    if (eq <= 0) {
      throw new ModelFormatError("invalid_line", `expected "key=value", found "${clip(line)}"`, {
        tree: index,
        line: j + 1,
      });
    }
    const key = line.slice(0, eq);
    if (entries.has(key)) {
      throw new ModelFormatError("invalid_line", "the key appears twice in the tree", {
        tree: index,
        key,
        line: j + 1,
      });
    }
    entries.set(key, { value: line.slice(eq + 1), line: j + 1 });
  }
  return { index, line: start + 1, entries, next: j };
}

function checkTreeCount(
  header: ModelHeader & { treeSizes: number[] | null },
  trees: Tree[],
  sizes?: KeyValueLine,
): void {
  if (header.treeSizes !== null && header.treeSizes.length !== trees.length) {
    throw new ModelFormatError(
      "truncated_model",
      `tree_sizes lists ${header.treeSizes.length} trees but the file has ${trees.length}`,
      { key: "tree_sizes", line: sizes?.line },
    );
  }
  if (trees.length % header.numTreePerIteration !== 0) {
    throw new ModelFormatError(
      "invalid_structure",
      `${trees.length} trees is not a whole number of iterations of ${header.numTreePerIteration} trees`,
      { key: "num_tree_per_iteration" },
    );
  }
}

function parseTrailer(
  lines: string[],
  from: number,
): { parameters: Map<string, string>; pandasCategorical: unknown } {
  const parameters = new Map<string, string>();
  let pandasCategorical: unknown = undefined;
  let inParameters = false;
  for (let j = from; j < lines.length; j++) {
    const line = lines[j].trim();
    if (line === "parameters:") inParameters = true;
    else if (line === "end of parameters") inParameters = false;
    else if (inParameters) {
      const match = /^\[([^:\]]+): ?(.*)\]$/.exec(line);
      if (match !== null) parameters.set(match[1], match[2]);
    } else if (line.startsWith("pandas_categorical:")) {
      const json = line.slice("pandas_categorical:".length);
      try {
        pandasCategorical = JSON.parse(json);
      } catch {
        throw new ModelFormatError("invalid_value", `"${clip(json)}" is not JSON`, {
          key: "pandas_categorical",
          line: j + 1,
        });
      }
    }
  }
  return { parameters, pandasCategorical };
}

function stripSizes(header: ModelHeader & { treeSizes: unknown }): ModelHeader {
  const { treeSizes: _sizes, ...rest } = header;
  return rest;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
