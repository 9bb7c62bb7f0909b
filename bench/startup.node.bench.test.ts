// Start-up CPU of the API Worker beside a bare Hono Worker (bench/bare-hono) in the same run:
// `wrangler check startup` writes the CPU profile of the module's evaluation in workerd; the figure
// is the sum of its non-idle samples. Three profiles of each, interleaved, and their medians, as
// one profile varies by several milliseconds on a shared machine. Target: at most 5x the bare
// Worker. Also prints where the API Worker's start-up goes, by module. Run: npm run bench -- startup
//
//   STARTUP_ROUNDS=<n>          profiles of each bundle, interleaved (default 3)
//   STARTUP_BASELINE=<commit>   also the API Worker of that commit (its tree from `git archive`, the
//                               built console and widget of this one), in the same rounds
//   STARTUP_GROUPS=chat,search  also the API Worker with those route groups imported at its top
//                               level: the difference is what the group's first request evaluates
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { type BuiltWorker, buildWorker, type CpuProfile, profileStartup } from "../scripts/check-deploy";
import { modulesEvaluatedAtStartup } from "./bundle-startup";
import { writeBenchResult } from "./results";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 3);
const TARGET_RATIO = 5;
const BASELINE = process.env.STARTUP_BASELINE;
const GROUPS = (process.env.STARTUP_GROUPS ?? "").split(",").filter(Boolean);

// Each Worker is built once, as `wrangler deploy` would (`--dry-run --outfile`), and every profile is
// of that bundle (`wrangler check startup --worker`): a `-c` given to `check startup` does not reach
// the build it runs itself.
let bare: BuiltWorker;
let api: BuiltWorker;
/** The baseline commit's API Worker, and the API Worker with a route group loaded at start-up. */
const others: { label: string; built: BuiltWorker }[] = [];
beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), "ancre-startup-"));
  bare = buildWorker({ name: "bare-hono", config: join(repoRoot, "bench/bare-hono/wrangler.toml") }, work);
  api = buildWorker({ name: "api", config: join(repoRoot, "wrangler.toml"), env: "production" }, work);
  if (BASELINE) {
    const tree = join(work, "baseline-tree");
    mkdirSync(join(tree, "web"), { recursive: true });
    execFileSync("sh", ["-c", `git archive ${BASELINE} | tar -x -C ${tree}`], { cwd: repoRoot });
    symlinkSync(realpathSync(join(repoRoot, "node_modules")), join(tree, "node_modules"));
    cpSync(join(repoRoot, "dist"), join(tree, "dist"), { recursive: true });
    cpSync(join(repoRoot, "web/dist"), join(tree, "web/dist"), { recursive: true });
    const built = buildWorker(
      { name: "baseline", config: join(tree, "wrangler.toml"), env: "production" },
      work,
    );
    others.push({ label: `API Worker at ${BASELINE}`, built });
  }
  for (const group of GROUPS) {
    const main = join(work, `with-${group}.ts`);
    const index = join(repoRoot, "src/index.ts");
    writeFileSync(
      main,
      `import ${JSON.stringify(join(repoRoot, `src/routes/${group}/${group}.routes.ts`))};\n` +
        `export * from ${JSON.stringify(index)};\nexport { default } from ${JSON.stringify(index)};\n`,
    );
    const config = join(repoRoot, "wrangler.toml");
    const built = buildWorker({ name: `with-${group}`, config, env: "production", main }, work);
    others.push({ label: `API Worker, ${group} group at start-up`, built });
  }
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

const fastest = (values: number[]) => Math.min(...values);

it(
  "start-up CPU of the API Worker beside a bare Hono Worker, medians of interleaved profiles",
  () => {
    const bareMs: number[] = [];
    const apiMs: number[] = [];
    const otherMs = others.map(() => [] as number[]);
    const modules: Record<string, number>[] = [];
    const apiModuleAt = bundleModules(readFileSync(join(api.outdir, "index.js"), "utf8"));
    for (let round = 0; round < ROUNDS; round++) {
      const bareProfile = cpuOf(profileStartup(bare, 5));
      const profile = cpuOf(profileStartup(api, 5), apiModuleAt);
      // The bare Worker's profile holds a handful of samples, too few to read the sampling interval
      // from: they count at the interval of the API Worker's profile of the same round. Its start-up
      // often falls between two samples (none in its module): it then counts as one, an upper bound,
      // so that the ratio is a lower bound rather than a division by zero.
      bareMs.push(Math.max(bareProfile.samples, 1) * profile.intervalMs);
      apiMs.push(profile.ms);
      modules.push(profile.byModule);
      for (const [i, { built }] of others.entries()) otherMs[i]!.push(cpuOf(profileStartup(built, 5)).ms);
      console.log(
        `round ${round + 1}: bare Hono ${round1(bareMs.at(-1)!)} ms, API Worker ${round1(profile.ms)} ms` +
          others.map(({ label }, i) => `, ${label} ${round1(otherMs[i]!.at(-1)!)} ms`).join(""),
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
      `start-up CPU: API Worker ${round1(apiMedian)} ms (fastest ${round1(fastest(apiMs))}), bare Hono ${round1(bareMedian)} ms: ` +
        `x${ratio.toFixed(1)} (target at most x${TARGET_RATIO}; the bare figure is at most one sample when none fell in it)`,
    );
    others.forEach(({ label }, i) => {
      const runs = otherMs[i]!;
      console.log(
        `  ${label}: ${round1(median(runs))} ms (fastest ${round1(fastest(runs))}), x${(median(runs) / bareMedian).toFixed(1)} the bare Worker, ` +
          `${round1(median(runs) - apiMedian)} ms beside this API Worker`,
      );
    });
    for (const { module, ms } of topModules) console.log(`  ${module.padEnd(40)} ${ms} ms`);
    writeBenchResult("startup", {
      method: `wrangler check startup --worker on a wrangler deploy --dry-run bundle, non-idle samples at the sampling interval; medians of ${ROUNDS} interleaved profiles each`,
      bareHonoMs: { runs: bareMs.map(round1), median: round1(bareMedian) },
      apiWorkerMs: { runs: apiMs.map(round1), median: round1(apiMedian), fastest: round1(fastest(apiMs)) },
      ratio: Math.round(ratio * 10) / 10,
      targetRatio: TARGET_RATIO,
      others: others.map(({ label }, i) => ({
        label,
        runs: otherMs[i]!.map(round1),
        median: round1(median(otherMs[i]!)),
        fastest: round1(fastest(otherMs[i]!)),
      })),
      apiWorkerTopModules: topModules,
    });
    expect(apiMedian).toBeGreaterThan(0);
  },
  60 * 60_000,
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
  "zod (configuration read by hand)": "zod/v4/core/schemas.js",
  "unpdf's wrapper": "unpdf/dist/index.mjs",
  "Public Suffix List (tldts)": "tldts/dist/es6/index.js",
  "Qdrant's client": "@qdrant/js-client-rest/dist/browser/index.js",
  "Snowball stemmers": "snowball-stemmers/snowball-stemmers.js",
  "extractive answerer": "src/providers/llm/extractive.ts",
};

it("pdf.js, Stripe, the DOCX, PPTX and HTML parsers, the token tables, the language model, the OpenAI SDK, zod, unpdf, tldts, Qdrant's client, the stemmers and the extractive answerer are evaluated only by the import() of the path that uses them", () => {
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
