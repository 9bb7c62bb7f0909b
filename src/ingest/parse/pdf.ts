import { log } from "../../lib/log";
import { timeStage, timeStageAsync } from "../../lib/stage-timing";
import { referenceListBlocks, unquotableReason, withoutListMarker } from "../../lib/text/quotable";
import { BlockBuilder } from "./block-builder";
import { MAX_DECODED_PIXELS, type PageImage, scannedPageImage } from "./pdf-page-image";
import { type PdfPart, type RangeReader, readPdfPart, UnsupportedPdf } from "./pdf-part";
import { InThreadPdfPort } from "./pdf-port";
import { assertSafePdfStructure } from "./pdf-structure";
import {
  assessPageText,
  type PageTextQuality,
  rejoinLetterSpaced,
  type UnreadableReason,
} from "./text-quality";
import {
  DEFAULT_PARSE_LIMITS,
  type ParsedDocument,
  ParseError,
  type ParseLimits,
  type TextBlock,
} from "./types";

/** A page whose text layer does not decode to text: left out of the blocks (see text-quality.ts). */
type PdfJs = Awaited<ReturnType<typeof import("unpdf")["getResolvedPDFJS"]>>;

export interface UnreadablePage {
  page: number;
  reason: UnreadableReason;
}

/** What a batch of pages yields: the readable pages' blocks, and the pages left out. */
export interface PdfPages {
  /** In reading order; the text of one batch is bounded by `limits.maxTextChars`. */
  blocks: TextBlock[];
  unreadablePages: UnreadablePage[];
  /** Pages with (almost) no text, which may be scans: see `scannedPageImage`. */
  textlessPages: number[];
  /** Pages indexed once the words their text layer spaced out letter by letter were rejoined. */
  letterSpacedPages: number[];
  /** The last page read: `to`, or an earlier one where the batch's work ran out (`PageWork`). */
  lastPage: number;
}

/**
 * The CPU a batch of pages may take on, estimated page by page as they are read: a page joins the
 * batch unless it would take the estimate past `cpuMs` (the first page always joins).
 */
export interface PageWork {
  cpuMs: number;
  /** The estimate for a page with text. */
  textPageMs: number;
  /** The estimate for a page with (almost) no text, which a vision model may read (OCR). */
  textlessPageMs: number;
}

/** An open PDF whose pages are read in batches (1-based, inclusive), so a large file spans several queue messages. */
export interface PdfDocumentHandle {
  readonly pageCount: number;
  /** The pages it can read when it holds a part of the file (pdf-part.ts); the whole file otherwise. */
  readonly heldPages?: { first: number; last: number };
  /** Pages `from`..`to`, or fewer when `work` runs out first. */
  extractPages(from: number, to: number, work?: PageWork): Promise<PdfPages>;
  /** The picture of a scanned page as a PNG (pdf-page-image.ts), or undefined when it is not one. */
  scannedPageImage(page: number): Promise<PageImage | undefined>;
  /** Frees pdf.js' memory; the handle is unusable afterwards. */
  close(): Promise<void>;
}

// pdf.js runs in the Worker's own thread (unpdf's serverless build inlines its worker), so these
// options only keep it from reaching for what Workers lack.
const PDFJS_OPTIONS = {
  isEvalSupported: false, // eval is forbidden in Workers
  disableFontFace: true, // no FontFace API: fonts are parsed only to map glyphs to text
  useSystemFonts: false,
  useWorkerFetch: false, // never fetch CMaps or standard fonts over the network
  verbosity: 0, // errors only: broken files warn a lot while pdf.js repairs them
  // Images are decoded by pdf.js' own code into plain pixels (no OffscreenCanvas, no ImageDecoder
  // in Workers), and only up to a size that fits in a Worker's memory.
  isOffscreenCanvasSupported: false,
  isImageDecoderSupported: false,
  maxImageSize: MAX_DECODED_PIXELS,
};

// A page of real text has hundreds of characters, while a scan may still carry its page numbers:
// under 3 characters a page on average, even over 400 pages.
const MIN_CHARS_PER_PAGE = 4;

// A page with fewer characters than this (a page number, a stamp) may be a scan worth imaging.
const MAX_CHARS_OF_TEXTLESS_PAGE = 40;

