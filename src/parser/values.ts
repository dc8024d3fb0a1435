/**
 * Strict conversion of model-file tokens to numbers. LightGBM writes doubles with `{:.17g}` (which JavaScript's
 * Number parses back exactly) and may write non-finite values as inf / -inf / nan. Anything else is an error.
 */
import { ModelFormatError, type ModelLocation } from "../model/model-format-error";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A Map, not an object: `__proto__`, `constructor` or `toString` must not be found on a prototype. */
const NON_FINITE: ReadonlyMap<string, number> = new Map([
  ["inf", Infinity],
  ["+inf", Infinity],
  ["-inf", -Infinity],
  ["infinity", Infinity],
  ["+infinity", Infinity],
  ["-infinity", -Infinity],
  ["nan", NaN],
  ["-nan", NaN],
  ["+nan", NaN],
]);

/**
 * A number token as LightGBM writes them: a decimal, or inf / infinity / nan with an optional sign in any
 * case; undefined for anything else. The one number-token table of the parser and the command line.
 */
export function numberToken(token: string): number | undefined {
  return NUMBER.test(token) ? Number(token) : NON_FINITE.get(token.toLowerCase());
}

export function parseDouble(token: string, where: ModelLocation): number {
  const value = numberToken(token);
  if (value !== undefined) return value;
  throw new ModelFormatError("invalid_value", `"${abbreviate(token)}" is not a number`, where);
}

export function parseInteger(token: string, where: ModelLocation): number {
  const value = NUMBER.test(token) ? Number(token) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new ModelFormatError("invalid_value", `"${abbreviate(token)}" is not an integer`, where);
  }
  return value;
}

/** Splits a list value on runs of white space (linear-tree lists are joined with extra spaces). */
export function splitTokens(value: string): string[] {
  const trimmed = value.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

function abbreviate(token: string): string {
  return token.length > 40 ? `${token.slice(0, 37)}...` : token;
}
