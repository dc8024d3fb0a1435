/**
 * The compiled engine's chunks as WebAssembly: the same code shape as the JavaScript chunks (a loop over rows,
 * the chunk's features read into locals, each tree a nested `if` yielding its leaf value, added to the row's sum
 * in LightGBM's order), except that some of a tree's subtrees have no branches (see branch-free.ts), with
 * thresholds and the leaf values of those subtrees loaded from a table in memory (less code than constants,
 * which measured faster), in one module for the whole model. WebAssembly's f64 comparisons and additions are
 * IEEE 754 double operations, as JavaScript's are, so the sums are bit-identical.
 * V8 compiles WebAssembly before it runs (a fast baseline, then optimised code on background threads), so
 * there is no interpreter phase, no type feedback and no deoptimisation.
 *
 * The module's memory holds multi-word categorical bitsets, then the constant table, then rows and scores: `stage`
 * copies a batch in and hands back views of it.
 */
import {
  isCategorical,
  isDefaultLeft,
  missingType,
  MissingType,
  ZERO_THRESHOLD,
} from "../model/decision-type";
import type { Tree } from "../model/types";
import { branchPlan } from "./branch-free";
import { cleanInto } from "./clean-input";
import { Bytes, MiscOp, moduleBytes, Op, Type, type FunctionBody } from "./wasm-encoding";

/** The part of the WebAssembly JavaScript API used here (TypeScript declares it only in its DOM libraries). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
};

/** Same signature as a JavaScript chunk; `x` and `s` must be views into the module's memory (from `stage`). */
export type WasmChunkFunction = (x: Float64Array, n: number, F: number, s: Float64Array, w: number) => void;

/** Runs chunks [from, to) of one class (chunk indices of that class, in order), in one call into the module. */
export type WasmRangeFunction = (
  x: Float64Array,
  n: number,
  F: number,
  s: Float64Array,
  w: number,
  from: number,
  to: number,
) => void;

export interface WasmChunks {
  readonly run: WasmChunkFunction[];
  /** Per class. */
  readonly runRange: WasmRangeFunction[];
  /**
   * Copies rows (cleaned as clean-input.ts does) and scores into the module's memory; returns views of both there
   * (valid until the next call).
   */
  stage(
    x: Float64Array,
    rowValues: number,
    scores: Float64Array,
    scoreValues: number,
  ): [Float64Array, Float64Array];
}

/** Parameters of every chunk function: row pointer, rows, row stride (bytes), score pointer, score stride (bytes). */
const PARAMS = [Type.i32, Type.i32, Type.i32, Type.i32, Type.i32];
const [ROW, N, STRIDE, SCORE, WIDTH] = [0, 1, 2, 3, 4];
const PAGE = 65536;

