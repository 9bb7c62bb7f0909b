// `npm run bench` runs the benchmarks; `npm run bench -- <name> [<name>…]` runs the named ones.
// Each prints its figures and writes them to bench/results/<name>.json (machine, date, commit).
import { spawnSync } from "node:child_process";

interface Benchmark {
  /** workerd: inside the Workers runtime (bench/vitest.config.ts); node: in Node (bench/vitest.node.config.ts). */
  runtime: "workerd" | "node";
  file: string;
  about: string;
  /** Part of a plain `npm run bench`; the others are long or need data fetched first. */
  byDefault: boolean;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  search: {
    runtime: "workerd",
    file: "bench/search.scifact.bench.test.ts",
    about: "retrieval quality on BEIR SciFact: nDCG@10 and recall@100 per mode, beside the published anchors",
    byDefault: true,
  },
  ingestion: {
    runtime: "node",
    file: "bench/ingestion.node.bench.test.ts",
    about: "pages per second and peak memory of parse + chunk + embed, beside LangChain.js's loaders",
    byDefault: true,
  },
  latency: {
    runtime: "node",
    file: "bench/latency.node.bench.test.ts",
    about: "chat, first streamed delta and search under 1, 10 and 50 clients against wrangler dev",
    byDefault: true,
  },
  "vector-index": {
    runtime: "workerd",
    file: "bench/vector-index.bench.test.ts",
    about: "the embedded vector index at 10k, 50k and 100k vectors of 512 dimensions",
    byDefault: true,
  },
  size: {
    runtime: "node",
    file: "bench/size.node.bench.test.ts",
    about: "gzipped bundle and start-up CPU of each Worker, initial JavaScript of the console",
    byDefault: true,
  },
  startup: {
    runtime: "node",
    file: "bench/startup.node.bench.test.ts",
    about: "start-up CPU of the API Worker beside a bare Hono Worker (medians of three each) and the ratio",
    byDefault: true,
  },
  global: {
    runtime: "node",
    file: "bench/global.node.bench.test.ts",
    about:
      "first byte, first token and sequential round trips per path under each latency profile (about 10 minutes)",
    byDefault: false,
  },
  cpu: {
    runtime: "node",
    file: "bench/cpu.node.bench.test.ts",
    about:
      "CPU per search, streamed chat turn and ingestion message, by module (DevTools profile of wrangler dev)",
    byDefault: false,
  },
  fidelity: {
    runtime: "node",
    file: "bench/fidelity.node.bench.test.ts",
    about: "extraction fidelity of every corpus PDF, DOCX and PPTX against pdftotext and the package XML",
    byDefault: true,
  },
  tenants: {
    runtime: "workerd",
    file: "bench/tenants.bench.test.ts",
    about: "50 tenants of 1,000 chunks: ingestion and search latency through the API (about 5 minutes)",
    byDefault: false,
  },
  "tenant-deletion": {
    runtime: "workerd",
    file: "bench/tenant-deletion.bench.test.ts",
    about: "deleting a tenant of 500 documents, 10,000 chunks and 200 conversations",
    byDefault: false,
  },
  answers: {
    runtime: "workerd",
    file: "bench/answers.squad.bench.test.ts",
    about: "extractive answers on a SQuAD 2.0 sample (needs the fetched SQuAD snapshot)",
    byDefault: false,
  },
  "answers-replay": {
    runtime: "workerd",
    file: "bench/answers-replay.bench.test.ts",
    about:
      "the answerer's abstention signals replayed on the sources `answers` recorded, chosen on one half, reported on the other",
    byDefault: false,
  },
  "small-documents": {
    runtime: "node",
    file: "bench/small-documents.node.bench.test.ts",
    about: "SciFact abstracts through the upload API to ready under wrangler dev, 8 and 32 uploads in flight",
    byDefault: false,
  },
};

const CONFIGS = { workerd: "bench/vitest.config.ts", node: "bench/vitest.node.config.ts" } as const;

function usage(): string {
  const rows = Object.entries(BENCHMARKS).map(
    ([name, bench]) => `  ${name.padEnd(16)} ${bench.byDefault ? "" : "(by name) "}${bench.about}`,
  );
  return `npm run bench [-- <name>…]\n\n${rows.join("\n")}`;
}

function main(args: string[]): number {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage());
    return 0;
  }
  const unknown = args.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(", ")}\n\n${usage()}`);
    return 2;
  }
  const names =
    args.length > 0 ? args : Object.keys(BENCHMARKS).filter((name) => BENCHMARKS[name]!.byDefault);
  let failed = 0;
  for (const name of names) {
    const bench = BENCHMARKS[name]!;
    console.log(`\n=== ${name}: ${bench.about}`);
    const run = spawnSync("npx", ["vitest", "run", "--config", CONFIGS[bench.runtime], bench.file], {
      stdio: "inherit",
    });
    if (run.status !== 0) {
      console.error(`=== ${name} failed (exit ${run.status})`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