/** The fields of a pdf.js text item this parser reads, and the marked-content items it skips. */
interface PdfTextItem {
  str: string;
  transform: number[];
  hasEOL: boolean;
}
type PdfContentItem = PdfTextItem | { type: string };

interface Line {
  text: string;
  /** Start of the baseline, in PDF units (y grows upwards). */
  x: number;
  y: number;
  size: number;
}

/** pdf.js' worker side, which its module registers for running in the same thread. */
interface PdfWorkerGlobal {
  pdfjsWorker?: { WorkerMessageHandler: { initializeFromPort(port: InThreadPdfPort): void } };
}

/**
 * A pdf.js worker for one document, in this thread, behind a port that passes text chunks without
 * cloning them (pdf-port.ts); pdf.js would otherwise set up the same worker behind its cloning port.
 */
function inThreadWorker(PDFWorker: PdfJs["PDFWorker"]) {
  const worker = (globalThis as PdfWorkerGlobal).pdfjsWorker;
  if (!worker) return undefined;
  const port = new InThreadPdfPort();
  worker.WorkerMessageHandler.initializeFromPort(port);
  // pdf.js' types leave `port` out, although PDFWorker takes one.
  type WorkerOnPort = new (options: {
    port: InThreadPdfPort;
    verbosity: number;
  }) => InstanceType<typeof PDFWorker>;
  return new (PDFWorker as unknown as WorkerOnPort)({ port, verbosity: PDFJS_OPTIONS.verbosity });
}

/** Maps a pdf.js failure to the permanent error the user sees. */
function toParseError(error: unknown): ParseError {
  if (error instanceof ParseError) return error;
  const name = error instanceof Error ? error.name : "";
  if (name === "PasswordException") return new ParseError("encrypted", "the PDF is encrypted");
  if (name === "InvalidPDFException") return new ParseError("corrupt", "the file is not a readable PDF");
  if (error instanceof RangeError) {
    return new ParseError("hostile", "the PDF is built in a way that cannot be read safely");
  }
  return new ParseError("corrupt", "the PDF is damaged and cannot be read");
}

/**
 * Opens a PDF for batch extraction. Takes ownership of `bytes`: pdf.js transfers (detaches) the buffer.
 * Throws `ParseError` "encrypted" (a password would be needed), "corrupt", or "hostile" (see pdf-structure.ts).
 */
