// What a page of a PDF is estimated to cost a queue message in CPU, to size its batches by their
// work (ingestion.service.ts, `batchLimits`). Kept apart so that the benchmarks, which run in
// Node, size their messages the same way.
import type { PageWork } from "../../ingest/parse/pdf";

/**
 * Estimated CPU of a page with text: the most one message of the corpus's text-layer files took is
 * about 0.5 s for 25 pages (docs/performance.md), 20 ms a page, rounded up.
 */
export const TEXT_PAGE_CPU_MS = 25;

/**
 * Estimated CPU of a page a vision model reads: decoding its picture, shrinking it to 2,048 pixels
 * on its longest side, encoding the PNG and sending it base64-encoded (about 1 s on the corpus's
 * 200 dpi Letter scan on a quiet machine, 3 s on a busy one, docs/performance.md), rounded up for
 * denser scans.
 */
export const OCR_PAGE_CPU_MS = 4_000;

/**
 * The work one message may take on within `messageCpuMs`: a page without text weighs as OCR only
 * when a vision model will read it (`ocr`), as a text page otherwise.
 */
export function pageWork(messageCpuMs: number, ocr: boolean): PageWork {
  return {
    cpuMs: messageCpuMs,
    textPageMs: TEXT_PAGE_CPU_MS,
    textlessPageMs: ocr ? OCR_PAGE_CPU_MS : TEXT_PAGE_CPU_MS,
  };
}
