/**
 * Strict conversion of model-file tokens to numbers. LightGBM writes doubles with `{:.17g}` (which JavaScript's
 * Number parses back exactly) and may write non-finite values as inf / -inf / nan. Anything else is an error.
 */
import { ModelFormatError, type ModelLocation } from "../model/model-format-error";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE: Record<string, number> = {
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
  nan: NaN,
  "-nan": NaN,
  "+nan": NaN,
};

export function parseDouble(token: string, where: ModelLocation): number {
  if (NUMBER.test(token)) return Number(token);
  const special = NON_FINITE[token.toLowerCase()];
  if (special !== undefined) return special;
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
