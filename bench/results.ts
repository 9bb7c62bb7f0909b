import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
/** What a benchmark recorded to replay later (data sets' text included): never committed. */
const recordedDir = fileURLToPath(new URL("./recorded/", import.meta.url));

/** A benchmark's figures with what they were measured on: bench/results/<name>.json. */
export interface BenchResult {
  name: string;
  date: string;
  commit: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; node: string };
  figures: unknown;
}

function currentCommit(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
    });
    return dirty.trim() ? `${commit}+changes` : commit;
  } catch {
    return "unknown";
  }
}

/** Writes a benchmark's figures to bench/results/<name>.json and returns the path. */
export function writeBenchResult(name: string, figures: unknown): string {
  checkedName(name);
  const result: BenchResult = {
    name,
    date: new Date().toISOString(),
    commit: currentCommit(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(totalmem() / 2 ** 30),
      os: `${platform()} ${release()}`,
      node: process.version,
    },
    figures,
  };
  mkdirSync(resultsDir, { recursive: true });
  const path = `${resultsDir}${name}.json`;
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`figures written to bench/results/${name}.json`);
  return path;
}

const checkedName = (name: string) => {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bench result name must be kebab-case: ${name}`);
  return name;
};

/**
 * Writes what a benchmark recorded for an offline replay (the retrieved sources of each question,
 * say) to bench/recorded/<name>.json, which git ignores: it holds the data set's text.
 */
export function writeBenchRecording(name: string, data: unknown): string {
  mkdirSync(recordedDir, { recursive: true });
  const path = `${recordedDir}${checkedName(name)}.json`;
  writeFileSync(
    path,
    `${JSON.stringify({ name, date: new Date().toISOString(), commit: currentCommit(), data })}\n`,
  );
  console.log(`recording written to bench/recorded/${name}.json`);
  return path;
}

/** A recording written by writeBenchRecording, or undefined when there is none yet. */
export function readBenchRecording(
  name: string,
): { date: string; commit: string; data: unknown } | undefined {
  const path = `${recordedDir}${checkedName(name)}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}
