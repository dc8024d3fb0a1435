/**
 * Every objective LightGBM writes into `objective=`, as one table: name → output transform (LightGBM's
 * `ObjectiveFunction::ConvertOutput`, `src/objective/*.hpp`). The line is the name followed by `key:value`
 * tokens and, for the regression family, a bare `sqrt`. Unknown names fail at load time.
 */
import { ModelFormatError, type ModelLocation } from "./model-format-error";

/** Converts K raw scores in place, starting at `offset`. */
export type OutputTransform = (scores: Float64Array, offset: number) => void;

export interface Objective {
  /** The objective's name as written (first token of the line), or "none" when the file has no objective. */
  readonly name: string;
  /** What the value output is, for people: "identity", "sigmoid", "softmax", ... */
  readonly transformName: string;
  readonly transform: OutputTransform;
}

type Family =
  "regression" | "exp" | "binary" | "multiclass" | "multiclassova" | "xentropy" | "xentlambda" | "raw";

/** Objective names (including the 2.x spellings `xentropy`/`xentlambda`) and the family that decides the transform. */
const OBJECTIVES: Readonly<Record<string, Family>> = {
  regression: "regression",
  regression_l2: "regression",
  regression_l1: "regression",
  quantile: "regression",
  fair: "regression",
  huber: "regression",
  mape: "regression",
  poisson: "exp",
  gamma: "exp",
  tweedie: "exp",
  binary: "binary",
  multiclass: "multiclass",
  multiclassova: "multiclassova",
  cross_entropy: "xentropy",
  xentropy: "xentropy",
  cross_entropy_lambda: "xentlambda",
  xentlambda: "xentlambda",
  lambdarank: "raw",
  rank_xendcg: "raw",
  custom: "raw",
};

export const KNOWN_OBJECTIVES: readonly string[] = Object.keys(OBJECTIVES);

const identity: OutputTransform = () => {};

/** LightGBM's `Common::Sign(x) * x * x` for `reg_sqrt` models. */
const signedSquare: OutputTransform = (s, o) => {
  const x = s[o];
  s[o] = ((x > 0 ? 1 : 0) - (x < 0 ? 1 : 0)) * x * x;
};

const exp: OutputTransform = (s, o) => {
  s[o] = Math.exp(s[o]);
};

function sigmoid(k: number, width: number): OutputTransform {
  return (s, o) => {
    for (let i = o; i < o + width; i++) s[i] = 1 / (1 + Math.exp(-k * s[i]));
  };
}

/** `Common::Softmax`: subtract the max, exponentiate, divide by the sum (no epsilon). */
function softmax(width: number): OutputTransform {
  return (s, o) => {
    let max = s[o];
    for (let i = o + 1; i < o + width; i++) max = Math.max(s[i], max);
    let sum = 0;
    for (let i = o; i < o + width; i++) {
      s[i] = Math.exp(s[i] - max);
      sum += s[i];
    }
    for (let i = o; i < o + width; i++) s[i] /= sum;
  };
}

const crossEntropyLambda: OutputTransform = (s, o) => {
  s[o] = Math.log1p(Math.exp(s[o]));
};

/**
 * Parses an `objective=` line (null when the file has none) into its transform. `numClass` is the header's
 * `num_class`, which multiclass objectives must agree with.
 */
export function parseObjective(line: string | null, numClass: number, where: ModelLocation): Objective {
  if (line === null) return { name: "none", transformName: "identity", transform: identity };
  const [name = "", ...rest] = line.trim().split(/\s+/);
  const family = Object.hasOwn(OBJECTIVES, name) ? OBJECTIVES[name] : undefined;
  if (family === undefined) {
    throw new ModelFormatError(
      "unknown_objective",
      `unknown objective "${name}"; supported: ${KNOWN_OBJECTIVES.join(", ")}`,
      where,
    );
  }
  const params = new Map<string, string>();
  let sqrt = false;
  for (const token of rest) {
    if (token === "sqrt") sqrt = true;
    else {
      const colon = token.indexOf(":");
      if (colon <= 0)
        throw new ModelFormatError("invalid_value", `objective parameter "${token}" is not key:value`, where);
      params.set(token.slice(0, colon), token.slice(colon + 1));
    }
  }
  const positive = (key: string): number => {
    const raw = params.get(key);
    const value = raw === undefined ? NaN : Number(raw);
    if (!(value > 0)) {
      throw new ModelFormatError(
        "invalid_value",
        `objective "${name}" needs ${key}:<positive number>, got "${raw ?? ""}"`,
        where,
      );
    }
    return value;
  };
  const classes = (): number => {
    const k = positive("num_class");
    if (k !== numClass) {
      throw new ModelFormatError(
        "invalid_value",
        `objective num_class:${k} disagrees with num_class=${numClass}`,
        where,
      );
    }
    return k;
  };
  switch (family) {
    case "regression":
      // huber forces sqrt off in LightGBM; a `sqrt` token on it would never be written.
      return sqrt && name !== "huber"
        ? { name, transformName: "signed square", transform: signedSquare }
        : { name, transformName: "identity", transform: identity };
    case "exp":
      return { name, transformName: "exp", transform: exp };
    case "binary":
      return { name, transformName: "sigmoid", transform: sigmoid(positive("sigmoid"), 1) };
    case "multiclass":
      return { name, transformName: "softmax", transform: softmax(classes()) };
    case "multiclassova": {
      const k = classes();
      return { name, transformName: "sigmoid per class", transform: sigmoid(positive("sigmoid"), k) };
    }
    case "xentropy":
      return { name, transformName: "sigmoid", transform: sigmoid(1, 1) };
    case "xentlambda":
      return { name, transformName: "log1p(exp)", transform: crossEntropyLambda };
    case "raw":
      return { name, transformName: "identity", transform: identity };
  }
}