export async function openPdf(
  bytes: Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  part?: Omit<PdfPart, "bytes">,
): Promise<PdfDocumentHandle> {
  // unpdf's own module (its wrapper, not pdf.js) is imported here too, so that an isolate which
  // never opens a PDF does not evaluate it at start-up.
  const { getDocument, OPS, PDFWorker } = await (await import("unpdf")).getResolvedPDFJS();
  const { pdf, destroy } = await timeStageAsync("open", async () => {
    assertSafePdfStructure(bytes);
    const worker = inThreadWorker(PDFWorker);
    const task = getDocument({ data: bytes, ...PDFJS_OPTIONS, ...(worker ? { worker } : {}) });
    // A worker given to pdf.js outlives the document: it is destroyed with it.
    const destroy = async () => {
      await task.destroy();
      worker?.destroy();
    };
    const pdf = await task.promise.catch(async (error: unknown) => {
      await destroy();
      throw toParseError(error);
    });
    return { pdf, destroy };
  });
  // A part's page 1 is the file's page `part.firstPage`: pages are asked for and named by the file's numbers.
  const offset = part ? part.firstPage - 1 : 0;
  const heldPages = part ? { first: part.firstPage, last: part.lastPage } : undefined;
  if (part && pdf.numPages !== part.lastPage - part.firstPage + 1) {
    await destroy();
    throw new UnsupportedPdf("pdf.js reads another number of pages in the part");
  }
  const getPage = (pageNumber: number) => pdf.getPage(pageNumber - offset);
  const first = heldPages?.first ?? 1;
  const last = heldPages?.last ?? pdf.numPages;
  return {
    pageCount: part?.pageCount ?? pdf.numPages,
    heldPages,
    async extractPages(from, to, work) {
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < first || from > to || to > last) {
        throw new RangeError(`pages ${from}-${to} are not within ${first}-${last}`);
      }
      const out = new BlockBuilder(limits);
      const unreadablePages: UnreadablePage[] = [];
      const textlessPages: number[] = [];
      const letterSpacedPages: number[] = [];
      let lastPage = from - 1;
      let estimatedMs = 0;
      try {
        for (let pageNumber = from; pageNumber <= to; pageNumber++) {
          const { page, content } = await timeStageAsync("text extraction", async () => {
            const page = await getPage(pageNumber);
            return { page, content: await page.getTextContent() };
          });
          if (work) {
            const pageMs = hasNoText(content.items) ? work.textlessPageMs : work.textPageMs;
            if (pageNumber > from && estimatedMs + pageMs > work.cpuMs) {
              page.cleanup();
              break;
            }
            estimatedMs += pageMs;
          }
          lastPage = pageNumber;
          const quality = timeStage("layout", () => writePage(out, pageNumber, content.items));
          if (quality.reason) unreadablePages.push({ page: pageNumber, reason: quality.reason });
          if (quality.characters < MAX_CHARS_OF_TEXTLESS_PAGE) textlessPages.push(pageNumber);
          if (quality.letterSpaced) letterSpacedPages.push(pageNumber);
          page.cleanup();
        }
        // Drops fonts and parsed objects so memory stays flat from one batch to the next.
        await pdf.cleanup();
      } catch (error) {
        throw toParseError(error);
      }
      const blocks = timeStage("layout", () => tagReferenceLists(rejoinHyphenatedWords(out.blocks)));
      return { blocks, unreadablePages, textlessPages, letterSpacedPages, lastPage };
    },
    async scannedPageImage(pageNumber) {
      try {
        const page = await getPage(pageNumber);
        try {
          return await scannedPageImage(page, OPS);
        } finally {
          // Drops the decoded picture: only the PNG is kept.
          page.cleanup();
        }
      } catch (error) {
        throw toParseError(error);
      }
    },
    close: destroy,
  };
}

/** A PDF in storage: read by ranges, or whole. */
export interface PdfSource extends RangeReader {
  readAll(): Promise<Uint8Array>;
}

/**
 * A PDF larger than this is read a batch at a time (pdf-part.ts): pdf.js holds whatever it is
 * given besides 35-45 MB of heap, so a message holding a larger file passes 64 MB.
 */
export const PDF_PART_ABOVE_BYTES = 8 * 1024 * 1024;

/**
 * A PDF the part reader does not follow (pdf-part.ts's UnsupportedPdf: encrypted, cross-reference
 * data that does not match the file) is read whole up to this size, within an isolate's 128 MB.
 */
export const PDF_WHOLE_MAX_BYTES = 48 * 1024 * 1024;

/**
 * Opens a PDF for the batch of `pages` pages from `firstPage`: the whole file when it is small
 * (the handle then reads any page), else a part of it holding these pages (or fewer, see
 * `heldPages`), read by ranges (`partAboveBytes`: the size from which it is; `wholeMaxBytes`:
 * the largest read whole when the part reader cannot follow it). Throws `ParseError` as `openPdf`
 * does, and "unsupported" for a large file the part reader cannot follow.
 */
export async function openPdfBatch(
  source: PdfSource,
  firstPage: number,
  pages: number,
  {
    limits = DEFAULT_PARSE_LIMITS,
    partAboveBytes = PDF_PART_ABOVE_BYTES,
    wholeMaxBytes = PDF_WHOLE_MAX_BYTES,
  } = {},
): Promise<PdfDocumentHandle> {
  if (source.size <= partAboveBytes) return openPdf(await source.readAll(), limits);
  try {
    const part = await timeStageAsync("open", () => readPdfPart(source, firstPage, firstPage + pages - 1));
    return await openPdf(part.bytes, limits, part);
  } catch (error) {
    if (!(error instanceof UnsupportedPdf)) throw error;
    const mb = Math.round(source.size / 1024 / 1024);
    if (source.size > wholeMaxBytes) {
      throw new ParseError(
        "unsupported",
        `the PDF (${mb} MB) is too large to read whole, and cannot be read in parts: ${error.message}`,
      );
    }
    log("warn", "pdf_read_whole", { size_bytes: source.size, reason: error.message });
    return openPdf(await source.readAll(), limits);
  }
}