export function compileWasmChunks(
  chunks: readonly { readonly trees: readonly Tree[]; readonly k: number }[],
  maxLocalFeatures: number,
): WasmChunks {
  // Multi-word categorical bitsets go at the start of memory, each tree's words at its own base.
  const bitsetBase = new Map<Tree, number>();
  let bitsetBytes = 0;
  for (const { trees } of chunks) {
    for (const tree of trees) {
      if (tree.numCat > 0 && !bitsetBase.has(tree)) {
        bitsetBase.set(tree, bitsetBytes);
        bitsetBytes += tree.catThreshold.length * 4;
      }
    }
  }
  // Then the constant table (comparing with a threshold loaded from memory measured faster than with an f64.const:
  // single row 6% less time, batch 6% more rows/s on the seed model).
  const constants = new ConstantTable(Math.ceil(bitsetBytes / 8) * 8);
  const bodies = chunks.map(({ trees }) => chunkBody(trees, maxLocalFeatures, bitsetBase, constants));
  const classes = [...new Set(chunks.map((c) => c.k))];
  const drivers = classes.map((k) =>
    driverBody(chunks.map((c, i) => (c.k === k ? i : -1)).filter((i) => i >= 0)),
  );
  const module = new WebAssembly.Module(moduleBytes([...bodies, ...drivers]));
  const ioBase = constants.base + constants.values.length * 8;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((ioBase + PAGE) / PAGE)) });
  const words = new Uint32Array(memory.buffer);
  for (const [tree, base] of bitsetBase) words.set(tree.catThreshold, base / 4);
  new Float64Array(memory.buffer).set(constants.values, constants.base / 8);
  const instance = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<
    string,
    (row: number, n: number, stride: number, score: number, width: number, from?: number, to?: number) => void
  >;
  const run = chunks.map(({ k }, i): WasmChunkFunction => {
    const f = instance[`f${i}`];
    return (x, n, F, s, w) => f(x.byteOffset, n, F * 8, s.byteOffset + k * 8, w * 8);
  });
  const runRange = classes.map((k, d): WasmRangeFunction => {
    const f = instance[`f${chunks.length + d}`];
    return (x, n, F, s, w, from, to) => f(x.byteOffset, n, F * 8, s.byteOffset + k * 8, w * 8, from, to);
  });
  let rowsView = new Float64Array(memory.buffer, ioBase, 0);
  let scoresView = rowsView;
  return {
    run,
    runRange,
    stage(x, rowValues, scores, scoreValues) {
      const needed = ioBase + (rowValues + scoreValues) * 8;
      if (needed > memory.buffer.byteLength)
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
      // Views are remade only when the batch's shape or the memory changes (a single-row call allocates none).
      if (
        rowsView.buffer !== memory.buffer ||
        rowsView.length !== rowValues ||
        scoresView.length !== scoreValues
      ) {
        rowsView = new Float64Array(memory.buffer, ioBase, rowValues);
        scoresView = new Float64Array(memory.buffer, ioBase + rowValues * 8, scoreValues);
      }
      cleanInto(x, rowsView, rowValues);
      scoresView.set(scoreValues === scores.length ? scores : scores.subarray(0, scoreValues));
      return [rowsView, scoresView];
    },
  };
}

/**
 * One chunk: for each row, load its features into locals, add each tree's value to the row's score. (Two rows per
 * iteration, each tree emitted for both in turn, measured 13% and 15% fewer batch rows/s on the seed and binary
 * models, with a module three times the size.)
 */
function chunkBody(
  trees: readonly Tree[],
  maxLocalFeatures: number,
  bitsetBase: Map<Tree, number>,
  constants: ConstantTable,
): FunctionBody {
  const used = [...new Set(trees.flatMap((t) => Array.from(t.splitFeature)))].sort((a, b) => a - b);
  const locals = used.length <= maxLocalFeatures;
  const featureLocal = new Map<number, number>();
  const firstLocal = PARAMS.length;
  if (locals) used.forEach((f, i) => featureLocal.set(f, firstLocal + i));
  const scratch = firstLocal + (locals ? used.length : 0);
  /** Two i32 locals for categorical conditions. */
  const categorical = { category: scratch + 1, inRange: scratch + 2 };
  const code = new Bytes();
  code.byte(Op.block).byte(Type.void);
  code.byte(Op.localGet).u32(N).byte(Op.i32Eqz).byte(Op.brIf).u32(0);
  code.byte(Op.loop).byte(Type.void);
  /** local = the row's value of feature f. */
  const load = (f: number, local: number): Bytes =>
    code
      .byte(Op.localGet)
      .u32(ROW)
      .byte(Op.f64Load)
      .u32(3)
      .u32(f * 8)
      .byte(Op.localSet)
      .u32(local);
  for (const [f, local] of featureLocal) load(f, local);
  code.byte(Op.localGet).u32(SCORE);
  code.byte(Op.localGet).u32(SCORE).byte(Op.f64Load).u32(3).u32(0);
  /** Leaves the feature's value in a local and returns that local. */
  const read = (f: number): number => {
    const local = featureLocal.get(f);
    if (local !== undefined) return local;
    load(f, scratch);
    return scratch;
  };
  for (const tree of trees) {
    emitTree(code, tree, read, categorical, bitsetBase.get(tree) ?? 0, constants);
    code.byte(Op.f64Add);
  }
  code.byte(Op.f64Store).u32(3).u32(0);
  const step = (pointer: number, by: number): void => {
    code
      .byte(Op.localGet)
      .u32(pointer)
      .byte(Op.localGet)
      .u32(by)
      .byte(Op.i32Add)
      .byte(Op.localSet)
      .u32(pointer);
  };
  step(ROW, STRIDE);
  step(SCORE, WIDTH);
  code.byte(Op.localGet).u32(N).byte(Op.i32Const).s32(1).byte(Op.i32Sub).byte(Op.localSet).u32(N);
  code.byte(Op.localGet).u32(N).byte(Op.brIf).u32(0);
  code.byte(Op.end).byte(Op.end);
  const localRuns: [number, number][] = [
    [(locals ? used.length : 0) + 1, Type.f64],
    [2, Type.i32],
  ];
  return { params: PARAMS, locals: localRuns, code };
}

