// The data the tests and benches read but the repository does not hold (the document corpus, the
// benchmark sets, the original product's READMEs) lives in ../shared beside the checkout; a
// checkout made as a git worktree in a folder of worktrees finds it one level further up.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOTS = ["../../shared/", "../../../shared/"];

/** The absolute path of `relative` (e.g. "corpus/txt/norwich-city.txt") in the shared data. */
export function sharedPath(relative: string): string {
  const candidates = ROOTS.map((root) => fileURLToPath(new URL(root + relative, import.meta.url)));
  return candidates.find((path) => existsSync(path)) ?? candidates[0]!;
}