/**
 * Throws `ParseError("no_text_layer")` when a whole PDF yielded almost no text (`totalChars`: the
 * length of all its blocks' text, OCR included), as a scan does: it must fail rather than become an
 * empty document.
 */
export function assertHasTextLayer(totalChars: number, pageCount: number, ocrTried = false): void {
  if (totalChars < Math.max(pageCount, 1) * MIN_CHARS_PER_PAGE) throw noTextLayerError(ocrTried);
}

/** The failure of a PDF without a text layer; `ocrTried`: a vision model was there to read its scans. */
export function noTextLayerError(ocrTried = false): ParseError {
  return new ParseError(
    ocrTried ? "no_text_found" : "no_text_layer",
    ocrTried
      ? "the PDF has no text layer (it looks scanned), and the vision model found no text in pictures of its pages"
      : "the PDF has no text layer (it looks scanned); OCR would be needed to read it, which a vision model can do (set VISION_MODEL)",
  );
}

/** Parses a whole PDF in one pass; large files should go through `openPdf` in page batches instead. */
export async function parsePdf(
  bytes: Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedDocument> {
  const pdf = await openPdf(bytes, limits);
  try {
    const { blocks } = pdf.pageCount > 0 ? await pdf.extractPages(1, pdf.pageCount) : { blocks: [] };
    assertHasTextLayer(
      blocks.reduce((sum, block) => sum + block.text.length, 0),
      pdf.pageCount,
    );
    return { pageCount: pdf.pageCount, blocks };
  } finally {
    await pdf.close();
  }
}

/**
 * Visual lines in pdf.js order (content-stream order, which reads a column to its end before the
 * next): items up to each `hasEOL`, then pieces that share a baseline (form labels, table cells) joined.
 */
function readLines(items: PdfContentItem[]): Line[] {
  const lines: Line[] = [];
  let line: Line | null = null;
  const close = () => {
    const previous = lines[lines.length - 1];
    if (!line || line.text.trim() === "") return;
    if (previous && Math.abs(previous.y - line.y) < Math.max(previous.size, line.size) * 0.3) {
      previous.text += ` ${line.text}`;
      previous.x = Math.min(previous.x, line.x);
      previous.size = Math.max(previous.size, line.size);
    } else {
      lines.push(line);
    }
  };
  for (const item of items) {
    if (!("str" in item)) continue;
    if (item.str !== "") {
      const size = Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0);
      line ??= { text: "", x: item.transform[4] ?? 0, y: item.transform[5] ?? 0, size };
      line.text += item.str;
      line.size = Math.max(line.size, size);
    }
    if (item.hasEOL) {
      close();
      line = null;
    }
  }
  close();
  return lines;
}

/**
 * Whether a page's text items hold fewer than MAX_CHARS_OF_TEXTLESS_PAGE characters other than
 * spaces: a textless page, told before its layout. Stops counting at that many (a page of text
 * answers within its first items).
 */
function hasNoText(items: PdfContentItem[]): boolean {
  let characters = 0;
  for (const item of items) {
    if (!("str" in item)) continue;
    for (let i = 0; i < item.str.length; i++) {
      if (!/\s/.test(item.str[i]!)) characters++;
    }
    if (characters >= MAX_CHARS_OF_TEXTLESS_PAGE) return false;
  }
  return true;
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The usual distance between consecutive baselines on the page, to tell a paragraph gap from a line break. */
function usualLineSpacing(lines: Line[]): number | undefined {
  const drops: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const drop = lines[i - 1]!.y - lines[i]!.y;
    if (drop > 0 && drop < lines[i]!.size * 3) drops.push(drop);
  }
  return median(drops);
}

/** The font size that carries most of the page's text. */
function bodySize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, total] of weight) {
    if (total > bestWeight) [best, bestWeight] = [size, total];
  }
  return best;
}

