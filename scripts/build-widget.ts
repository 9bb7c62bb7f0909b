/**
 * Bundles the embeddable widget (widget/, beside web/) into one minified script, dist/widget/v1.js, which the
 * Worker imports as a Text module (wrangler.toml `[[rules]]`) and serves at /widget/v1.js.
 *
 * Run: `npm run build:widget` (node --experimental-strip-types scripts/build-widget.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const WIDGET_BUNDLE = `${root}dist/widget/v1.js`;

/** The bundle's size in bytes, raw and gzipped (the budget is on the gzipped figure). */
export function widgetBundleSize(path = WIDGET_BUNDLE) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

export async function buildWidget() {
  await build({
    entryPoints: [`${root}widget/index.ts`],
    outfile: WIDGET_BUNDLE,
    tsconfig: `${root}widget/tsconfig.json`,
    bundle: true,
    minify: true,
    // An IIFE keeps every name inside the script: the page's globals get only `window.Ancre`.
    format: "iife",
    target: "es2022",
    legalComments: "none",
    logLevel: "warning",
  });
  return widgetBundleSize();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = await buildWidget();
  console.log(
    `widget: dist/widget/v1.js ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzipped / 1024).toFixed(1)} KB gzipped`,
  );
}
