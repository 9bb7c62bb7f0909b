// Ancre's ingestion work for one file outside the Worker: what a queue message does between reading
// the original from R2 and writing to the search shard (parse a batch of pages, chunk, embed with
// the local embedder), message after message as the queue would run them.
import { chunkBlocks } from "../src/ingest/chunk";
import { extractBatch } from "../src/ingest/parse";
import { loadTokenCounter } from "../src/ingest/tokens";
import { LocalEmbedder } from "../src/providers/embeddings/local";
import type { DocumentFormat } from "../src/storage/schema";

/** The defaults of a fresh install (src/config.ts): 800-token chunks, 100 of overlap, 25 pages a message. */
export const PIPELINE = { chunkSize: 800, chunkOverlap: 100, pagesPerBatch: 25, dimensions: 512 } as const;

const embedder = new LocalEmbedder(PIPELINE.dimensions);

/** One queue message's work: batch `batch` of the file. */
export async function runMessage(format: DocumentFormat, bytes: Uint8Array, batch: number) {
  // pdf.js takes (detaches) the buffer it is given: each message reads its own copy, as from R2.
  const extracted = await extractBatch(format, bytes.slice(), batch, PIPELINE.pagesPerBatch);
  await loadTokenCounter();
  const chunks = chunkBlocks(extracted.blocks, { size: PIPELINE.chunkSize, overlap: PIPELINE.chunkOverlap });
  await embedder.embed(
    chunks.map((chunk) => chunk.text),
    "document",
  );
  return { pageCount: extracted.pageCount, chunks: chunks.length, hasMore: extracted.hasMore };
}

/** Every message of a file, in order, as the queue would run them. */
export async function runFile(format: DocumentFormat, bytes: Uint8Array) {
  let chunks = 0;
  for (let batch = 0; ; batch++) {
    const message = await runMessage(format, bytes, batch);
    chunks += message.chunks;
    if (!message.hasMore) return { pages: message.pageCount, chunks, messages: batch + 1 };
  }
}
