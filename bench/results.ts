import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));

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
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bench result name must be kebab-case: ${name}`);
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
