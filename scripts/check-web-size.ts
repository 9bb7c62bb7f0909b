// The console's first load budget: the JavaScript index.html loads before anything else (its entry
// script and the chunks it preloads), gzipped, must stay under 250 KB. Lazy pages are not counted:
// they load on first visit. Run after `npm run build:web`.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 250 * 1024;
const dist = new URL("../web/dist/", import.meta.url);

const html = await readFile(new URL("index.html", dist), "utf8").catch(() => {
  console.error("web/dist/index.html is missing: run `npm run build:web` first.");
  process.exit(1);
});
const initialScripts = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g),
].map((match) => match[1]!);

let total = 0;
for (const file of new Set(initialScripts)) {
  const size = gzipSync(await readFile(new URL(file, dist))).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB gzipped`);
}
const verdict = total <= BUDGET_BYTES ? "within" : "OVER";
console.log(
  `Console initial JS: ${(total / 1024).toFixed(1)} KB gzipped (${verdict} the ${BUDGET_BYTES / 1024} KB budget)`,
);
if (total > BUDGET_BYTES) process.exit(1);
