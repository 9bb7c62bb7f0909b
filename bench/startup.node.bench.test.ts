// Start-up CPU of the API Worker beside a bare Hono Worker (bench/bare-hono) in the same run:
// `wrangler check startup` writes the CPU profile of the module's evaluation in workerd; the figure
// is the sum of its non-idle samples. Three profiles of each, interleaved, and their medians, as
// one profile varies by several milliseconds on a shared machine. Target: at most 5x the bare
// Worker. Also prints where the API Worker's start-up goes, by module. Run: npm run bench -- startup
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { type BuiltWorker, buildWorker, type CpuProfile, profileStartup } from "../scripts/check-deploy";
import { modulesEvaluatedAtStartup } from "./bundle-startup";
import { writeBenchResult } from "./results";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = 3;
const TARGET_RATIO = 5;

// Each Worker is built once, as `wrangler deploy` would (`--dry-run --outfile`), and every profile is
// of that bundle (`wrangler check startup --worker`): a `-c` given to `check startup` does not reach
// the build it runs itself.
let bare: BuiltWorker;
let api: BuiltWorker;
beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), "ancre-startup-"));
  bare = buildWorker({ name: "bare-hono", config: join(repoRoot, "bench/bare-hono/wrangler.toml") }, work);
  api = buildWorker({ name: "api", config: join(repoRoot, "wrangler.toml"), env: "production" }, work);
}, 10 * 60_000);

/**
 * The module each line of a bundle belongs to: esbuild starts every module's code with a `// path`
 * comment, so a sample's line in the one bundle file says which package or source folder it ran in.
 */
function bundleModules(bundle: string): (line: number) => string | undefined {
  const starts: { line: number; module: string }[] = [];
  bundle.split("\n").forEach((text, line) => {
    const path = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(text)?.[1];
    if (path) starts.push({ line, module: moduleOf(`/${path}`) ?? path });
  });
  return (line) => {
    let low = 0;
    let high = starts.length - 1;
    let found: string | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
}

/** Milliseconds of non-idle samples, in all and by the module (package or source folder) they ran in. */
function cpuOf(profile: CpuProfile, moduleAt?: (line: number) => string | undefined) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  // The sampler ticks at a fixed interval while the thread runs; on a shared machine a descheduled
  // thread shows as one long gap, which is wall time, not CPU: each sample counts one interval.
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = deltas[Math.floor(deltas.length / 2)] ?? 0;
  const byModule: Record<string, number> = {};
  let micros = 0;
  for (const id of profile.samples) {
    const frame = nodes.get(id);
    if (!frame || frame.functionName === "(idle)") continue;
    micros += interval;
    const inBundle =
      moduleAt && frame.url && frame.lineNumber !== undefined ? moduleAt(frame.lineNumber) : undefined;
    // Before the first module comment, or at no line: the bundle's compilation and esbuild's helpers.
    const unplaced = moduleAt && frame.url ? "(bundle: compilation, esbuild helpers)" : undefined;
    const module = inBundle ?? unplaced ?? moduleOf(frame.url ?? "") ?? frame.functionName;
    byModule[module] = (byModule[module] ?? 0) + interval / 1000;
  }
  const samples = micros / (interval || 1);
  return { ms: micros / 1000, byModule, samples, intervalMs: interval / 1000 };
}

function moduleOf(url: string): string | undefined {
  if (!url) return undefined;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src\/[^/]+(?:\/[^/.]+)?)/.exec(url);
  return src ? src[1] : url.split("/").slice(-2).join("/");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round1 = (ms: number) => Math.round(ms * 10) / 10;

