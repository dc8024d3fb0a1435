/**
 * contract/errors.json is the one error catalog: the TypeScript endpoint's codes and statuses come from it,
 * and the README's error table lists exactly its codes with their statuses.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { API_ERROR_CODES, API_ERRORS } from "../../src/server/api-error";
import { REPO_ROOT } from "../support/paths";

interface Entry {
  code: string;
  status: number;
  meaning: string;
}
const catalog = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "contract", "errors.json"), "utf8")) as { errors: Entry[] }
).errors;

/** The rows `| status | \`code\` | ... |` of the README's "### Errors" section. */
function readmeErrorTable(): Map<string, number> {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.split(/^### Errors$/m)[1]?.split(/^#{2,3} /m)[0];
  assert.ok(section !== undefined, "the README has an Errors section");
  const rows = new Map<string, number>();
  for (const match of section.matchAll(/^\| (\d{3}) \| `([a-z_]+)` \|/gm)) {
    assert.ok(!rows.has(match[2]), `${match[2]} appears twice in the README's table`);
    rows.set(match[2], Number(match[1]));
  }
  return rows;
}

describe("the error catalog", () => {
  it("gives the TypeScript endpoint every code with its status, and no other", () => {
    assert.deepEqual(
      Object.fromEntries(API_ERROR_CODES.map((code) => [code, API_ERRORS[code]])),
      Object.fromEntries(catalog.map((e) => [e.code, e.status])),
    );
  });

  it("is the README's error table, code for code and status for status", () => {
    assert.deepEqual(
      Object.fromEntries([...readmeErrorTable()].sort()),
      Object.fromEntries(catalog.map((e) => [e.code, e.status] as const).sort()),
    );
  });

  it("has a meaning for every code, and each code once", () => {
    assert.equal(new Set(catalog.map((e) => e.code)).size, catalog.length);
    for (const e of catalog) assert.ok(e.meaning.length > 10, `${e.code} says what it means`);
  });
});
