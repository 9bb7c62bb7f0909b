import { BlockBuilder, collapseWhitespace } from "./block-builder";
import { decodeText } from "./text";
import { DEFAULT_PARSE_LIMITS, type ParsedDocument, type ParseLimits } from "./types";

// Block syntax of CommonMark/GFM that matters for text: the rest is read as paragraph text.
const FRONT_MATTER = /^(?:---[ \t]*\n[\s\S]*?\n(?:---|\.\.\.)|\+\+\+[ \t]*\n[\s\S]*?\n\+\+\+)[ \t]*(?:\n|$)/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const BLOCKQUOTE = /^ {0,3}>[ \t]?/;
const INDENTED_CODE = /^(?: {4}|\t)/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:[ \t]+\S/;
const HTML_COMMENT = /^ {0,3}<!--/;

const isBlank = (line: string) => line.trim() === "";
// Without a pipe, a dashed line under text is a setext heading, not a table.
const isTableDelimiter = (line: string) => line.includes("|") && TABLE_DELIMITER.test(line);

// Link text and targets stop at any bracket (targets may hold one level of parentheses), so a line
// of unclosed brackets is read in linear time.
const LINK =
  /!?\[([^[\]\n]{0,500})\]\((?:[^()[\]\s]|\([^()\s]{0,500}\)){0,2000}(?:\s+"[^"\n]{0,500}")?\)|!?\[([^[\]\n]{1,500})\]\[[^[\]\n]{0,500}\]/g;

/** Keeps the visible text of links and images (`[text](url)`, `![alt](src)`, `[text][ref]`). */
function stripLinkTargets(text: string): string {
  const visible = (_: string, inline?: string, reference?: string) => String(inline ?? reference);
  // Twice, for the usual nesting: an image inside a link (`[![alt](src)](url)`).
  return text.replace(LINK, visible).replace(LINK, visible);
}

/** The text of an ATX heading without its optional closing run of `#`. */
function withoutClosingHashes(text: string): string {
  const trimmed = text.trimEnd();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === "#") end--;
  return end === 0 || end === trimmed.length || /[ \t]/.test(trimmed[end - 1]!)
    ? trimmed.slice(0, end)
    : trimmed;
}

function tableCells(row: string): string[] {
  const cells = row
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/);
  return cells.map((cell) => stripLinkTargets(cell.trim()));
}

/** Reads Markdown line by line into blocks; headings become the section path of what follows them. */
class MarkdownReader {
  private readonly out: BlockBuilder;
  private paragraph: string[] = [];
  private index = 0;
  title: string | undefined;

  constructor(
    private readonly lines: string[],
    limits: ParseLimits,
  ) {
    this.out = new BlockBuilder(limits);
  }

  read(): BlockBuilder {
    while (this.index < this.lines.length) this.readBlock(this.lines[this.index]!);
    this.flushParagraph();
    return this.out;
  }

  /** Reads the block that starts at the current line and moves past it. */
  private readBlock(line: string): void {
    const fence = FENCE_OPEN.exec(line);
    const atx = ATX_HEADING.exec(line);
    const underline = this.paragraph.length > 0 ? SETEXT_UNDERLINE.exec(line) : null;
    if (fence) {
      this.readFencedCode(fence[1]!);
    } else if (atx) {
      this.readHeading(atx[1]!.length, withoutClosingHashes(atx[2] ?? ""));
    } else if (underline) {
      const text = this.paragraph.join(" ");
      this.paragraph = [];
      this.readHeading(underline[1]!.startsWith("=") ? 1 : 2, text);
    } else if (THEMATIC_BREAK.test(line) || isBlank(line)) {
      this.skipLine();
    } else if (HTML_COMMENT.test(line)) {
      this.skipComment();
    } else if (LINK_DEFINITION.test(line) && this.paragraph.length === 0) {
      this.skipLine();
    } else if (line.includes("|") && isTableDelimiter(this.lines[this.index + 1] ?? "")) {
      this.readTable();
    } else if (LIST_ITEM.test(line)) {
      this.readList();
    } else if (INDENTED_CODE.test(line) && this.paragraph.length === 0) {
      this.readIndentedCode();
    } else {
      this.paragraph.push(line.replace(BLOCKQUOTE, ""));
      this.index++;
    }
  }

  private flushParagraph(): void {
    if (this.paragraph.length === 0) return;
    this.out.add("paragraph", stripLinkTargets(this.paragraph.join("\n")));
    this.paragraph = [];
  }

  private skipLine(): void {
    this.flushParagraph();
    this.index++;
  }

  private skipComment(): void {
    this.flushParagraph();
    while (this.index < this.lines.length && !this.lines[this.index]!.includes("-->")) this.index++;
    this.index++;
  }

  private readHeading(level: number, text: string): void {
    this.flushParagraph();
    const clean = stripLinkTargets(text);
    if (level === 1 && this.title === undefined && !isBlank(clean)) this.title = collapseWhitespace(clean);
    this.out.heading(level, clean);
    this.index++;
  }

  private readFencedCode(opening: string): void {
    this.flushParagraph();
    // A fence closes with a run of the same character at least as long as the one that opened it.
    const closing = new RegExp(`^ {0,3}${opening[0] === "`" ? "`" : "~"}{${opening.length},}[ \\t]*$`);
    const code: string[] = [];
    this.index++;
    while (this.index < this.lines.length && !closing.test(this.lines[this.index]!)) {
      code.push(this.lines[this.index]!);
      this.index++;
    }
    this.index++;
    this.out.add("code", code.join("\n"));
  }

  private readIndentedCode(): void {
    const code: string[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!;
      if (!INDENTED_CODE.test(line) && !isBlank(line)) break;
      code.push(line.replace(INDENTED_CODE, ""));
      this.index++;
    }
    this.out.add("code", code.join("\n"));
  }

  private readTable(): void {
    this.flushParagraph();
    const rows = [tableCells(this.lines[this.index]!).join(" | ")];
    this.index += 2;
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!;
      if (isBlank(line) || !line.includes("|")) break;
      rows.push(tableCells(line).join(" | "));
      this.index++;
    }
    this.out.add("table", rows.join("\n"));
  }

  /** A list runs on through continuation lines and blank lines until a line that is neither indented nor an item. */
  private readList(): void {
    this.flushParagraph();
    const items: string[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!;
      if (
        items.length > 0 &&
        (FENCE_OPEN.test(line) || ATX_HEADING.test(line) || THEMATIC_BREAK.test(line))
      ) {
        break;
      } else if (LIST_ITEM.test(line)) {
        items.push(line.trim());
      } else if (isBlank(line)) {
        const next = this.lines[this.index + 1] ?? "";
        if (!LIST_ITEM.test(next) && !/^[ \t]/.test(next)) break;
      } else {
        items[items.length - 1] += ` ${line.trim()}`;
      }
      this.index++;
    }
    this.out.add("list", stripLinkTargets(items.join("\n")));
  }
}

/**
 * Parses Markdown: headings become the section path, front matter is dropped, fenced and
 * indented code is kept as code, pipe tables as one row a line, lists as one item a line.
 */
export function parseMarkdown(bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedDocument {
  const source = decodeText(bytes).replace(/\r\n?/g, "\n").replace(FRONT_MATTER, "");
  const reader = new MarkdownReader(source.split("\n"), limits);
  const out = reader.read();
  return out.toDocument({ title: reader.title });
}
