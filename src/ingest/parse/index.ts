import { log } from "../../lib/log";
import { timeStageAsync } from "../../lib/stage-timing";
import type { DocumentFormat } from "../../storage/schema";
import { collapseWhitespace } from "./block-builder";
import { parseMarkdown } from "./markdown";
import { noTextLayerError, openPdf, type PageWork, type PdfDocumentHandle, type UnreadablePage } from "./pdf";
import type { PageImage } from "./pdf-page-image";
import { parseText } from "./text";
import { unreadablePagesSentence } from "./text-quality";
import { DEFAULT_PARSE_LIMITS, ParseError, type TextBlock } from "./types";

// The public surface callers outside parse/ use: the ingestion service checks a whole PDF's text layer.
export {
  assertHasTextLayer,
  openPdfBatch,
  type PageWork,
  PDF_PART_ABOVE_BYTES,
  type PdfDocumentHandle,
  type PdfSource,
  type UnreadablePage,
} from "./pdf";
export type { PageImage } from "./pdf-page-image";
export {
  letterSpacedPagesSentence,
  type PageTextNote,
  unreadableOnly,
  unreadablePagesSentence,
} from "./text-quality";
export { ParseError, type TextBlock } from "./types";

export interface ExtractedBatch {
  blocks: TextBlock[];
  /** Pages (or slides) of the whole file. */
  pageCount: number;
  /** The last page this batch covered. */
  lastPage: number;
  /** Whether pages remain for further batches. */
  hasMore: boolean;
  /** Pages of this batch whose text layer does not decode to text, left out of `blocks`. */
  unreadablePages: UnreadablePage[];
  /** Pages of this batch with (almost) no text, which may be scans (see `scannedPageImages`). */
  textlessPages: number[];
  /** Pages of this batch indexed once the words their text layer spaced out were rejoined. */
  letterSpacedPages: number[];
}

/**
 * Extracts one batch of a file: PDFs `pagesPerBatch` pages at a time, PPTX as many slides (fewer
 * where their XML is large), DOCX as many page equivalents of its body (so one queue message stays well within memory and CPU limits,
 * whatever the file's size); HTML, Markdown and text whole in batch 0.
 */
export function extractBatch(
  format: DocumentFormat,
  bytes: Uint8Array,
  batch: number,
  pagesPerBatch: number,
): Promise<ExtractedBatch> {
  return extractPagesFrom(format, bytes, batch * pagesPerBatch + 1, { pages: pagesPerBatch });
}

/** What one batch may take on: pages (slides, page equivalents) at most, and for PDFs their estimated CPU. */
export interface BatchLimits {
  pages: number;
  work?: PageWork;
}

/**
 * Opens a PDF whose batches are read from one handle (see `extractPagesFrom`). Takes ownership of
 * `bytes`. Throws `ParseError` as `openPdf` does.
 */
export async function openPdfDocument(bytes: Uint8Array): Promise<PdfDocumentHandle> {
  if (bytes.length === 0) throw new ParseError("empty", "the file is empty");
  try {
    return await openPdf(bytes, DEFAULT_PARSE_LIMITS);
  } catch (error) {
    throw asParseError(error);
  }
}

/**
 * Extracts the batch of a file that starts at `firstPage` (1-based): as many pages as `limits`
 * allow (a PDF's batch ends early where its work runs out), HTML, Markdown and text whole from
 * page 1. A PDF is read from `file`'s bytes (taken, and closed after), or from an open handle the
 * caller keeps.
 */
