/**
 * The bits of a node's `decision_type` byte (LightGBM `include/LightGBM/tree.h`).
 *
 *   bit 0     categorical split (kCategoricalMask)
 *   bit 1     missing values go left (kDefaultLeftMask)
 *   bits 2-3  missing type: 0 None, 1 Zero, 2 NaN (enum MissingType, `include/LightGBM/bin.h`)
 */
export const CATEGORICAL_MASK = 1;
export const DEFAULT_LEFT_MASK = 2;

export const MissingType = { None: 0, Zero: 1, NaN: 2 } as const;
export type MissingType = (typeof MissingType)[keyof typeof MissingType];

/**
 * LightGBM's `kZeroThreshold` is the *float* literal 1e-35f; widened to double it is this value, which is why
 * it appears verbatim as a threshold in model files. `IsZero(x)` is `-kZeroThreshold <= x <= kZeroThreshold`.
 */
export const ZERO_THRESHOLD = 1.0000000180025095e-35;

export function isCategorical(decisionType: number): boolean {
  return (decisionType & CATEGORICAL_MASK) !== 0;
}

export function isDefaultLeft(decisionType: number): boolean {
  return (decisionType & DEFAULT_LEFT_MASK) !== 0;
}

export function missingType(decisionType: number): number {
  return (decisionType >> 2) & 3;
}

/** A decision_type byte is valid when its missing type is 0..2 and no bit above bit 3 is set. */
export function isValidDecisionType(decisionType: number): boolean {
  return (
    Number.isInteger(decisionType) && decisionType >= 0 && decisionType < 16 && missingType(decisionType) <= 2
  );
}
