/** The repository root, for code compiled to dist/<folder>/<subfolder>/ (scripts/lib/ here, so three levels up). */
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
