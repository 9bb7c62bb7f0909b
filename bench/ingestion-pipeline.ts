// Ancre's ingestion work for one file outside the Worker: what a queue message does between reading
// the original from R2 and writing to the search shard (parse a batch of pages, read its scanned
// pages with a vision model when one is given, chunk, embed with the local embedder), message
// after message as the queue would run them. Each message's time is split by stage
// (src/lib/stage-timing.ts), in CPU time, as its total. A PDF is kept open from one message to the
// next, as an isolate keeps it (services/ingestion/open-pdfs.ts), unless `keepOpen` is false.
import { chunkBlocks } from "../src/ingest/chunk";
import {
  type BatchLimits,
  type ExtractedBatch,
  extractPagesFrom,
  openPdfBatch,
  type PdfDocumentHandle,
  scannedPageImages,
  type TextBlock,
  transcribedPageBlocks,
} from "../src/ingest/parse";
import { forgetOpenedDocx } from "../src/ingest/parse/docx";
import { loadTokenCounter } from "../src/ingest/tokens";
import {
  type StageTimes,
  startStageTiming,
  stopStageTiming,
  timeStage,
  timeStageAsync,
} from "../src/lib/stage-timing";
import { LocalEmbedder } from "../src/providers/embeddings/local";
import type { PageTranscriber } from "../src/providers/vision";
import { pageWork } from "../src/services/ingestion/page-work";
import type { DocumentFormat } from "../src/storage/schema";

/**
 * The defaults of a fresh install (src/config.ts): 800-token chunks, 100 of overlap, 25 pages a
 * message, 20 s of estimated CPU a message.
 */
export const PIPELINE = {
  chunkSize: 800,
  chunkOverlap: 100,
  pagesPerBatch: 25,
  messageCpuMs: 20_000,
  dimensions: 512,
} as const;

/** The stages a message's time is split into, in pipeline order. */
export const STAGES = [
  "fetch (copy)",
  "open",
  "text extraction",
  "open + text extraction",
  "layout",
  "text check",
  "ocr",
  "token counting",
  "chunking",
  "embedding",
] as const;

const embedder = new LocalEmbedder(PIPELINE.dimensions);

/** A message's limits as the ingestion service sets them (`batchLimits`); `workSized: false` is 25 pages flat. */
function limits(transcriber: PageTranscriber | undefined, workSized: boolean): BatchLimits {
  if (!workSized) return { pages: PIPELINE.pagesPerBatch };
  return { pages: PIPELINE.pagesPerBatch, work: pageWork(PIPELINE.messageCpuMs, transcriber !== undefined) };
}

/** The process's CPU time in ms: what a Worker's CPU limit counts, whatever else the machine runs. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface MessageOptions {
  /** A PDF the previous message of the file left open; the message then reads no file. */
  open?: PdfDocumentHandle;
  /** Reads the textless pages of PDFs, as VISION_MODEL does. */
  transcriber?: PageTranscriber;
  /** Batches sized by their work (the default), or 25 pages each. */
  workSized?: boolean;
  /** A PDF larger than this is read a batch at a time (parse/pdf-part.ts); Infinity: always whole. */
  partAboveBytes?: number;
  /**
   * Times each stage (the default). Off, the message runs as deployed: stage timing reads the
   * process's CPU clock around every timed call (each token count among them), which costs time.
   */
  stages?: boolean;
}

/**
 * One queue message's work: the batch of the file that starts at `firstPage`, with its time per
 * stage and CPU time. A PDF's handle is returned open (`open`) when pages remain: the caller
 * passes it to the next message or closes it.
 */
