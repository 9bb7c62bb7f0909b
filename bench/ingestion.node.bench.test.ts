// Ingestion speed and memory on the corpus PDFs, DOCX and PPTX: Ancre's parse + chunk + embed
// (local embedder) beside the common JavaScript baseline, LangChain.js's loaders with
// RecursiveCharacterTextSplitter at the same chunk size, on the same files in the same run, in Node.
// Indexing (the search shard's SQLite and vectors) runs inside workerd and is measured by the
// search benchmark. Peak memory is the peak RSS of a Node process running one queue message, beside
// the RSS of an idle Node process. Run: npm run bench -- ingestion
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { OpenAiPageTranscriber } from "../src/providers/vision/openai";
import type { DocumentFormat } from "../src/storage/schema";
import { sharedPath } from "../test/shared-data";
import { type MessageRun, runFile, STAGES } from "./ingestion-pipeline";
import { scannedPdf, writeLargeFiles } from "./large-files";
import { writeBenchResult } from "./results";

const corpus = sharedPath("corpus/");
const baselineDir = fileURLToPath(new URL("./baseline/", import.meta.url));
// BENCH_FORMATS=docx (or pdf,pptx…) measures those formats alone; the large files made at run time only with all three.
const FORMATS = (["pdf", "docx", "pptx"] as const).filter(
  (format) => !process.env.BENCH_FORMATS || process.env.BENCH_FORMATS.split(",").includes(format),
);
const MEMORY_TARGET_MB = 128;
/** Each message's isolate memory (JS heap + array buffers) above idle, for every file. */
const ISOLATE_TARGET_MB = 64;

type Outcome<T> = T | { failed: string };
interface Run {
  ms: number;
  /** The run's CPU time (the baseline's process; Ancre's, summed over its messages). */
  cpuMs?: number;
  pages: number;
  chunks: number;
  /** Each queue message's wall time, CPU time and time per stage (Ancre only). */
  messages?: MessageRun[];
  /** PDFs: the same run with the file reopened by every message, as before PDFs were kept open. */
  reopened?: { ms: number; messages: MessageRun[] };
  /** Ancre: the run whose stages are timed, which the timing slows (the timed run above is not). */
  staged?: { ms: number; cpuMs: number };
  /**
   * PDFs: the counted run again with pdf.js inflating in JavaScript (no DecompressionStream), as
   * LangChain.js's pdf.js 5.4 does. Node's DecompressionStream runs zlib behind web streams, dearer
   * than workerd's native one, which deployed Ancre uses (faster there than pdf.js' own inflate).
   */
  jsInflate?: { ms: number; cpuMs: number };
}

/** Runs `work` with `globalThis.DecompressionStream` hidden: pdf.js then inflates in JavaScript. */
async function withoutDecompressionStream<T>(work: () => Promise<T>): Promise<T> {
  const global = globalThis as { DecompressionStream?: unknown };
  const native = global.DecompressionStream;
  global.DecompressionStream = undefined;
  try {
    return await work();
  } finally {
    global.DecompressionStream = native;
  }
}

// A quick run of Ancre's figures alone: BENCH_NO_BASELINE=1 leaves LangChain.js out (it needs
// bench/baseline installed), BENCH_NO_MEMORY=1 the memory per message (a process per message).
const withBaseline = process.env.BENCH_NO_BASELINE !== "1";
const withMemory = process.env.BENCH_NO_MEMORY !== "1";
// BENCH_NO_SCANS=1 leaves out the scanned PDF read by a vision model (a minute or so of CPU).
const withScans = process.env.BENCH_NO_SCANS !== "1";
/** Pages of the scanned PDF made from the corpus's one-page scan. */
const SCANNED_PAGES = 10;

/** Starts the Chat Completions fake in a process of its own (bench/vision-fake.ts); its base URL and a stop. */
async function startVisionFake(): Promise<{ baseUrl: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      "--experimental-strip-types",
      "--no-warnings",
      fileURLToPath(new URL("./vision-fake.ts", import.meta.url)),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (data: Buffer) => resolve(data.toString().trim().split("\n")[0]!));
  });
  return { baseUrl, stop: () => child.kill() };
}

