/**
 * The fast engine: trees become JavaScript source with their thresholds, feature offsets and leaf values as
 * literals, which V8 compiles to straight-line machine code. Each node's rule is the one in decision.ts,
 * specialised at compile time on the node's missing type and default direction (see `numericalCondition`).
 *
 * For raw scores, runs of consecutive iterations are compiled into one function per class ("chunks") that
 * adds tree after tree to each row's running sum, in LightGBM's order, so the sum is bit-identical to a
 * tree-by-tree walk. A chunk runs over every row of a batch before the next chunk starts (chunk-major, so one
 * chunk's code stays in the instruction cache and its branches in the predictor; passing 10,000 rows through all
 * the WebAssembly chunks in blocks of 128, 512 or 2,048 rows instead measured 22%, 15% and 7% fewer rows/s on the
 * seed model, although a block's rows stay in cache), and reads the features it uses into locals once per row
 * instead of at every node. A chunk is kept small enough for V8's optimising compiler. Iteration ranges that do
 * not cover a whole chunk use per-tree functions at the edges. Linear trees and trees too deep to nest use the
 * shared walk.
 */
import {
  isCategorical,
  isDefaultLeft,
  missingType,
  MissingType,
  ZERO_THRESHOLD,
} from "../model/decision-type";
import type { Model, Tree } from "../model/types";
import { findLeaf, leafOutput } from "./decision";
import type { Engine } from "./engine";
import { maxDepth } from "./tree-shap";
import { compileWasmChunks, type WasmChunks } from "./wasm-chunks";

type TreeFunction = (x: Float64Array, offset: number) => number;
/** Adds its trees to `s[r * w + k]` for rows r < n of x (F values each); k is baked in. */
type ChunkFunction = (x: Float64Array, n: number, F: number, s: Float64Array, w: number) => void;

/** Deeper trees would nest too deeply for the JavaScript parser; they are walked instead. */
const MAX_COMPILED_DEPTH = 200;
/** Internal nodes per chunk: measured best on the seed model (150-1000 all tier up; 3000 never gets optimised). */
const CHUNK_NODES = 400;
/** A chunk that uses more distinct features than this reads them at each node instead of into locals. */
const MAX_LOCAL_FEATURES = 64;

interface Chunk {
  /** Position among the chunks (they are in iteration order). */
  readonly index: number;
  readonly from: number;
  readonly to: number;
  /** One function per class. */
  readonly run: readonly ChunkFunction[];
}

/**
 * `target` chooses what the chunks become: JavaScript functions, or one WebAssembly module (wasm-chunks.ts).
 * Per-tree functions (leaf indices, range edges) are JavaScript either way.
 */
