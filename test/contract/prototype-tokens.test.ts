/**
 * Names of Object.prototype's members, fed everywhere a token is read: model keys and values, the command
 * line's CSV, TSV, LibSVM and JSON, and the HTTP request's fields, named rows and options. Each is an error
 * naming the token (or an unknown key that is ignored), never a value found on a prototype.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { parseDelimited, parseJsonRows, parseLibsvm, InputError } from "../../src/input/rows";
import { ModelFormatError } from "../../src/model/model-format-error";
import { parseModel } from "../../src/parser/parse-model";
import { listenInProcess, MODEL_PATH, type InProcessServer } from "../http/in-process";
import { post } from "../support/server";

const TOKENS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const MODEL = fs.readFileSync(MODEL_PATH, "utf8");
const F = 20;
const ROW = Array.from({ length: F }, (_, i) => i / 7);

/** The model with the first token of `key` in tree 0 (or of the header's `key`) replaced. */
function withToken(key: string, token: string): string {
  const pattern = new RegExp(`^(${key}=)\\S+`, "m");
  assert.match(MODEL, pattern);
  return MODEL.replace(pattern, `$1${token}`);
}

function modelError(text: string): ModelFormatError {
  try {
    parseModel(text);
  } catch (error) {
    assert.ok(error instanceof ModelFormatError, String(error));
    return error;
  }
  assert.fail("the model was accepted");
}

describe("prototype names as tokens", () => {
  for (const token of TOKENS) {
    describe(token, () => {
      it("is not a number in a model's values, header integers or objective", () => {
        for (const key of ["threshold", "leaf_value", "internal_count", "shrinkage", "left_child"]) {
          const error = modelError(withToken(key, token));
          assert.equal(error.code, "invalid_value", error.message);
          assert.match(error.message, new RegExp(`key "${key}".*"${token}" is not`));
        }
        assert.equal(modelError(withToken("num_class", token)).code, "invalid_value");
        assert.equal(modelError(withToken("objective", token)).code, "unknown_objective");
      });

      it("is an unknown key of a model, ignored like any other", () => {
        const text = MODEL.replace(/^(Tree=0)$/m, `$1\n${token}=1`).replace(
          /^(version=\S+)$/m,
          `$1\n${token}=2`,
        );
        assert.equal(parseModel(text).trees.length, parseModel(MODEL).trees.length);
      });

      it("is not a number in the command line's CSV, TSV, LibSVM or JSON", () => {
        const line = (sep: string) => ROW.map((v, i) => (i === 3 ? token : String(v))).join(sep);
        const expectInputError = (parse: () => unknown) =>
          assert.throws(parse, (e: unknown) => e instanceof InputError && e.message.includes(`"${token}"`));
        expectInputError(() => parseDelimited(line(","), { delimiter: ",", header: false, numFeatures: F }));
        expectInputError(() =>
          parseDelimited(line("\t"), { delimiter: "\t", header: false, numFeatures: F }),
        );
        expectInputError(() => parseLibsvm(`1 0:1 3:${token}`, F));
        expectInputError(() => parseJsonRows(JSON.stringify([ROW.map((v, i) => (i === 3 ? token : v))]), F));
      });
    });
  }

  describe("in HTTP requests", () => {
    let server: InProcessServer;
    before(async () => {
      server = await listenInProcess();
    });
    after(() => server.close());

    for (const token of TOKENS) {
      it(`refuses ${token} as a field, a feature name, an output or an OIP datatype`, async () => {
        const cases: [string, unknown, RegExp][] = [
          ["/inference", `{"data": ${JSON.stringify(ROW)}, "${token}": {"output": "leaf"}}`, /unknown field/],
          ["/inference", `{"data": {"${token}": 1}}`, /unknown feature/],
          ["/inference", `{"data": [{"Column_0": 1}, {"${token}": 1}]}`, /unknown feature/],
          ["/inference", { data: ROW, output: token }, /output must be one of/],
          [
            "/v2/models/model/infer",
            { inputs: [{ name: "x", shape: [1, F], datatype: token, data: ROW }] },
            /datatype must be a numeric type/,
          ],
          [
            "/v2/models/model/infer",
            {
              parameters: { output: token },
              inputs: [{ name: "x", shape: [1, F], datatype: "FP64", data: ROW }],
            },
            /output must be one of/,
          ],
        ];
        for (const [route, body, message] of cases) {
          const res = await post(server.url + route, body);
          assert.equal(res.status, 400, `${route} ${JSON.stringify(body)}`);
          const error = (res.body as { error: string | { message: string } }).error;
          assert.match(typeof error === "string" ? error : error.message, message);
        }
      });
    }
  });
});