/**
 * CPU per message of a scanned PDF (the corpus's 200 dpi scan, SCANNED_PAGES pages) whose pages a
 * vision model reads: in batches sized by their work, and in batches of 25 pages as before.
 */
async function scannedMessages() {
  const fake = await startVisionFake();
  try {
    const transcriber = new OpenAiPageTranscriber({
      apiKey: "sk-bench",
      baseUrl: fake.baseUrl,
      model: "fake-vision",
      timeoutMs: 60_000,
    });
    const bytes = scannedPdf(join(corpus, "pdf/loremipsum-flat.pdf"), SCANNED_PAGES);
    const out: Record<string, { pages: number[]; cpuMs: number[]; ocrMsPerPage: number }> = {};
    for (const [name, workSized] of [
      ["work-sized", true],
      ["25 pages", false],
    ] as const) {
      const run = await runFile("pdf", bytes, { transcriber, workSized });
      const cpu = run.messages.map((m) => Math.round(m.cpuMs));
      const ocr = run.messages.reduce((total, m) => total + (m.stages.ocr ?? 0), 0);
      out[name] = {
        pages: run.messages.map((m) => m.lastPage - m.firstPage + 1),
        cpuMs: cpu,
        ocrMsPerPage: Math.round(ocr / run.pages),
      };
      console.log(
        `pdf  scanned-${SCANNED_PAGES}p.pdf (${name}) ${run.messages.length} messages of ${out[name].pages.join(", ")} pages, ` +
          `CPU per message (ms): ${cpu.join(" ")} (most ${Math.max(...cpu)}); OCR ${out[name].ocrMsPerPage} ms CPU a page`,
      );
    }
    return out;
  } finally {
    fake.stop();
  }
}

/** Milliseconds per stage summed over messages. */
function stageTotals(messages: MessageRun[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const message of messages) {
    for (const [stage, ms] of Object.entries(message.stages)) totals[stage] = (totals[stage] ?? 0) + ms;
  }
  return totals;
}

const stageLine = (totals: Record<string, number>) =>
  STAGES.filter((stage) => totals[stage] !== undefined)
    .map((stage) => `${stage} ${Math.round(totals[stage]!)}`)
    .join(", ");

const node = (args: string[], cwd?: string) =>
  execFileSync(process.execPath, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 2 ** 26,
  });
// The last line that is JSON (the GC trace may print after it).
const lastJsonLine = <T>(output: string): T =>
  JSON.parse(
    output
      .trim()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .at(-1)!,
  ) as T;

/** LangChain.js and its loaders' parsers live in bench/baseline, installed on first use. */
function ensureBaseline() {
  if (existsSync(join(baselineDir, "node_modules/@langchain/community"))) return;
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", baselineDir], { stdio: "inherit" });
}

/** Bundles bench/ingestion-message.ts so that each queue message can run in a process of its own. */
async function bundleMessageRunner(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), "ancre-ingestion-")), "ingestion-message.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./ingestion-message.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    // pdf.js and some CommonJS dependencies call require() from ESM output.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
    },
  });
  return outfile;
}

/** A large PDF run whole (kept open) and in parts, alternately, twice: pages/s and CPU ms per page. */
async function wholeAndParts(file: Buffer) {
  const bytes = new Uint8Array(file);
  const runs: { path: "whole" | "parts"; pagesPerSecond: number; cpuMsPerPage: number; messages: number }[] =
    [];
  for (const path of ["whole", "parts", "whole", "parts"] as const) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const run = await runFile("pdf", bytes, {
      partAboveBytes: path === "whole" ? Number.POSITIVE_INFINITY : undefined,
    });
    const cpu = process.cpuUsage(cpuStart);
    runs.push({
      path,
      pagesPerSecond: Math.round((run.pages / ((performance.now() - start) / 1000)) * 10) / 10,
      cpuMsPerPage: Math.round(((cpu.user + cpu.system) / 1000 / run.pages) * 100) / 100,
      messages: run.messages.length,
    });
    console.log(
      `large PDF read ${path.padEnd(5)}: ${runs.at(-1)!.pagesPerSecond} pages/s, ${runs.at(-1)!.cpuMsPerPage} ms CPU a page over ${run.messages.length} messages`,
    );
  }
  return runs;
}