/**
 * A class's driver: calls its chunk functions `functions[from .. to)` in order with its own first five
 * arguments, so a request crosses from JavaScript into the module once per class instead of once per chunk.
 */
function driverBody(functions: readonly number[]): FunctionBody {
  const [FROM, TO] = [PARAMS.length, PARAMS.length + 1];
  const code = new Bytes();
  functions.forEach((fn, c) => {
    code.byte(Op.localGet).u32(FROM).byte(Op.i32Const).s32(c).byte(Op.i32LeS);
    code.byte(Op.localGet).u32(TO).byte(Op.i32Const).s32(c).byte(Op.i32GtS);
    code.byte(Op.i32And).byte(Op.if).byte(Type.void);
    for (let p = 0; p < PARAMS.length; p++) code.byte(Op.localGet).u32(p);
    code.byte(Op.call).u32(fn).byte(Op.end);
  });
  return { params: [...PARAMS, Type.i32, Type.i32], locals: [], code };
}

/**
 * A tree as nested `if (result f64)` blocks: the value of the leaf the row reaches. A subtree that branch-free.ts
 * chooses has no branches: all its conditions are evaluated, they select the index of the leaf (`select` of
 * i32), and its value is loaded from the subtree's leaves in the constant table. A row's path through a tree is
 * data-dependent, so its branches are often mispredicted: against branches on all nodes but those whose children
 * are both leaves, subtrees of at most 16 leaves without branches measured, single row and batch rows/s: seed
 * model 6.86 -> 4.27 us, 258k -> 391k; binary 4.39 -> 2.49 us, 410k -> 673k; multiclass categorical 23.6 ->
 * 14.9 us, 91k -> 151k.
 */
function emitTree(
  code: Bytes,
  tree: Tree,
  read: (feature: number) => number,
  categorical: { readonly category: number; readonly inRange: number },
  bitsetBase: number,
  constants: ConstantTable,
): void {
  const plan = branchPlan(tree);
  /** Pushes the node's condition (i32 0 or 1); `children` says which child it picks when 1. */
  const condition = (node: number): void => {
    const v = read(tree.splitFeature[node]);
    if (isCategorical(tree.decisionType[node]))
      categoricalCondition(code, tree, node, v, categorical, bitsetBase);
    else numericalCondition(code, tree.threshold[node], tree.decisionType[node], v, constants);
  };
  /** [the child the condition picks when 1, the other]. */
  const children = (node: number): [number, number] =>
    testsRight(tree.threshold[node], tree.decisionType[node])
      ? [tree.rightChild[node], tree.leftChild[node]]
      : [tree.leftChild[node], tree.rightChild[node]];
  /** The subtree's leaf values in index order: those under the child picked when 0, then when 1. */
  const values = (node: number): number[] => {
    if (node < 0) return [tree.leafValue[~node]];
    const [one, zero] = children(node);
    return [...values(zero), ...values(one)];
  };
  /** Pushes the index of the leaf the row reaches, without branches. */
  const index = (node: number): void => {
    const [one, zero] = children(node);
    if (one < 0 && zero < 0) {
      condition(node);
      return;
    }
    const zeroLeaves = zero < 0 ? 1 : plan.leaves[zero];
    if (one < 0) code.byte(Op.i32Const).s32(zeroLeaves);
    else {
      index(one);
      code.byte(Op.i32Const).s32(zeroLeaves).byte(Op.i32Add);
    }
    if (zero < 0) code.byte(Op.i32Const).s32(0);
    else index(zero);
    condition(node);
    code.byte(Op.select);
  };
  const emit = (node: number): void => {
    if (node < 0) {
      code.byte(Op.f64Const).f64(tree.leafValue[~node]);
      return;
    }
    // Loading the value from the table at 8 × index is less code than a `select` of f64.const (for a node whose
    // children are both leaves, seed model: single row 7% less time, batch 11% more rows/s).
    if (plan.branchFree[node]) {
      const at = constants.leaves(values(node));
      index(node);
      code.byte(Op.i32Const).s32(3).byte(Op.i32Shl).byte(Op.f64Load).u32(3).u32(at);
      return;
    }
    const [one, zero] = children(node);
    condition(node);
    code.byte(Op.if).byte(Type.f64);
    emit(one);
    code.byte(Op.else);
    emit(zero);
    code.byte(Op.end);
  };
  if (tree.numLeaves === 1) code.byte(Op.f64Const).f64(tree.leafValue[0]);
  else emit(0);
}