export async function runMessage(
  format: DocumentFormat,
  bytes: Uint8Array,
  firstPage: number,
  options: MessageOptions = {},
) {
  await loadTokenCounter();
  const cpuStart = cpuMs();
  const start = performance.now();
  const timed = options.stages ?? true;
  if (timed) startStageTiming(cpuMs);
  let stages: StageTimes = {};
  let open: PdfDocumentHandle | undefined = options.open;
  let result: {
    pageCount: number;
    chunks: number;
    hasMore: boolean;
    lastPage: number;
    ocrPages: number;
  };
  try {
    let extracted: ExtractedBatch;
    if (format === "pdf") {
      // pdf.js takes (detaches) the buffer it is given: a message reads its own copy, as from R2,
      // of the whole file or (a large PDF) of the ranges its batch's pages need.
      open ??= await openPdfBatch(
        {
          size: bytes.length,
          read: async (offset, length) =>
            timeStage("fetch (copy)", () => bytes.slice(offset, offset + length)),
          readAll: async () => timeStage("fetch (copy)", () => bytes.slice()),
        },
        firstPage,
        PIPELINE.pagesPerBatch,
        options.partAboveBytes === undefined ? {} : { partAboveBytes: options.partAboveBytes },
      );
      extracted = await extractPagesFrom(
        format,
        open,
        firstPage,
        limits(options.transcriber, options.workSized ?? true),
      );
    } else {
      const copy = timeStage("fetch (copy)", () => bytes.slice());
      extracted = await extractPagesFrom(format, copy, firstPage, { pages: PIPELINE.pagesPerBatch });
    }
    const ocrBlocks: TextBlock[] = [];
    const transcriber = options.transcriber;
    if (open && transcriber && extracted.textlessPages.length > 0) {
      const pdf = open;
      await timeStageAsync("ocr", async () => {
        for await (const { page, image } of scannedPageImages(pdf, extracted.textlessPages)) {
          if (!image) continue;
          const { text } = await transcriber.transcribe(image);
          ocrBlocks.push(...transcribedPageBlocks(page, text));
        }
      });
    }
    const chunks = timeStage("chunking", () => [
      ...chunkBlocks(extracted.blocks, { size: PIPELINE.chunkSize, overlap: PIPELINE.chunkOverlap }),
      ...chunkBlocks(ocrBlocks, { size: PIPELINE.chunkSize, overlap: PIPELINE.chunkOverlap }),
    ]);
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
      ocrPages: extracted.textlessPages.length,
    };
    // A part of a large PDF holds this batch's pages only: the next message reads its own.
    if (!extracted.hasMore || open?.heldPages) {
      await open?.close();
      open = undefined;
    }
  } catch (error) {
    await open?.close();
    throw error;
  } finally {
    if (timed) stages = stopStageTiming();
  }
  return { ...result, open, ms: performance.now() - start, cpuMs: cpuMs() - cpuStart, stages };
}

export type MessageRun = Omit<Awaited<ReturnType<typeof runMessage>>, "open"> & { firstPage: number };

/**
 * Every message of a file, in order, as the queue would run them; `keepOpen: false` reopens a PDF
 * in every message, as before PDFs were kept open between a document's messages.
 */
export async function runFile(
  format: DocumentFormat,
  bytes: Uint8Array,
  options: {
    keepOpen?: boolean;
    transcriber?: PageTranscriber;
    workSized?: boolean;
    partAboveBytes?: number;
    stages?: boolean;
  } = {},
) {
  let chunks = 0;
  const messages: MessageRun[] = [];
  let open: PdfDocumentHandle | undefined;
  // A DOCX opened by a previous run of the file is not reused: each run opens it once, as a document does.
  forgetOpenedDocx();
  for (let firstPage = 1; ; ) {
    const { open: left, ...message } = await runMessage(format, bytes, firstPage, { ...options, open });
    open = left;
    if (open && options.keepOpen === false) {
      await open.close();
      open = undefined;
    }
    messages.push({ ...message, firstPage });
    chunks += message.chunks;
    if (!message.hasMore) return { pages: message.pageCount, chunks, messages };
    firstPage = message.lastPage + 1;
  }
}