async function timedAncre(format: DocumentFormat, bytes: Uint8Array): Promise<Outcome<Run>> {
  try {
    await runFile(format, bytes); // warm-up, as the baseline's
    // PDFs: reopened by every message, then kept open between messages, one after the other.
    let reopened: Run["reopened"];
    if (format === "pdf") {
      const start = performance.now();
      const run = await runFile(format, bytes, { keepOpen: false });
      reopened = { ms: performance.now() - start, messages: run.messages };
    }
    // Kept open, its stages timed; then the run that counts, as deployed (no stage timing, which
    // reads the CPU clock around every token count), each message given the stages timed before.
    const stagedStart = performance.now();
    const staged = await runFile(format, bytes);
    const stagedMs = performance.now() - stagedStart;
    const start = performance.now();
    const { pages, chunks, messages } = await runFile(format, bytes, { stages: false });
    const ms = performance.now() - start;
    let jsInflate: Run["jsInflate"];
    if (format === "pdf") {
      const jsStart = performance.now();
      const run = await withoutDecompressionStream(() => runFile(format, bytes, { stages: false }));
      jsInflate = {
        ms: performance.now() - jsStart,
        cpuMs: run.messages.reduce((total, m) => total + m.cpuMs, 0),
      };
    }
    return {
      ms,
      pages,
      chunks,
      messages: messages.map((message, i) => ({ ...message, stages: staged.messages[i]?.stages ?? {} })),
      reopened,
      staged: { ms: stagedMs, cpuMs: staged.messages.reduce((total, m) => total + m.cpuMs, 0) },
      jsInflate,
    };
  } catch (error) {
    return { failed: String((error as Error).message ?? error) };
  }
}

interface MessageMemory {
  hasMore: boolean;
  lastPage: number;
  maxRssMb: number;
  idleHeapMb: number;
  idleArrayBuffersMb: number;
  endHeapMb: number;
  peakArrayBuffersMb: number;
}

/**
 * What an isolate counts for one message: the JS heap at its peak (the heap used before each GC,
 * from the trace, and at the end) plus the array buffers at their peak, above the idle heap and buffers.
 */
function isolateMb(output: string, message: MessageMemory): number {
  const trace = output.slice(output.indexOf("MESSAGE_START"));
  let peakHeap = message.endHeapMb;
  for (const match of trace.matchAll(/ (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\) -> /g)) {
    peakHeap = Math.max(peakHeap, Number(match[1]));
  }
  return peakHeap + message.peakArrayBuffersMb - message.idleHeapMb - message.idleArrayBuffersMb;
}

/** Peak RSS and peak isolate memory over the file's queue messages, each in a fresh process. */
function peakMessageMemory(
  runner: string,
  format: DocumentFormat,
  file: string,
): Outcome<{ messages: number; peakRssMb: number; peakIsolateMb: number }> {
  let peakRss = 0;
  let peakIsolate = 0;
  try {
    for (let messages = 1, firstPage = 1; ; messages++) {
      const output = node(["--expose-gc", "--trace-gc", runner, format, file, String(firstPage)]);
      const message = lastJsonLine<MessageMemory>(output);
      peakRss = Math.max(peakRss, message.maxRssMb);
      peakIsolate = Math.max(peakIsolate, isolateMb(output, message));
      firstPage = message.lastPage + 1;
      if (!message.hasMore) {
        return {
          messages,
          peakRssMb: Math.round(peakRss),
          peakIsolateMb: Math.round(peakIsolate * 10) / 10,
        };
      }
    }
  } catch (error) {
    return { failed: String((error as Error).message ?? error).split("\n")[0]! };
  }
}

const pagesPerSecond = (run: Outcome<Run>) => ("ms" in run ? run.pages / (run.ms / 1000) : null);
const fixed = (value: number | null, digits = 1) => (value === null ? "—" : value.toFixed(digits));