export function createCompiledEngine(model: Model, target: "js" | "wasm" = "js"): Engine {
  const { trees } = model;
  const K = model.header.numTreePerIteration;
  const iterations = trees.length / K;
  const compilable = trees.map((t) => t.linear === null && maxDepth(t) <= MAX_COMPILED_DEPTH);
  // Per-tree functions serve leaf indices and the edges of iteration ranges that cut through a chunk; each is
  // compiled on first use, which keeps load time to the chunks.
  const treeFunctions = (returns: "value" | "leaf"): ((t: number) => TreeFunction) => {
    const compiled: (TreeFunction | undefined)[] = new Array(trees.length);
    return (t) =>
      (compiled[t] ??= compilable[t] ? compileTree(trees[t], returns) : walkTree(trees[t], returns));
  };
  const leafFunction = treeFunctions("leaf");
  const valueFunction = treeFunctions("value");
  const ranges = chunkRanges(trees, K, iterations, compilable);
  const perClass = (from: number, to: number, k: number): Tree[] =>
    Array.from({ length: to - from }, (_, j) => trees[(from + j) * K + k]);
  let stage: WasmChunks["stage"] | null = null;
  let runRange: WasmChunks["runRange"] | null = null;
  let chunks: Chunk[];
  if (target === "wasm") {
    const wasm = compileWasmChunks(
      ranges.flatMap(({ from, to }) =>
        Array.from({ length: K }, (_, k) => ({ trees: perClass(from, to, k), k })),
      ),
      MAX_LOCAL_FEATURES,
    );
    stage = wasm.stage;
    runRange = wasm.runRange;
    chunks = ranges.map(({ from, to }, c) => ({ index: c, from, to, run: wasm.run.slice(c * K, c * K + K) }));
  } else {
    chunks = ranges.map(({ from, to }, c) => ({
      index: c,
      from,
      to,
      run: Array.from({ length: K }, (_, k) =>
        compileChunk(`iterations ${from}..${to - 1}, class ${k}`, perClass(from, to, k), k),
      ),
    }));
  }
  /** chunkAt[i] is the chunk that starts at iteration i, if any. */
  const chunkAt: (Chunk | undefined)[] = new Array(iterations + 1);
  for (const c of chunks) chunkAt[c.from] = c;

  return {
    name: target === "js" ? "compiled-js" : "compiled",
    cleansInput: stage !== null,
    addRawScores(input, rows, stride, fromIteration, toIteration, out, width) {
      const [x, scores] = stage === null ? [input, out] : stage(input, rows * stride, out, rows * width);
      for (let k = 0; k < K; k++) {
        let i = fromIteration;
        while (i < toIteration) {
          const chunk = chunkAt[i];
          if (chunk !== undefined && chunk.to <= toIteration) {
            if (runRange === null) {
              chunk.run[k](x, rows, stride, scores, width);
              i = chunk.to;
            } else {
              // All the chunks that follow on within the range, in one call into the module.
              let last = chunk;
              for (
                let next = chunkAt[last.to];
                next !== undefined && next.to <= toIteration;
                next = chunkAt[last.to]
              ) {
                last = next;
              }
              runRange[k](x, rows, stride, scores, width, chunk.index, last.index + 1);
              i = last.to;
            }
          } else {
            const tree = valueFunction(i * K + k);
            for (let r = 0; r < rows; r++) scores[r * width + k] += tree(x, r * stride);
            i++;
          }
        }
      }
      if (scores !== out) out.set(scores);
    },
    leafIndices(x, offset, fromTree, toTree, out, outOffset) {
      for (let t = fromTree; t < toTree; t++) out[outOffset + t - fromTree] = leafFunction(t)(x, offset);
    },
  };
}

/** Consecutive iterations whose trees all compile, grouped so each chunk holds about CHUNK_NODES nodes per class. */
function chunkRanges(
  trees: readonly Tree[],
  K: number,
  iterations: number,
  compilable: boolean[],
): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  let from = 0;
  while (from < iterations) {
    let to = from;
    let nodes = 0;
    while (to < iterations && nodes < CHUNK_NODES) {
      const its = trees.slice(to * K, to * K + K);
      if (!its.every((_, k) => compilable[to * K + k])) break;
      nodes += Math.max(...its.map((t) => t.numLeaves - 1));
      to++;
    }
    if (to - from >= 2) {
      ranges.push({ from, to });
      from = to;
    } else {
      from = Math.max(to, from + 1);
    }
  }
  return ranges;
}

/**
 * One chunk as a loop over the rows: the features its trees use are read into locals `f<feature>` at the top of
 * each row (unless there are too many), then each tree's value is added to the row's sum in order.
 */
function compileChunk(what: string, chunkTrees: readonly Tree[], k: number): ChunkFunction {
  const used = [...new Set(chunkTrees.flatMap((t) => Array.from(t.splitFeature)))].sort((a, b) => a - b);
  const locals = used.length <= MAX_LOCAL_FEATURES;
  const read: FeatureRead = locals ? (f) => ({ prefix: "", value: `f${f}` }) : inlineRead;
  const loads = locals ? used.map((f) => `const f${f} = x[o + ${f}];`).join("\n") : "";
  const body = chunkTrees.map((tree) => `sum += ${expression(tree, "value", read)};`).join("\n");
  return compile<ChunkFunction>(
    what,
    "x, n, F, s, w",
    `for (let r = 0, o = 0, p = ${k}; r < n; r++, o += F, p += w) {\n${loads}\nlet sum = s[p];\n${body}\ns[p] = sum;\n}`,
    chunkTrees,
  );
}

/** The shared walk, for trees that are not compiled (linear, or too deep). */
function walkTree(tree: Tree, returns: "value" | "leaf"): TreeFunction {
  return returns === "leaf"
    ? (x, o) => findLeaf(tree, x, o)
    : (x, o) => leafOutput(tree, findLeaf(tree, x, o), x, o);
}

