/** One piece of extracted text, in reading order, with where it came from. */
export interface TextBlock {
  /** 1-based page (PDF) or slide (PPTX); null for formats without pages (DOCX, HTML, Markdown, text). */
  page: number | null;
  /** Headings above the block, outermost first: ["Chapter 2", "Setup"]. Empty when none. */
  sectionPath: string[];
  text: string;
  /**
   * "caption": a figure or table caption, or chart labels; with "header", "footer" and "note" (page
   * furniture, footnotes), "reference" (an entry of a reference list) and "front_matter" (a title
   * page's author, affiliation and keywords lines) it is searchable but not quoted as an answer
   * (lib/text/quotable.ts).
   */
  kind:
    | "heading"
    | "paragraph"
    | "list"
    | "table"
    | "code"
    | "notes"
    | "header"
    | "footer"
    | "note"
    | "caption"
    | "reference"
    | "front_matter";
}

/**
 * A page equivalent, for formats without pages (DOCX, HTML, Markdown, text): 3,000 characters of
 * extracted text, about a manuscript page. `page_count` and the ingested pages quota count these.
 */
export const CHARS_PER_PAGE_EQUIVALENT = 3_000;

/** The page equivalents of `chars` characters of text: at least one. */
export const pageEquivalents = (chars: number): number =>
  Math.max(1, Math.ceil(chars / CHARS_PER_PAGE_EQUIVALENT));

export interface ParsedDocument {
  /** Pages or slides in the whole file; page equivalents for formats without pages. */
  pageCount: number;
  blocks: TextBlock[];
  title?: string;
}

export type ParseFailureReason =
  | "empty"
  | "encrypted"
  | "no_text_layer"
  | "no_text_found"
  | "unreadable_text"
  | "corrupt"
  | "too_large"
  | "unsupported"
  | "hostile";

/**
 * A permanent parsing failure: retrying cannot help. `message` is a sentence for the user
 * (it becomes the document's `error`), such as "the PDF is encrypted".
 */
export class ParseError extends Error {
  constructor(
    readonly reason: ParseFailureReason,
    message: string,
  ) {
    super(message);
    this.name = "ParseError";
  }
}

/** Limits every parser honours so that no file can exhaust memory or CPU. */
export interface ParseLimits {
  /** Most characters of text extracted from one file (or one page batch). */
  maxTextChars: number;
  /** Most bytes inflated from a zip container (DOCX, PPTX), all entries together. */
  maxInflatedBytes: number;
  /** Most entries a zip container may declare. */
  maxZipEntries: number;
  /** Deepest element nesting walked in HTML or XML. */
  maxNestingDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxTextChars: 20_000_000,
  maxInflatedBytes: 200 * 1024 * 1024,
  maxZipEntries: 5_000,
  maxNestingDepth: 512,
};