/**
 * Whether numericalCondition pushes "goes right" for the node rather than "goes left": for missing type None and a
 * threshold >= 0, `v > t` (NaN goes left) is one instruction less than `!(v > t)` (seed model: module 221 -> 206
 * kB, single row 3.89 -> 3.75 us, batch 449k -> 455k rows/s).
 */
function testsRight(threshold: number, decisionType: number): boolean {
  return !isCategorical(decisionType) && missingType(decisionType) === MissingType.None && threshold >= 0;
}

/**
 * Pushes "goes left" (i32) for a numerical node, or "goes right" where testsRight says so: the same rules as the
 * JavaScript chunks' conditions.
 */
function numericalCondition(
  code: Bytes,
  threshold: number,
  decisionType: number,
  v: number,
  constants: ConstantTable,
): void {
  const get = (): Bytes => code.byte(Op.localGet).u32(v);
  const le = (t: number): Bytes => {
    get();
    constants.threshold(code, t);
    return code.byte(Op.f64Le);
  };
  const isNaN = (): Bytes => get().byte(Op.localGet).u32(v).byte(Op.f64Ne);
  const defaultLeft = isDefaultLeft(decisionType);
  switch (missingType(decisionType)) {
    case MissingType.None:
      // NaN is compared as 0: `v > t` (goes right) is false for it when 0 <= t, `v <= t` sends it right otherwise.
      if (testsRight(threshold, decisionType)) {
        get();
        constants.threshold(code, threshold);
        code.byte(Op.f64Gt);
      } else le(threshold);
      return;
    case MissingType.Zero: {
      // zero = NaN or -1e-35f <= v <= 1e-35f, taking the default direction.
      isNaN();
      get().byte(Op.f64Const).f64(-ZERO_THRESHOLD).byte(Op.f64Ge);
      get().byte(Op.f64Const).f64(ZERO_THRESHOLD).byte(Op.f64Le);
      code.byte(Op.i32And).byte(Op.i32Or);
      if (defaultLeft) {
        le(threshold);
        code.byte(Op.i32Or);
      } else {
        code.byte(Op.i32Eqz);
        le(threshold);
        code.byte(Op.i32And);
      }
      return;
    }
    default:
      if (defaultLeft) {
        isNaN();
        le(threshold);
        code.byte(Op.i32Or);
      } else {
        le(threshold);
      }
  }
}

