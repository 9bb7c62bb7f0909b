import { type ParsedDocument, ParseError, type ParseLimits, pageEquivalents, type TextBlock } from "./types";

type BlockKind = TextBlock["kind"];

/**
 * Collapses every run of whitespace to one space and trims both ends. ASCII control characters count
 * as whitespace: fonts without a Unicode map make pdf.js emit them, often in place of spaces.
 */
export function collapseWhitespace(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\s\x00-\x1f\x7f]+/g, " ").trim();
}

// Line breaks carry meaning in these kinds (one row, item or code line each), so only runs within a line collapse.
const LINE_KINDS = new Set<BlockKind>(["table", "list"]);

function normaliseBlockText(kind: BlockKind, text: string): string {
  if (kind === "code") return text.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
  if (LINE_KINDS.has(kind)) {
    return text
      .split("\n")
      .map(collapseWhitespace)
      .filter((line) => line !== "")
      .join("\n");
  }
  return collapseWhitespace(text);
}

/**
 * Collects the blocks of one document (or one PDF page batch) in reading order: keeps the
 * heading path, drops blocks without text and stops the parse once the text outgrows
 * `limits.maxTextChars`.
 */
export class BlockBuilder {
  readonly blocks: TextBlock[] = [];
  private readonly headings: { level: number; text: string }[] = [];
  private chars = 0;

  constructor(private readonly limits: ParseLimits) {}

  /** Adds a heading (level 1 is outermost) and makes it the innermost section of the blocks that follow. */
  heading(level: number, text: string): void {
    const clean = collapseWhitespace(text);
    if (clean === "") return;
    while (this.headings.length > 0 && this.headings[this.headings.length - 1]!.level >= level) {
      this.headings.pop();
    }
    this.push({ page: null, sectionPath: this.sectionPath(), text: clean, kind: "heading" });
    this.headings.push({ level, text: clean });
  }

  /**
   * Makes a heading of an earlier part of the document (read by another queue message) the
   * innermost section of the blocks that follow, without adding it again.
   */
  enterSection(level: number, text: string): void {
    const clean = collapseWhitespace(text);
    if (clean === "") return;
    while (this.headings.length > 0 && this.headings[this.headings.length - 1]!.level >= level) {
      this.headings.pop();
    }
    this.headings.push({ level, text: clean });
  }

  /** Adds a block under the current headings; whitespace runs are collapsed (code keeps its layout). */
  add(kind: BlockKind, text: string, page: number | null = null): void {
    const clean = normaliseBlockText(kind, text);
    if (clean === "") return;
    this.push({ page, sectionPath: this.sectionPath(), text: clean, kind });
  }

  /**
   * The document of a format without pages, counted in page equivalents of its text; throws
   * `ParseError("empty")` when no text was found.
   */
  toDocument(options: { title?: string; emptyMessage?: string } = {}): ParsedDocument {
    if (this.blocks.length === 0) throw new ParseError("empty", options.emptyMessage ?? "the file is empty");
    const title = options.title ? collapseWhitespace(options.title) : "";
    const pageCount = pageEquivalents(this.chars);
    return title ? { pageCount, blocks: this.blocks, title } : { pageCount, blocks: this.blocks };
  }

  private sectionPath(): string[] {
    return this.headings.map((heading) => heading.text);
  }

  private push(block: TextBlock): void {
    this.chars += block.text.length;
    if (this.chars > this.limits.maxTextChars) {
      throw new ParseError("too_large", "the document holds more text than can be indexed");
    }
    this.blocks.push(block);
  }
}