// A list item: a bullet glyph, then text.
const BULLET = /^\s*[•◦▪▫●○■□‣⁃∙]/u;
// A line opening with a bullet or a number, whose wrapped lines hang further right.
const ENUMERATED = /^\s*(?:[•◦▪▫●○■□‣⁃∙*–-]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s/u;

function startsParagraph(
  previous: Line,
  line: Line,
  linesSoFar: number,
  spacing: number | undefined,
): boolean {
  const size = Math.max(previous.size, line.size);
  const drop = previous.y - line.y;
  if (drop < 0) return true; // moved up: the next column or another region of the page
  if (drop > Math.max(spacing ?? size * 1.2, size) * 1.4) return true; // blank space above
  if (Math.abs(line.size - previous.size) > size * 0.2) return true; // heading to body, body to caption
  if (BULLET.test(line.text)) return true;
  // A first-line indent after a full paragraph line, unless the previous line hangs a list marker.
  return linesSoFar >= 2 && line.x - previous.x > size * 0.8 && !ENUMERATED.test(previous.text);
}

/**
 * Stands for a hyphen at a line end until the batch's words are known (`rejoinHyphenatedWords`):
 * a soft hyphen, which pdf.js also emits for it, and which no block keeps.
 */
const LINE_END_HYPHEN = "\u00ad";

function joinLines(lines: Line[]): string {
  let text = lines[0]!.text;
  for (let i = 1; i < lines.length; i++) {
    // A line broken after a hyphen continues the word: drop the line break, mark the hyphen.
    const hyphenated = /\p{L}[-\u00ad]\s*$/u.test(lines[i - 1]!.text);
    text = hyphenated
      ? text.trimEnd().slice(0, -1) + LINE_END_HYPHEN + lines[i]!.text.trimStart()
      : `${text} ${lines[i]!.text}`;
  }
  return text;
}

const HYPHENATED_AT_LINE_END = /(\p{L}[\p{L}\p{M}]*)\u00ad(\p{L}[\p{L}\p{M}]*)/gu;
const WORD = /\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*/gu;

/**
 * Resolves the hyphens that fell at line ends: "com-pile" becomes "compile" when the joined form is
 * a word of the document (it occurs elsewhere in the batch's text, which is in the document's
 * language), and stays "Trace-based" when the hyphenated form is the one the document writes, or
 * when both halves are words of the document ("mixed-mode"). Otherwise it is joined when it goes
 * on in lower case ("dou-ble"), as typesetters hyphenate, and keeps its hyphen before a capital.
 */
export function rejoinHyphenatedWords(blocks: TextBlock[]): TextBlock[] {
  // No hyphen fell at a line end in the batch: nothing to resolve, no words to gather.
  if (!blocks.some((block) => block.text.includes(LINE_END_HYPHEN))) return blocks;
  const words = new Set<string>();
  for (const block of blocks) {
    // Most blocks have no hyphen at a line end: the pattern is not run over them.
    const text = block.text.includes(LINE_END_HYPHEN)
      ? block.text.replace(HYPHENATED_AT_LINE_END, " ")
      : block.text;
    for (const word of text.match(WORD) ?? []) {
      words.add(word.toLowerCase());
    }
  }
  const resolve = (_: string, head: string, tail: string) => {
    const joined = `${head}${tail}`;
    if (words.has(joined.toLowerCase())) return joined;
    const hyphenated = `${head}-${tail}`;
    if (words.has(hyphenated.toLowerCase())) return hyphenated;
    // Two words of the document joined by a hyphen ("mixed-mode") are a compound.
    if (words.has(head.toLowerCase()) && words.has(tail.toLowerCase())) return hyphenated;
    return /^\p{Ll}/u.test(tail) ? joined : hyphenated;
  };
  return blocks.map((block) =>
    block.text.includes(LINE_END_HYPHEN)
      ? {
          ...block,
          text: block.text.replace(HYPHENATED_AT_LINE_END, resolve).replaceAll(LINE_END_HYPHEN, "-"),
        }
      : block,
  );
}

/**
 * Tags the paragraphs of a reference list as "reference": those after its heading ("References")
 * up to the next heading, whose entries a page breaks anywhere ("techniques, and tools, 2006.").
 */
function tagReferenceLists(blocks: TextBlock[]): TextBlock[] {
  const inList = referenceListBlocks(
    blocks.map((block) => ({ text: block.text, heading: block.kind === "heading" })),
  );
  return blocks.map((block, i) =>
    inList[i] && (block.kind === "paragraph" || block.kind === "heading")
      ? { ...block, kind: "reference" }
      : block,
  );
}

/** Several words spaced out on a page are worth a warning even when the page read without rejoining them. */
const MIN_LETTER_SPACED_RUNS_TO_WARN = 3;

/** Whether the page's text layer reads as extracted, before any word is rejoined. */
function readableAsItWas(items: PdfContentItem[]): boolean {
  return assessPageText(
    readLines(items)
      .map((line) => line.text)
      .join(" "),
  ).readable;
}

/**
 * Groups a page's lines into paragraphs; a short paragraph set larger than the body text is a heading.
 * A page whose text is not text (text-quality.ts) writes nothing. Returns the page's text quality.
 */
function writePage(
  out: BlockBuilder,
  pageNumber: number,
  items: PdfContentItem[],
): PageTextQuality & { letterSpaced: boolean } {
  // Words spaced out letter by letter (an OCR layer's "A l e t t e r") are rejoined before the
  // page is judged, text item by text item: an OCR layer places each word on its own, and pdf.js
  // keeps one space for a gap, so the items are where words end. The page is indexed, and named
  // in a warning, when such words are what made it fail, or when there are several.
  let runs = 0;
  const lines = readLines(
    items.map((item) => {
      if (!("str" in item)) return item;
      const rejoined = rejoinLetterSpaced(item.str);
      runs += rejoined.runs;
      return rejoined.runs > 0 ? { ...item, str: rejoined.text } : item;
    }),
  );
  const quality = {
    ...timeStage("text check", () => assessPageText(lines.map((line) => line.text).join(" "))),
    letterSpaced: false,
  };
  if (!quality.readable) return quality;
  quality.letterSpaced = runs >= MIN_LETTER_SPACED_RUNS_TO_WARN || (runs > 0 && !readableAsItWas(items));
  const spacing = usualLineSpacing(lines);
  const body = bodySize(lines);
  let paragraph: Line[] = [];
  // Consecutive bulleted paragraphs: one list block, an item a line, without their glyphs.
  let listItems: string[] = [];
  const flushList = () => {
    if (listItems.length > 0) out.add("list", listItems.join("\n"), pageNumber);
    listItems = [];
  };
  const flush = () => {
    if (paragraph.length === 0) return;
    const text = joinLines(paragraph);
    const first = paragraph[0]!;
    const lineCount = paragraph.length;
    paragraph = [];
    if (BULLET.test(text)) {
      listItems.push(withoutListMarker(text));
      return;
    }
    flushList();
    const isHeading = first.size >= body * 1.2 && lineCount <= 3 && text.length <= 200;
    out.add(isHeading ? "heading" : furnitureKind(text, first, body), text, pageNumber);
  };
  for (const line of lines) {
    const previous = paragraph[paragraph.length - 1];
    if (previous && startsParagraph(previous, line, paragraph.length, spacing)) flush();
    paragraph.push(line);
  }
  flush();
  flushList();
  return quality;
}

/** A paragraph of at most this many words, without a sentence's end: a chart or axis label. */
const MAX_LABEL_WORDS = 4;

/**
 * The kind of a body-size (or smaller) paragraph: a caption, chart labels or symbols ("caption"),
 * a footnote set smaller than the body ("note"), page furniture ("footer"), else a paragraph.
 */
function furnitureKind(text: string, first: Line, body: number): TextBlock["kind"] {
  const reason = unquotableReason(text);
  if (reason === "caption" || reason === "symbols") return "caption";
  if (reason === "furniture") return first.size < body * 0.9 ? "note" : "footer";
  if (reason === "reference" || reason === "front_matter") return reason;
  if (first.size < body * 0.9 && /^\s*(?:\d{1,2}|[*†‡§¶])\s*\S/u.test(text)) return "note";
  // Short unpunctuated lines, but not a numbered section title ("3.1 Traces") or an address line.
  const words = text.split(/\s+/).length;
  if (words <= MAX_LABEL_WORDS && !/[.!?:@]|^\d+(?:\.\d+)*\s/u.test(text)) return "caption";
  return "paragraph";
}
