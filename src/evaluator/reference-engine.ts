/**
 * The reference engine: a direct walk of LightGBM's arrays, one node at a time, through the shared decision
 * rules. It is meant to be obviously right, not fast; the conformance suite runs it beside the compiled engine.
 */
import type { Model } from "../model/types";
import { findLeaf, leafOutput } from "./decision";
import type { Engine } from "./engine";

export function createReferenceEngine(model: Model): Engine {
  const { trees } = model;
  const perIteration = model.header.numTreePerIteration;
  return {
    name: "reference",
    cleansInput: false,
    addRawScores(x, rows, stride, fromIteration, toIteration, scores, width) {
      for (let r = 0; r < rows; r++) {
        for (let i = fromIteration; i < toIteration; i++) {
          for (let k = 0; k < perIteration; k++) {
            const tree = trees[i * perIteration + k];
            scores[r * width + k] += leafOutput(tree, findLeaf(tree, x, r * stride), x, r * stride);
          }
        }
      }
    },
    leafIndices(x, offset, fromTree, toTree, out, outOffset) {
      for (let t = fromTree; t < toTree; t++) out[outOffset + t - fromTree] = findLeaf(trees[t], x, offset);
    },
  };
}
