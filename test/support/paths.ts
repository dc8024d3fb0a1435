/** Where things are, for the tests. Compiled tests run from dist/test/..., so paths resolve from the repo root. */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/paths";

export { REPO_ROOT };

/** The read-only shared folder beside the checkout (absent for users): PARITY_CORPUS_DIR overrides. */
export const PARITY_CORPUS_DIR =
  process.env.PARITY_CORPUS_DIR ?? path.resolve(REPO_ROOT, "..", "shared", "parity-corpus");

export function exists(p: string): boolean {
  return fs.existsSync(p);
}