export async function extractPagesFrom(
  format: DocumentFormat,
  file: Uint8Array | PdfDocumentHandle,
  firstPage: number,
  limits: BatchLimits,
): Promise<ExtractedBatch> {
  if (file instanceof Uint8Array && file.length === 0) throw new ParseError("empty", "the file is empty");
  const first = firstPage;
  const last = first + limits.pages - 1;
  try {
    if (format === "pdf") {
      const pdf = file instanceof Uint8Array ? await openPdf(file, DEFAULT_PARSE_LIMITS) : file;
      try {
        return await extractPdfPages(pdf, first, last, limits.work);
      } finally {
        if (file instanceof Uint8Array) await pdf.close();
      }
    }
    if (!(file instanceof Uint8Array)) throw new TypeError("only a PDF is read from an open handle");
    const bytes = file;
    if (format === "docx" || format === "pptx") {
      const docx = format === "docx" ? await import("./docx") : undefined;
      const pptx = format === "pptx" ? await import("./pptx") : undefined;
      // A presentation's batch ends early where its slides' XML runs out (SLIDE_XML_BYTES_PER_BATCH).
      const parsed = await timeStageAsync("open + text extraction", () =>
        pptx
          ? pptx.parsePptxSlides(bytes, DEFAULT_PARSE_LIMITS, first, last, pptx.SLIDE_XML_BYTES_PER_BATCH)
          : docx!.parseDocxPages(bytes, DEFAULT_PARSE_LIMITS, first, last),
      );
      const { blocks, pageCount } = parsed;
      const lastPage = Math.min(pageCount, parsed.lastPage);
      return {
        blocks,
        unreadablePages: [],
        textlessPages: [],
        letterSpacedPages: [],
        pageCount,
        lastPage,
        hasMore: lastPage < pageCount,
      };
    }
    const parsed = await parseWhole(format, bytes);
    return {
      blocks: parsed.blocks,
      unreadablePages: [],
      textlessPages: [],
      letterSpacedPages: [],
      pageCount: parsed.pageCount,
      lastPage: parsed.pageCount,
      hasMore: false,
    };
  } catch (error) {
    throw asParseError(error);
  }
}

function asParseError(error: unknown): ParseError {
  if (error instanceof ParseError) return error;
  // Anything else a parser throws on a file is about the file: retrying will not help.
  log("warn", "parser_failed", {}, error);
  return new ParseError("corrupt", "the file could not be read; it may be corrupt or of an unexpected kind");
}

/** Pages `first`..`last` of an open PDF (fewer when `work` runs out), or none past its end. */
async function extractPdfPages(
  pdf: PdfDocumentHandle,
  first: number,
  last: number,
  work: PageWork | undefined,
): Promise<ExtractedBatch> {
  // A part of a large PDF holds the batch's pages, or fewer where their objects ran over its budget.
  const end = Math.min(pdf.pageCount, last, pdf.heldPages?.last ?? last);
  const pages =
    first <= end
      ? await pdf.extractPages(first, end, work)
      : { blocks: [], unreadablePages: [], textlessPages: [], letterSpacedPages: [], lastPage: end };
  return { ...pages, pageCount: pdf.pageCount, hasMore: pages.lastPage < pdf.pageCount };
}

// mammoth, linkedom and the ZIP reader (DOCX, HTML, PPTX) are loaded by the messages that parse
// those formats, not at start-up by every isolate (pdf.js is loaded by unpdf the same way).
async function parseWhole(format: "html" | "md" | "txt", bytes: Uint8Array) {
  switch (format) {
    case "html":
      return (await import("./html")).parseHtml(bytes, DEFAULT_PARSE_LIMITS);
    case "md":
      return parseMarkdown(bytes, DEFAULT_PARSE_LIMITS);
    case "txt":
      return parseText(bytes, DEFAULT_PARSE_LIMITS);
  }
}

/** The failure of a PDF whose every page with text was unreadable (text-quality.ts). */
export function unreadableTextError(pages: UnreadablePage[]): ParseError {
  return new ParseError("unreadable_text", unreadablePagesSentence(pages));
}

/** The failure of a file that parsed but held no text at all; `ocrTried` as in `noTextLayerError`. */
export function noTextError(format: DocumentFormat, ocrTried = false): ParseError {
  return format === "pdf" ? noTextLayerError(ocrTried) : new ParseError("empty", "the file contains no text");
}

/**
 * The pictures of an open PDF's scanned pages among `pages`, one at a time so that only one is held
 * in memory: pages that are not one picture yield `image: undefined`.
 */
export async function* scannedPageImages(
  pdf: PdfDocumentHandle,
  pages: number[],
): AsyncGenerator<{ page: number; image: PageImage | undefined }> {
  for (const page of pages) yield { page, image: await pdf.scannedPageImage(page) };
}

/** The section of the chunks read from page pictures by a vision model: how search shows them as OCR. */
export const OCR_SECTION = "Scanned page (OCR)";

/** A vision model's transcription of a page as that page's blocks, one a paragraph, under OCR_SECTION. */
export function transcribedPageBlocks(page: number, transcription: string): TextBlock[] {
  return transcription
    .split(/\n\s*\n/)
    .map(collapseWhitespace)
    .filter((text) => text !== "")
    .map((text) => ({ page, sectionPath: [OCR_SECTION], text, kind: "paragraph" }));
}
