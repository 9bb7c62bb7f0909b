import type { Verb } from "../../context";
import { notFound } from "../../errors";
import type { DocumentFormat } from "../../storage/schema";
import type { PlacedChunkHit } from "../../storage/search-shard/search-shard.interface";
import { getDocument } from "./documents.service";

/** What a cited passage is part of: a PDF page, a PPTX slide, or a section of the other formats. */
export type PassageUnit = "page" | "slide" | "section";

// Chunks of a section shown on either side of the cited one, for formats without pages.
const SECTION_CHUNKS_AROUND = 4;
// Shorter common runs are taken for chance, not for the overlap chunking repeats.
const MIN_OVERLAP_CHARS = 20;

export const unitOf = (format: DocumentFormat): PassageUnit =>
  format === "pdf" ? "page" : format === "pptx" ? "slide" : "section";

/** The part of a chunk's text on `page` (a chunk may span pages: its page offsets say where each starts). */
function textOnPage(chunk: PlacedChunkHit, page: number | null): string {
  if (page === null || !chunk.pageOffsets) return chunk.text;
  const starts = chunk.pageOffsets;
  const at = starts.findIndex(([, startingPage]) => startingPage === page);
  if (at === -1) return page === chunk.pageStart ? chunk.text.slice(0, starts[0]?.[0] ?? 0) : "";
  return chunk.text.slice(starts[at]![0], starts[at + 1]?.[0] ?? chunk.text.length);
}

/** How many characters at the start of `next` repeat the end of `text` (the chunks' overlap), 0 if none. */
export function overlapLength(text: string, next: string): number {
  const probe = next.slice(0, MIN_OVERLAP_CHARS);
  if (probe.length < Math.min(MIN_OVERLAP_CHARS, next.length) || probe.length === 0) return 0;
  // The earliest start in `text` gives the longest overlap.
  for (
    let at = text.indexOf(probe, Math.max(0, text.length - next.length));
    at !== -1;
    at = text.indexOf(probe, at + 1)
  ) {
    const tail = text.slice(at);
    if (next.startsWith(tail)) return tail.length;
  }
  return 0;
}

/**
 * Joins consecutive pieces of text into one, dropping what a piece repeats of the one before (the
 * overlap chunking carries over); returns where each piece's own text lies in the result.
 */
export function joinPieces(pieces: string[]): { text: string; ranges: { start: number; end: number }[] } {
  let text = "";
  const ranges: { start: number; end: number }[] = [];
  for (const piece of pieces) {
    const trimmed = piece.trim();
    if (!trimmed) {
      ranges.push({ start: text.length, end: text.length });
      continue;
    }
    if (!text) {
      text = trimmed;
      ranges.push({ start: 0, end: text.length });
      continue;
    }
    const overlap = overlapLength(text, trimmed);
    if (overlap > 0) {
      const start = text.length - overlap;
      text += trimmed.slice(overlap);
      ranges.push({ start, end: text.length });
    } else {
      text += "\n\n";
      const start = text.length;
      text += trimmed;
      ranges.push({ start, end: text.length });
    }
  }
  return { text, ranges };
}

export interface Passage {
  documentId: string;
  filename: string;
  format: DocumentFormat;
  contentType: string;
  unit: PassageUnit;
  /** The page or slide (1-based); null for sections. */
  number: number | null;
  /** The headings above the cited chunk, joined with " > ". */
  section: string | null;
  /** The text of the page, slide, or of the section around the cited chunk. */
  text: string;
  /** Where the cited chunk's text lies in `text`. */
  cited: { start: number; end: number };
}

/**
 * The text a citation points into, for reading it in place: the whole page or slide holding the
 * cited chunk (at `page`, the page of its excerpt, when given), or the chunks of its section around
 * it for formats without pages. A chunk that is not the document's (or no longer: the document was
 * ingested again since) is a 404.
 */
export async function getCitedPassage({
  ctx,
  deps,
  input,
}: Verb<{ documentId: string; chunkId: string; page?: number }>): Promise<Passage> {
  const document = await getDocument({ ctx, deps, input: { documentId: input.documentId } });
  const unit = unitOf(document.format);
  const page = unit === "section" ? null : (input.page ?? null);
  const chunks = await deps.searchShards.passageChunks(
    ctx,
    document.id,
    input.chunkId,
    page,
    SECTION_CHUNKS_AROUND,
  );
  const citedIndex = chunks.findIndex((chunk) => chunk.id === input.chunkId);
  const cited = chunks[citedIndex];
  if (!cited) throw notFound("Cited passage", input.chunkId);
  const number = unit === "section" ? null : (page ?? cited.pageStart);
  const { text, ranges } = joinPieces(chunks.map((chunk) => textOnPage(chunk, number)));
  return {
    documentId: document.id,
    filename: document.filename,
    format: document.format,
    contentType: document.contentType,
    unit,
    number,
    section: cited.section,
    text,
    cited: ranges[citedIndex]!,
  };
}