function compileTree(tree: Tree, returns: "value" | "leaf"): TreeFunction {
  return compile<TreeFunction>(
    `tree ${tree.index}`,
    "x, o",
    `return ${expression(tree, returns, inlineRead)};`,
    [tree],
  );
}

/**
 * Builds a function from generated source. Categorical nodes with multi-word bitsets read their tree's
 * bitset words, passed in as `w<tree index>`.
 */
function compile<F>(what: string, params: string, body: string, trees: readonly Tree[]): F {
  const withBitsets = trees.filter((t) => t.numCat > 0);
  const names = withBitsets.map((t) => `w${t.index}`);
  const source = `"use strict"; return function (${params}) { // ${what}\nlet v, c;\n${body}\n};`;
  const factory = new Function(...names, source) as (...args: unknown[]) => F;
  return factory(...withBitsets.map((t) => t.catThreshold));
}

/**
 * How generated code reads a feature: as a local named `value`, or from `x[o + f]`, assigned to `v` by `prefix`
 * first (a condition may use the value more than once).
 */
type FeatureRead = (feature: number) => { readonly prefix: string; readonly value: string };

const inlineRead: FeatureRead = (f) => ({ prefix: `(v = x[o + ${f}]), `, value: "v" });

/** A tree as one nested conditional expression over its features, yielding its leaf value or index. */
function expression(tree: Tree, returns: "value" | "leaf", read: FeatureRead): string {
  const leaf = (l: number): string => literal(returns === "leaf" ? l : tree.leafValue[l]);
  if (tree.numLeaves === 1) return leaf(0);
  const emit = (node: number): string => {
    if (node < 0) return leaf(~node);
    const { prefix, value } = read(tree.splitFeature[node]);
    const condition = isCategorical(tree.decisionType[node])
      ? categoricalCondition(tree, node, value)
      : numericalCondition(tree.threshold[node], tree.decisionType[node], value);
    return `(${prefix}${condition} ? ${emit(tree.leftChild[node])} : ${emit(tree.rightChild[node])})`;
  };
  return emit(0);
}

/**
 * `numericalGoesLeft` for a known threshold and decision type, as a JavaScript condition on `v`:
 * - missing None: NaN is compared as 0, so it goes left iff 0 <= threshold: `!(v > t)` sends NaN left,
 *   `v <= t` sends it right (a NaN threshold sends everything right, as `v <= NaN` does in C++);
 * - missing Zero: NaN and |v| <= 1e-35f take the default direction, other values compare;
 * - missing NaN: NaN takes the default direction, other values compare (NaN <= t is false: right).
 */
function numericalCondition(threshold: number, decisionType: number, v: string): string {
  const t = literal(threshold);
  const defaultLeft = isDefaultLeft(decisionType);
  switch (missingType(decisionType)) {
    case MissingType.None:
      return threshold >= 0 ? `!(${v} > ${t})` : `${v} <= ${t}`;
    case MissingType.Zero: {
      const zero = `(${v} !== ${v} || (${v} >= ${literal(-ZERO_THRESHOLD)} && ${v} <= ${literal(ZERO_THRESHOLD)}))`;
      return defaultLeft ? `(${zero} || ${v} <= ${t})` : `(!${zero} && ${v} <= ${t})`;
    }
    default:
      return defaultLeft ? `(${v} !== ${v} || ${v} <= ${t})` : `${v} <= ${t}`;
  }
}

/**
 * `categoricalGoesLeft` inlined: the category is `v | 0` (truncation toward zero, so -0.6 is category 0),
 * taken only for -1 < v < 32 * words, which also sends NaN, negatives and categories past the bitset right.
 */
function categoricalCondition(tree: Tree, node: number, v: string): string {
  const cat = tree.threshold[node];
  const from = tree.catBoundaries[cat];
  const words = tree.catBoundaries[cat + 1] - from;
  if (words === 0) return "false";
  const bit =
    words === 1
      ? `((${tree.catThreshold[from]} >>> (${v} | 0)) & 1) === 1`
      : `((w${tree.index}[${from} + ((c = ${v} | 0) >>> 5)] >>> (c & 31)) & 1) === 1`;
  return `(${v} > -1 && ${v} < ${32 * words} && ${bit})`;
}

/** A number as JavaScript source that evaluates to exactly the same double (including -0). */
export function literal(x: number): string {
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${String(x)})` : String(x);
}