it(
  "start-up CPU of the API Worker beside a bare Hono Worker, medians of three interleaved profiles",
  () => {
    const bareMs: number[] = [];
    const apiMs: number[] = [];
    const modules: Record<string, number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const apiModuleAt = bundleModules(readFileSync(join(api.outdir, "index.js"), "utf8"));
      const bareProfile = cpuOf(profileStartup(bare, 5));
      const profile = cpuOf(profileStartup(api, 5), apiModuleAt);
      // The bare Worker's profile holds a handful of samples, too few to read the sampling interval
      // from: they count at the interval of the API Worker's profile of the same round. Its start-up
      // often falls between two samples (none in its module): it then counts as one, an upper bound,
      // so that the ratio is a lower bound rather than a division by zero.
      bareMs.push(Math.max(bareProfile.samples, 1) * profile.intervalMs);
      apiMs.push(profile.ms);
      modules.push(profile.byModule);
      console.log(
        `round ${round + 1}: bare Hono ${round1(bareMs.at(-1)!)} ms, API Worker ${round1(profile.ms)} ms`,
      );
    }
    const bareMedian = median(bareMs);
    const apiMedian = median(apiMs);
    const ratio = apiMedian / bareMedian;
    const names = new Set(modules.flatMap((m) => Object.keys(m)));
    const topModules = [...names]
      .map((name) => ({ module: name, ms: round1(median(modules.map((m) => m[name] ?? 0))) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12);
    console.log(
      `start-up CPU: API Worker ${round1(apiMedian)} ms, bare Hono ${round1(bareMedian)} ms: ` +
        `x${ratio.toFixed(1)} (target at most x${TARGET_RATIO}; the bare figure is at most one sample when none fell in it)`,
    );
    for (const { module, ms } of topModules) console.log(`  ${module.padEnd(40)} ${ms} ms`);
    writeBenchResult("startup", {
      method:
        "wrangler check startup --worker on a wrangler deploy --dry-run bundle, non-idle samples at the sampling interval; medians of three interleaved profiles each",
      bareHonoMs: { runs: bareMs.map(round1), median: round1(bareMedian) },
      apiWorkerMs: { runs: apiMs.map(round1), median: round1(apiMedian) },
      ratio: Math.round(ratio * 10) / 10,
      targetRatio: TARGET_RATIO,
      apiWorkerTopModules: topModules,
    });
    expect(apiMedian).toBeGreaterThan(0);
  },
  30 * 60_000,
);

/** Modules only some paths need, by their path in the production bundle. */
const LOADED_WHERE_USED = {
  "pdf.js (unpdf)": "unpdf/dist/pdfjs.mjs",
  "Stripe SDK": "stripe/esm/stripe.esm.worker.js",
  "DOCX parser (mammoth)": "src/ingest/parse/docx.ts",
  "HTML parser (linkedom, Readability)": "src/ingest/parse/html.ts",
  "token tables (gpt-tokenizer cl100k)": "gpt-tokenizer/esm/bpeRanks/cl100k_base.js",
  "language detector's model (eld)": "eld/src/ngrams/extrasmall.js",
  "ZIP and PNG codecs (fflate)": "fflate/esm/browser.js",
  "OpenAI SDK": "openai/index.mjs",
};

it("pdf.js, Stripe, the DOCX, PPTX and HTML parsers, the token tables, the language model and the OpenAI SDK are evaluated only by the import() of the path that uses them", () => {
  const atStartup = modulesEvaluatedAtStartup(readFileSync(join(api.outdir, "index.js"), "utf8"));
  const eager: string[] = [];
  for (const [what, path] of Object.entries(LOADED_WHERE_USED)) {
    const found = atStartup.lazy.some((module) => module.endsWith(path));
    const atLoad = atStartup.eager.some((module) => module.endsWith(path));
    console.log(
      `${what.padEnd(38)} ${atLoad ? "evaluated at start-up" : found ? "loaded where used" : "not found"}`,
    );
    if (atLoad || !found) eager.push(what);
  }
  expect(eager).toEqual([]);
});

/**
 * Every route module and its schemas (`src/routes/<x>/<x>.{routes,schemas}.ts`), and the OpenAPI
 * layer over zod, by their path in the production bundle: the first request under a group's paths
 * loads that group, `/openapi.json` all of them.
 */
function routeGroupModules(): Record<string, string> {
  const modules: Record<string, string> = {
    "OpenAPI routers (@hono/zod-openapi)": "@hono/zod-openapi/dist/index.mjs",
    "OpenAPI metadata (zod-to-openapi)": "@asteasolutions/zod-to-openapi/dist/index.mjs",
    "zod validators (@hono/zod-validator)": "@hono/zod-validator/dist/index.mjs",
  };
  const routes = join(repoRoot, "src/routes");
  for (const folder of readdirSync(routes, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(routes, folder.name))) {
      if (/\.(routes|schemas)\.ts$/.test(file) && file !== "console.routes.ts") {
        modules[`${folder.name}/${file}`] = `src/routes/${folder.name}/${file}`;
      }
    }
  }
  return modules;
}

it("no route group (its routes, its zod schemas, their OpenAPI metadata) is evaluated at start-up", () => {
  const atStartup = modulesEvaluatedAtStartup(readFileSync(join(api.outdir, "index.js"), "utf8"));
  const modules = routeGroupModules();
  expect(Object.keys(modules).length).toBeGreaterThan(40);
  const eager: string[] = [];
  for (const [what, path] of Object.entries(modules)) {
    const lazy = atStartup.lazy.some((module) => module.endsWith(path));
    if (!lazy) eager.push(what);
  }
  console.log(
    `route groups: ${Object.keys(modules).length - eager.length} of ${Object.keys(modules).length} modules loaded where used`,
  );
  // A module the bundle evaluates at its top level is not wrapped at all: neither eager nor lazy.
  expect(eager).toEqual([]);
});