it("pages per second and peak memory per message, Ancre beside LangChain.js", async () => {
  if (withBaseline) ensureBaseline();
  const runner = await bundleMessageRunner();
  const idleRssMb = Math.round(
    Number(node(["-e", "console.log(process.resourceUsage().maxRSS / 1024)"]).trim()),
  );
  console.log(`idle Node process: ${idleRssMb} MB RSS (included in every peak below)`);

  const files: {
    format: DocumentFormat;
    name: string;
    bytes: number;
    ancre: Outcome<Run>;
    baseline: Outcome<Run>;
    speedup: number | null;
    memory: ReturnType<typeof peakMessageMemory>;
  }[] = [];
  for (const format of FORMATS) {
    for (const name of readdirSync(join(corpus, format)).sort()) {
      const path = join(corpus, format, name);
      const bytes = new Uint8Array(readFileSync(path));
      const ancre = await timedAncre(format, bytes);
      const baseline: Outcome<Run> = withBaseline
        ? lastJsonLine<Outcome<Run>>(node(["langchain-ingest.mjs", format, path], baselineDir))
        : { failed: "not run (BENCH_NO_BASELINE)" };
      const memory: ReturnType<typeof peakMessageMemory> = withMemory
        ? peakMessageMemory(runner, format, path)
        : { failed: "not run (BENCH_NO_MEMORY)" };
      const ratio = "ms" in ancre && "ms" in baseline ? baseline.ms / ancre.ms : null;
      console.log(
        `${format.padEnd(4)} ${name.padEnd(34)} Ancre ${"ms" in ancre ? `${fixed(pagesPerSecond(ancre))} pages/s (${ancre.pages} p, ${ancre.chunks} chunks)` : `failed: ${ancre.failed}`}` +
          ` | LangChain ${"ms" in baseline ? `${fixed(pagesPerSecond(baseline))} pages/s (${baseline.chunks} chunks)` : `failed: ${baseline.failed.slice(0, 80)}`}` +
          ` | ×${fixed(ratio, 2)} | peak RSS/message ${"peakRssMb" in memory ? `${memory.peakRssMb} MB over ${memory.messages}, isolate +${memory.peakIsolateMb} MB` : `failed`}`,
      );
      if ("messages" in ancre && ancre.messages) {
        const cpu = ancre.messages.map((m) => Math.round(m.cpuMs));
        console.log(
          `     CPU ms per stage over ${ancre.messages.length} messages: ${stageLine(stageTotals(ancre.messages))}` +
            ` | CPU per message (ms): ${cpu.join(" ")} (most ${Math.max(...cpu)})`,
        );
      }
      if ("reopened" in ancre && ancre.reopened) {
        console.log(
          `     reopened by every message: ${fixed(ancre.pages / (ancre.reopened.ms / 1000))} pages/s, ` +
            `CPU ms per stage ${stageLine(stageTotals(ancre.reopened.messages))}`,
        );
      }
      files.push({ format, name, bytes: bytes.length, ancre, baseline, speedup: ratio, memory });
    }
  }

  // Per format, over the files both sides read: total pages over total time.
  const byFormat = Object.fromEntries(
    FORMATS.map((format) => {
      const both = files.filter((f) => f.format === format && "ms" in f.ancre && "ms" in f.baseline);
      const sum = (side: "ancre" | "baseline", key: "ms" | "pages") =>
        both.reduce((total, f) => total + ((f[side] as Run)[key] ?? 0), 0);
      const ancre = sum("ancre", "pages") / (sum("ancre", "ms") / 1000);
      const baseline = sum("ancre", "pages") / (sum("baseline", "ms") / 1000);
      // The same in CPU time, which the machine's load does not stretch.
      const ancreCpuMs = both.reduce(
        (total, f) => total + ((f.ancre as Run).messages ?? []).reduce((t, m) => t + m.cpuMs, 0),
        0,
      );
      const baselineCpuMs = both.reduce((total, f) => total + ((f.baseline as Run).cpuMs ?? Number.NaN), 0);
      // Ancre's run with its stages timed, for what the timing itself costs.
      const staged = (key: "ms" | "cpuMs") =>
        both.reduce((total, f) => total + ((f.ancre as Run).staged?.[key] ?? Number.NaN), 0);
      const stagedPagesPerSecond = sum("ancre", "pages") / (staged("ms") / 1000);
      // PDFs: Ancre with pdf.js inflating in JavaScript, as the baseline's pdf.js does.
      const jsInflate = (key: "ms" | "cpuMs") =>
        both.reduce((total, f) => total + ((f.ancre as Run).jsInflate?.[key] ?? Number.NaN), 0);
      const jsInflatePagesPerSecond = sum("ancre", "pages") / (jsInflate("ms") / 1000);
      if (format === "pdf") {
        console.log(
          `pdf: Ancre with pdf.js inflating in JavaScript (no DecompressionStream, as LangChain.js's pdf.js): ` +
            `${fixed(jsInflatePagesPerSecond)} pages/s, ×${fixed(jsInflatePagesPerSecond / baseline, 2)}; ` +
            `CPU ${Math.round(jsInflate("cpuMs"))} ms, ×${fixed(baselineCpuMs / jsInflate("cpuMs"), 2)}`,
        );
      }
      console.log(
        `${format}: ${both.length} files both read: Ancre ${fixed(ancre)} pages/s, LangChain ${fixed(baseline)} pages/s, ×${fixed(ancre / baseline, 2)} (target: at least ×1); ` +
          `CPU: Ancre ${Math.round(ancreCpuMs)} ms, LangChain ${Math.round(baselineCpuMs)} ms, ×${fixed(baselineCpuMs / ancreCpuMs, 2)}; ` +
          `Ancre with its stages timed: ${fixed(stagedPagesPerSecond)} pages/s, CPU ${Math.round(staged("cpuMs"))} ms`,
      );
      return [
        format,
        {
          files: both.length,
          ancrePagesPerSecond: ancre,
          baselinePagesPerSecond: baseline,
          speedup: ancre / baseline,
          ancreCpuMs,
          baselineCpuMs,
          cpuSpeedup: baselineCpuMs / ancreCpuMs,
          stagedPagesPerSecond,
          stagedCpuMs: staged("cpuMs"),
          ...(format === "pdf"
            ? {
                jsInflatePagesPerSecond,
                jsInflateCpuMs: jsInflate("cpuMs"),
                jsInflateSpeedup: jsInflatePagesPerSecond / baseline,
                jsInflateCpuSpeedup: baselineCpuMs / jsInflate("cpuMs"),
              }
            : {}),
        },
      ];
    }),
  );
  // Per format, every file Ancre read: ms per stage per page, and the most CPU one message took.
  const stagesByFormat = Object.fromEntries(
    FORMATS.map((format) => {
      const read = files.filter((f) => f.format === format && "ms" in f.ancre);
      const messages = read.flatMap((f) => (f.ancre as Run).messages ?? []);
      const pages = read.reduce((total, f) => total + (f.ancre as Run).pages, 0);
      const totals = stageTotals(messages);
      const perPage = Object.fromEntries(
        Object.entries(totals).map(([stage, ms]) => [stage, Math.round((ms / pages) * 100) / 100]),
      );
      const mostCpuMs = Math.round(Math.max(0, ...messages.map((m) => m.cpuMs)));
      console.log(
        `${format}: CPU ms per page by stage over ${read.length} files (${pages} pages): ${stageLine(perPage)}; most CPU in one message ${mostCpuMs} ms`,
      );
      return [format, { files: read.length, pages, msPerPage: perPage, mostCpuMsPerMessage: mostCpuMs }];
    }),
  );
  // PDFs kept open between a document's messages against reopened by each, same files, same run.
  const pdfRuns = files.filter((f) => f.format === "pdf" && "reopened" in f.ancre && f.ancre.reopened);
  const pdfPages = pdfRuns.reduce((total, f) => total + (f.ancre as Run).pages, 0);
  const keptMs = pdfRuns.reduce((total, f) => total + (f.ancre as Run).ms, 0);
  const reopenedMs = pdfRuns.reduce((total, f) => total + (f.ancre as Run).reopened!.ms, 0);
  const openPdfs = {
    files: pdfRuns.length,
    pages: pdfPages,
    reopenedPagesPerSecond: pdfPages / (reopenedMs / 1000),
    keptPagesPerSecond: pdfPages / (keptMs / 1000),
    openCpuMsReopened: Math.round(
      pdfRuns.reduce((total, f) => total + (stageTotals((f.ancre as Run).reopened!.messages).open ?? 0), 0),
    ),
    openCpuMsKept: Math.round(
      pdfRuns.reduce((total, f) => total + (stageTotals((f.ancre as Run).messages ?? []).open ?? 0), 0),
    ),
  };
  console.log(
    `pdf: ${pdfRuns.length} files, ${pdfPages} pages: reopened by every message ${fixed(openPdfs.reopenedPagesPerSecond)} pages/s ` +
      `(open ${openPdfs.openCpuMsReopened} ms CPU), kept open ${fixed(openPdfs.keptPagesPerSecond)} pages/s (open ${openPdfs.openCpuMsKept} ms CPU)`,
  );

  const scanned = withScans ? await scannedMessages() : undefined;

  const large = files.find((f) => f.name === "irs-irm-2.3.59-400p.pdf");
  const largePeak = large && "peakRssMb" in large.memory ? large.memory.peakRssMb : null;
  console.log(
    `irs-irm-2.3.59-400p.pdf: peak RSS per message ${largePeak ?? "?"} MB (target < ${MEMORY_TARGET_MB} MB, idle Node ${idleRssMb} MB)`,
  );

  // The largest files, made at run time: memory per message only.
  const largest = (withMemory && FORMATS.length === 3 ? writeLargeFiles : () => [])(
    mkdtempSync(join(tmpdir(), "ancre-large-")),
    corpus,
  ).map(([format, path]) => {
    const memory = peakMessageMemory(runner, format, path);
    const name = path.split("/").at(-1)!;
    console.log(
      `${format.padEnd(4)} ${name.padEnd(34)} ${statSync(path).size} bytes | ${"peakIsolateMb" in memory ? `isolate +${memory.peakIsolateMb} MB per message at most (peak RSS ${memory.peakRssMb} MB) over ${memory.messages} messages` : `failed: ${memory.failed}`}`,
    );
    return { format, name, dir: dirname(path), bytes: statSync(path).size, memory };
  });
  // The largest PDF's speed read whole and kept open between messages (as before parts) and in
  // parts, in turn twice: CPU per page is the figure that holds on a shared machine.
  const largestPdf = largest.find((f) => f.format === "pdf");
  const largePdfSpeed = largestPdf
    ? await wholeAndParts(readFileSync(join(largestPdf.dir, largestPdf.name)))
    : undefined;
  const overBudget = [...files, ...largest].filter(
    (f) => !("peakIsolateMb" in f.memory) || f.memory.peakIsolateMb >= ISOLATE_TARGET_MB,
  );
  console.log(
    `isolate memory per message (JS heap + array buffers above idle): target < ${ISOLATE_TARGET_MB} MB; over it or failed: ${overBudget.map((f) => f.name).join(", ") || "none"}`,
  );

  // A run without the baseline or the memory figures keeps its own record beside the full one.
  // BENCH_LABEL=before (say) keeps a run beside the others; a run of some formats is named after them.
  const label = [
    withBaseline && withMemory ? "ingestion" : "ingestion-stages",
    ...(FORMATS.length < 3 ? [FORMATS.join("-")] : []),
    ...(process.env.BENCH_LABEL ? [process.env.BENCH_LABEL] : []),
  ].join("-");
  writeBenchResult(label, {
    pipeline: "parse + chunk (800/100 tokens) + embed (local, 512 dimensions), 25 pages per message, in Node",
    baseline:
      "LangChain.js 1.x: PDFLoader (pdf-parse), DocxLoader (mammoth), PPTXLoader (officeparser); RecursiveCharacterTextSplitter 3,200/400 characters",
    memory:
      "per queue message: peak RSS of a Node process (Node's idle RSS included), and what an isolate counts (JS heap at its peak + array buffers, above idle)",
    isolateTargetMb: ISOLATE_TARGET_MB,
    openPdfs,
    scanned,
    largest,
    largePdfSpeed,
    idleRssMb,
    byFormat,
    stagesByFormat,
    files: files.map((f) => ({
      ...f,
      ancre:
        "messages" in f.ancre && f.ancre.messages
          ? {
              ...f.ancre,
              reopened: f.ancre.reopened ? { ms: Math.round(f.ancre.reopened.ms) } : undefined,
              messages: f.ancre.messages.map((m) => ({
                lastPage: m.lastPage,
                chunks: m.chunks,
                ms: Math.round(m.ms),
                cpuMs: Math.round(m.cpuMs),
                stages: Object.fromEntries(Object.entries(m.stages).map(([k, v]) => [k, Math.round(v)])),
              })),
            }
          : f.ancre,
    })),
  });
  expect(files.some((f) => "ms" in f.ancre)).toBe(true);
});
