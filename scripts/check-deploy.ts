// What `npm run deploy` would ship, checked before anything reaches the account: each Worker is built
// by `wrangler deploy --dry-run` (no credentials needed), its gzipped size held against the plan's
// limit and its start-up CPU (`wrangler check startup` on that same bundle) against a budget.
// CI runs it on every change; `npm run deploy` runs it first and stops when it fails.
//
//   WORKERS_PLAN=free|paid     the size limit: 3 MiB (free, the default) or 10 MiB (paid), gzipped
//   STARTUP_BUDGET_MS=<ms>     start-up CPU budget per Worker (default 1000: Workers' start-up limit)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The Workers `npm run deploy` ships, in deploy order. */
export const DEPLOYED_WORKERS = [
  { name: "copilot", config: "copilot/wrangler.toml" },
  { name: "api", config: "wrangler.toml" },
] as const;

const SIZE_LIMITS_KIB = { free: 3 * 1024, paid: 10 * 1024 } as const;

/** Gzipped upload size as wrangler reports it (`Total Upload: … KiB / gzip: … KiB`), if it did. */
export function reportedGzipKib(output: string): number | undefined {
  const match = /Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/.exec(output);
  return match ? Number(match[1]) : undefined;
}

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url?: string; lineNumber?: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** CPU time of a V8 profile in milliseconds: every sample but the idle ones. */
export function busyMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let micros = 0;
  profile.samples.forEach((node, i) => {
    if (!idle.has(node)) micros += profile.timeDeltas[i] ?? 0;
  });
  return micros / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function wrangler(args: string[]): string {
  return execFileSync("npx", ["wrangler", ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 5 * 60_000,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A Worker to build: its name and wrangler configuration, and the environment (none: the top level). */
export interface WorkerBuild {
  name: string;
  config: string;
  env?: string;
  /** An entry point in place of the configuration's `main` (benchmarks' variants of a Worker). */
  main?: string;
}

/** A Worker built as `wrangler deploy` would: the upload (outdir), the bundle file, wrangler's output. */
export interface BuiltWorker {
  worker: WorkerBuild;
  outdir: string;
  bundle: string;
  output: string;
}

const configArgs = (worker: WorkerBuild) => [
  "-c",
  worker.config,
  ...(worker.env ? ["--env", worker.env] : []),
];

/** Builds one Worker with `wrangler deploy --dry-run` into `work` (no credentials needed). */
export function buildWorker(worker: WorkerBuild, work: string): BuiltWorker {
  const outdir = join(work, worker.name);
  const bundle = join(work, `${worker.name}.bundle`);
  const output = wrangler([
    "deploy",
    "--dry-run",
    "--outdir",
    outdir,
    "--outfile",
    bundle,
    ...configArgs(worker),
    ...(worker.main ? [worker.main] : []),
  ]);
  return { worker, outdir, bundle, output };
}

/**
 * The start-up CPU profile of a built Worker (`wrangler check startup --worker <bundle>`, so that the
 * profile is of that very bundle). workerd's profiler gives up after 10 s on a machine busy with other
 * work, and wrangler then fails without always saying so: a failed run is taken again.
 */
export function profileStartup(built: BuiltWorker, attempts = 3): CpuProfile {
  const profile = join(dirname(built.bundle), `${built.worker.name}.cpuprofile`);
  for (let attempt = 1; ; attempt++) {
    try {
      wrangler([
        "check",
        "startup",
        "--worker",
        built.bundle,
        "--outfile",
        profile,
        ...configArgs(built.worker),
      ]);
      return JSON.parse(readFileSync(profile, "utf8")) as CpuProfile;
    } catch (error) {
      if (attempt < attempts) continue;
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      const said = `${stdout ?? ""}\n${stderr ?? error}`
        .trim()
        .split("\n")
        .filter((line) => !/Logs were written/.test(line));
      throw new Error(`${built.worker.name}: wrangler check startup failed: ${said.at(-1)}`);
    }
  }
}

/** Builds one Worker as `wrangler deploy` would and measures it. */
function checkWorker(worker: (typeof DEPLOYED_WORKERS)[number], work: string, startupBudgetMs: number) {
  const built = buildWorker({ ...worker, env: "production" }, work);
  const ownGzip = filesUnder(built.outdir)
    .filter((file) => !file.endsWith(".map") && !file.endsWith("README.md"))
    .reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  const gzipKib = reportedGzipKib(built.output) ?? ownGzip / 1024;

  const startup = (): number => busyMs(profileStartup(built));
  // One profile when it is well within budget; over it, the median of three, so that a busy machine's
  // one slow run does not fail the deploy.
  const first = startup();
  const startupMs = first <= startupBudgetMs ? first : median([first, startup(), startup()]);
  return { ...worker, gzipKib, startupMs };
}

function main() {
  const plan = (process.env.WORKERS_PLAN ?? "free") as keyof typeof SIZE_LIMITS_KIB;
  const sizeLimitKib = SIZE_LIMITS_KIB[plan];
  if (!sizeLimitKib) {
    console.error(`WORKERS_PLAN must be "free" or "paid", not "${plan}".`);
    process.exit(1);
  }
  const startupBudgetMs = Number(process.env.STARTUP_BUDGET_MS ?? 1000);
  const work = mkdtempSync(join(tmpdir(), "ancre-deploy-check-"));
  const failures: string[] = [];
  try {
    for (const worker of DEPLOYED_WORKERS) {
      const figures = checkWorker(worker, work, startupBudgetMs);
      console.log(
        `${worker.name.padEnd(8)} ${Math.round(figures.gzipKib)} KiB gzipped (limit ${sizeLimitKib} KiB, ${plan} plan), ` +
          `start-up ${Math.round(figures.startupMs)} ms CPU (budget ${startupBudgetMs} ms)`,
      );
      if (figures.gzipKib > sizeLimitKib)
        failures.push(`${worker.name}: the bundle is over the ${plan} plan's ${sizeLimitKib} KiB`);
      if (figures.startupMs > startupBudgetMs)
        failures.push(`${worker.name}: start-up takes ${Math.round(figures.startupMs)} ms of CPU`);
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`Not deployable: ${failures.join("; ")}.`);
    process.exit(1);
  }
  console.log("Both Workers build and fit: deployable.");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
