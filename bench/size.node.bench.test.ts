// Size and start-up of what Ancre deploys: the gzipped bundle of each Worker from
// `wrangler deploy --dry-run`, its start-up CPU from `wrangler check startup` (a CPU profile of the
// module's evaluation in workerd), and the console's initial JavaScript (what index.html loads
// before any route is lazily fetched). Targets: a Worker under 3 MB gzipped (Workers' free plan)
// starting in under 200 ms; the console under 250 KB gzipped. Run: npm run bench -- size
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import {
  type BuiltWorker,
  buildWorker,
  busyMs,
  profileStartup,
  reportedGzipKib,
} from "../scripts/check-deploy";
import { writeBenchResult } from "./results";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const kb = (bytes: number) => Math.round(bytes / 1024);

/** The Workers of this repository, by their wrangler configuration. */
const WORKERS = [
  { name: "api", config: "wrangler.toml" },
  { name: "copilot", config: "copilot/wrangler.toml" },
].filter((worker) => existsSync(join(repoRoot, worker.config)));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The production bundle as `wrangler deploy` would upload it: raw and gzipped bytes of its modules. */
function bundleSize(built: BuiltWorker) {
  const modules = filesUnder(built.outdir).filter(
    (file) => !file.endsWith(".map") && !file.endsWith("README.md"),
  );
  const raw = modules.reduce((sum, file) => sum + statSync(file).size, 0);
  const gzipped = modules.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  const reported = reportedGzipKib(built.output);
  return {
    rawKb: kb(raw),
    gzipKb: kb(gzipped),
    wranglerReportedGzipKb: reported !== undefined ? Math.round(reported) : null,
  };
}

/**
 * Start-up CPU (non-idle samples) of that same bundle (`wrangler check startup --worker`: a `-c`
 * given to `check startup` does not reach the build it runs itself), or why it could not be taken.
 */
function startupCpu(built: BuiltWorker): { ms: number } | { failed: string } {
  try {
    return { ms: Math.round(busyMs(profileStartup(built))) };
  } catch (error) {
    return { failed: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
  }
}

/** The console's initial JavaScript: the scripts and module preloads of web/dist/index.html. */
function consoleInitialJs(): { files: string[]; gzipKb: number } | { missing: string } {
  const dist = join(repoRoot, "web/dist");
  if (!existsSync(join(dist, "index.html"))) return { missing: "web/dist is not built (npm run build)" };
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const scripts = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g),
  ].map((match) => match[1]!);
  const gzipped = scripts.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
    0,
  );
  return { files: scripts, gzipKb: kb(gzipped) };
}

it("bundle size and start-up CPU of each Worker; the console's initial JavaScript", () => {
  const workers = WORKERS.map((worker) => {
    const built = buildWorker({ ...worker, env: "production" }, mkdtempSync(join(tmpdir(), "ancre-bundle-")));
    const size = bundleSize(built);
    const startup = startupCpu(built);
    console.log(
      `${worker.name.padEnd(8)} bundle ${size.rawKb} KB raw, ${size.gzipKb} KB gzipped ` +
        `(wrangler: ${size.wranglerReportedGzipKb ?? "?"} KB; limit 3,072 KB on the free plan)  ` +
        `start-up ${"ms" in startup ? `${startup.ms} ms (target < 200 ms)` : `not measured: ${startup.failed}`}`,
    );
    return { ...worker, ...size, startup };
  });
  const consoleJs = consoleInitialJs();
  console.log(
    "files" in consoleJs
      ? `console  initial JavaScript ${consoleJs.gzipKb} KB gzipped (target < 250 KB): ${consoleJs.files.join(", ")}`
      : `console  ${consoleJs.missing}`,
  );
  writeBenchResult("size", { workers, console: consoleJs });
  expect(workers.length).toBeGreaterThan(0);
});
