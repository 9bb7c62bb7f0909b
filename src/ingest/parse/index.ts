import type { DocumentFormat } from "../../storage/schema";
import { parseDocx } from "./docx";
import { parseHtml } from "./html";
import { parseMarkdown } from "./markdown";
import { openPdf, type UnreadablePage } from "./pdf";
import { parsePptx } from "./pptx";
import { parseText } from "./text";
import { unreadablePagesSentence } from "./text-quality";
import { DEFAULT_PARSE_LIMITS, ParseError, type TextBlock } from "./types";

// The public surface callers outside parse/ use: the ingestion service checks a whole PDF's text layer.
export { assertHasTextLayer, type UnreadablePage } from "./pdf";
export { unreadablePagesSentence } from "./text-quality";
export { ParseError } from "./types";

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
}

/**
 * Extracts one batch of a file: PDFs `pagesPerBatch` pages at a time (so one queue message stays
 * well within memory and CPU limits), every other format whole in batch 0.
 */
export async function extractBatch(
  format: DocumentFormat,
  bytes: Uint8Array,
  batch: number,
  pagesPerBatch: number,
): Promise<ExtractedBatch> {
  if (bytes.length === 0) throw new ParseError("empty", "the file is empty");
  try {
    if (format === "pdf") {
      const pdf = await openPdf(bytes, DEFAULT_PARSE_LIMITS);
      try {
        const first = batch * pagesPerBatch + 1;
        const last = Math.min(pdf.pageCount, first + pagesPerBatch - 1);
        const { blocks, unreadablePages } =
          first <= last ? await pdf.extractPages(first, last) : { blocks: [], unreadablePages: [] };
        return {
          blocks,
          unreadablePages,
          pageCount: pdf.pageCount,
          lastPage: last,
          hasMore: last < pdf.pageCount,
        };
      } finally {
        await pdf.close();
      }
    }
    const parsed = await parseWhole(format, bytes);
    return {
      blocks: parsed.blocks,
      unreadablePages: [],
      pageCount: parsed.pageCount,
      lastPage: parsed.pageCount,
      hasMore: false,
    };
  } catch (error) {
    if (error instanceof ParseError) throw error;
    // Anything else a parser throws on a file is about the file: retrying will not help.
    console.warn("parser failed", error);
    throw new ParseError("corrupt", "the file could not be read; it may be corrupt or of an unexpected kind");
  }
}

function parseWhole(format: Exclude<DocumentFormat, "pdf">, bytes: Uint8Array) {
  switch (format) {
    case "docx":
      return parseDocx(bytes, DEFAULT_PARSE_LIMITS);
    case "pptx":
      return parsePptx(bytes, DEFAULT_PARSE_LIMITS);
    case "html":
      return parseHtml(bytes, DEFAULT_PARSE_LIMITS);
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

/** The failure of a file that parsed but held no text at all. */
export function noTextError(format: DocumentFormat): ParseError {
  return format === "pdf"
    ? new ParseError(
        "no_text_layer",
        "the PDF has no text layer (it looks scanned); OCR would be needed to index it",
      )
    : new ParseError("empty", "the file contains no text");
}
