// Ancre's ingestion work for one file outside the Worker: what a queue message does between reading
// the original from R2 and writing to the search shard (parse a batch of pages, chunk, embed with
// the local embedder), message after message as the queue would run them. Each message's time is
// split by stage (src/lib/stage-timing.ts), in CPU time, as its total.
import { chunkBlocks } from "../src/ingest/chunk";
import { extractBatch } from "../src/ingest/parse";
import { loadTokenCounter } from "../src/ingest/tokens";
import {
  type StageTimes,
  startStageTiming,
  stopStageTiming,
  timeStage,
  timeStageAsync,
} from "../src/lib/stage-timing";
import { LocalEmbedder } from "../src/providers/embeddings/local";
import type { DocumentFormat } from "../src/storage/schema";

/** The defaults of a fresh install (src/config.ts): 800-token chunks, 100 of overlap, 25 pages a message. */
export const PIPELINE = { chunkSize: 800, chunkOverlap: 100, pagesPerBatch: 25, dimensions: 512 } as const;

/** The stages a message's time is split into, in pipeline order. */
export const STAGES = [
  "fetch (copy)",
  "open",
  "text extraction",
  "open + text extraction",
  "layout",
  "text check",
  "token counting",
  "chunking",
  "embedding",
] as const;

const embedder = new LocalEmbedder(PIPELINE.dimensions);

/** The process's CPU time in ms: what a Worker's CPU limit counts, whatever else the machine runs. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** One queue message's work: batch `batch` of the file, with its time per stage and CPU time. */
export async function runMessage(format: DocumentFormat, bytes: Uint8Array, batch: number) {
  await loadTokenCounter();
  const cpuStart = cpuMs();
  const start = performance.now();
  startStageTiming(cpuMs);
  let stages: StageTimes;
  let result: { pageCount: number; chunks: number; hasMore: boolean; lastPage: number };
  try {
    // pdf.js takes (detaches) the buffer it is given: each message reads its own copy, as from R2.
    const copy = timeStage("fetch (copy)", () => bytes.slice());
    const extracted = await extractBatch(format, copy, batch, PIPELINE.pagesPerBatch);
    const chunks = timeStage("chunking", () =>
      chunkBlocks(extracted.blocks, { size: PIPELINE.chunkSize, overlap: PIPELINE.chunkOverlap }),
    );
    await timeStageAsync("embedding", () =>
      embedder.embed(
        chunks.map((chunk) => chunk.text),
        "document",
      ),
    );
    result = {
      pageCount: extracted.pageCount,
      lastPage: extracted.lastPage,
      chunks: chunks.length,
      hasMore: extracted.hasMore,
    };
  } finally {
    stages = stopStageTiming();
  }
  return { ...result, ms: performance.now() - start, cpuMs: cpuMs() - cpuStart, stages };
}

export type MessageRun = Awaited<ReturnType<typeof runMessage>>;

/** Every message of a file, in order, as the queue would run them. */
export async function runFile(format: DocumentFormat, bytes: Uint8Array) {
  let chunks = 0;
  const messages: MessageRun[] = [];
  for (let batch = 0; ; batch++) {
    const message = await runMessage(format, bytes, batch);
    messages.push(message);
    chunks += message.chunks;
    if (!message.hasMore) return { pages: message.pageCount, chunks, messages };
  }
}