/**
 * Pushes "goes left" for a categorical node, without branches: in = -1 < v < 32 * words (false for NaN), then the
 * bit of category trunc(v) in the node's bitset (an i32 constant for one word, an i64 constant for two, a load
 * from memory for more), and-ed with in. The truncation saturates instead of trapping, and a category out of range
 * reads word 0, so every row can take every step. Multiclass categorical model, single row and batch rows/s: against
 * an `if` around the bit test, 14.5 -> 12.0 us, 156k -> 159k; two words as an i64 constant instead of a load,
 * 11.7 -> 10.0 us, 158k -> 195k. (Unlike thresholds, the range's bounds measured slower loaded from the constant
 * table, 194k -> 151k rows/s; and the range tested on the truncated category, unsigned, 200k -> 176k.)
 */
function categoricalCondition(
  code: Bytes,
  tree: Tree,
  node: number,
  v: number,
  locals: { readonly category: number; readonly inRange: number },
  bitsetBase: number,
): void {
  const cat = tree.threshold[node];
  const from = tree.catBoundaries[cat];
  const words = tree.catBoundaries[cat + 1] - from;
  if (words === 0) {
    code.byte(Op.i32Const).s32(0);
    return;
  }
  code.byte(Op.localGet).u32(v).byte(Op.f64Const).f64(-1).byte(Op.f64Gt);
  code
    .byte(Op.localGet)
    .u32(v)
    .byte(Op.f64Const)
    .f64(32 * words)
    .byte(Op.f64Lt);
  code.byte(Op.i32And);
  if (words === 1) {
    code.byte(Op.i32Const).s32(tree.catThreshold[from]);
    code.byte(Op.localGet).u32(v).byte(Op.misc).u32(MiscOp.i32TruncSatF64S);
  } else if (words === 2) {
    // The two words as one i64 constant (word 0 in the low half): i64.shr_u by the category mod 64 is its bit.
    const bits = (BigInt(tree.catThreshold[from + 1]) << 32n) | BigInt(tree.catThreshold[from]);
    code.byte(Op.i64Const).s64(bits);
    code.byte(Op.localGet).u32(v).byte(Op.misc).u32(MiscOp.i64TruncSatF64S);
    code.byte(Op.i64ShrU).byte(Op.i32WrapI64).byte(Op.i32And);
    return;
  } else {
    code.byte(Op.localSet).u32(locals.inRange);
    code.byte(Op.localGet).u32(v).byte(Op.misc).u32(MiscOp.i32TruncSatF64S);
    code.byte(Op.localTee).u32(locals.category);
    code.byte(Op.i32Const).s32(0).byte(Op.localGet).u32(locals.inRange).byte(Op.select);
    code.byte(Op.i32Const).s32(5).byte(Op.i32ShrU).byte(Op.i32Const).s32(2).byte(Op.i32Shl);
    code
      .byte(Op.i32Load)
      .u32(2)
      .u32(bitsetBase + from * 4);
    code.byte(Op.localGet).u32(locals.category);
  }
  // i32.shr_u shifts by the category mod 32: the bit within its word.
  code.byte(Op.i32ShrU);
  if (words === 1) code.byte(Op.i32And);
  else code.byte(Op.localGet).u32(locals.inRange).byte(Op.i32And);
}

/**
 * Constants the generated code loads from memory (from `base`) with an `f64.load` at a constant address: the
 * nodes' thresholds, each distinct value once (+0 and -0 share an entry, as do NaNs: comparisons do not tell them
 * apart), and the leaf values of branch-free subtrees.
 */
class ConstantTable {
  readonly values: number[] = [];
  private readonly index = new Map<number, number>();
  constructor(readonly base: number) {}

  /** Adds a subtree's leaf values (bit for bit; not shared) and returns the address of the first. */
  leaves(values: readonly number[]): number {
    this.values.push(...values);
    return this.base + (this.values.length - values.length) * 8;
  }

  /** Pushes a threshold (shared by the nodes that split on the same value). */
  threshold(code: Bytes, threshold: number): void {
    let i = this.index.get(threshold);
    if (i === undefined) {
      i = this.values.push(threshold) - 1;
      this.index.set(threshold, i);
    }
    code
      .byte(Op.i32Const)
      .s32(0)
      .byte(Op.f64Load)
      .u32(3)
      .u32(this.base + i * 8);
  }
}
