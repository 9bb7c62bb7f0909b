import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { BlockBuilder, collapseWhitespace } from "./block-builder";
import { decodeText } from "./text";
import { DEFAULT_PARSE_LIMITS, type ParsedDocument, ParseError, type ParseLimits } from "./types";

/** The part of linkedom's DOM this parser reads (the worker types have no DOM library). */
interface DomElement {
  readonly nodeType: number;
  readonly localName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomElement>;
  readonly parentNode: DomElement | null;
  closest(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

// Page chrome and non-text elements, dropped before Readability runs and from the fallback body.
const BOILERPLATE =
  "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, canvas, button, select, textarea, input, object, embed";

// Elements that end the running paragraph; everything else is inline text.
const BLOCK_TAGS = new Set(
  "address article blockquote body caption center dd details dialog div dl dt fieldset figcaption figure hgroup hr li main p section summary".split(
    " ",
  ),
);

/** Turns a (cleaned) DOM subtree into blocks: headings open sections, tables keep one row a line. */
class HtmlBlockWriter {
  private running = "";

  constructor(private readonly out: BlockBuilder) {}

  write(node: DomElement): void {
    if (node.nodeType === TEXT_NODE) {
      this.running += node.textContent ?? "";
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = node.localName;
    if (/^h[1-6]$/.test(tag)) {
      this.flush();
      this.out.heading(Number(tag[1]), node.textContent ?? "");
    } else if (tag === "table") {
      this.flush();
      this.out.add("table", tableRows(node).join("\n"));
    } else if (tag === "ul" || tag === "ol") {
      this.flush();
      const items = Array.from(node.childNodes).filter((child) => child.localName === "li");
      this.out.add("list", items.map((item) => collapseWhitespace(item.textContent ?? "")).join("\n"));
    } else if (tag === "pre") {
      this.flush();
      this.out.add("code", node.textContent ?? "");
    } else if (tag === "br") {
      this.running += "\n";
    } else {
      const isBlock = BLOCK_TAGS.has(tag);
      if (isBlock) this.flush();
      for (const child of Array.from(node.childNodes)) this.write(child);
      if (isBlock) this.flush();
    }
  }

  flush(): void {
    this.out.add("paragraph", this.running);
    this.running = "";
  }
}

/** The rows of a table (not of tables nested in it), cells separated by " | ". */
function tableRows(table: DomElement): string[] {
  return Array.from(table.querySelectorAll("tr"))
    .filter((row) => row.closest("table") === table)
    .map((row) =>
      Array.from(row.childNodes)
        .filter((cell) => cell.localName === "td" || cell.localName === "th")
        .map((cell) => collapseWhitespace(cell.textContent ?? ""))
        .filter((cell) => cell !== "")
        .join(" | "),
    );
}

/**
 * True when elements nest deeper than `limit`. Walks in document order (parents first), without
 * recursion: what reads the tree next works level by level (Readability spent over 100 s on the
 * ~35k levels of a fuzzed page, and this parser's own walk recurses).
 */
function nestsDeeperThan(document: DomElement, limit: number): boolean {
  const depths = new Map<DomElement, number>();
  for (const element of Array.from(document.querySelectorAll("*"))) {
    const depth = (element.parentNode ? (depths.get(element.parentNode) ?? 0) : 0) + 1;
    if (depth > limit) return true;
    depths.set(element, depth);
  }
  return false;
}

function removeBoilerplate(root: DomElement): void {
  for (const element of Array.from(root.querySelectorAll(BOILERPLATE))) element.remove();
}

/**
 * Parses an HTML page into its main content: Mozilla Readability picks the article; when it finds
 * none, the body without page chrome is used. Throws `ParseError("hostile")` for nesting deeper
 * than `limits.maxNestingDepth`.
 */
export function parseHtml(bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedDocument {
  const source = decodeText(bytes);
  // linkedom leaves the body empty for a bare fragment (no <html> or <body>): give it one.
  const html = /<(?:html|body)[\s>]/i.test(source)
    ? source
    : `<!DOCTYPE html><html><body>${source}</body></html>`;
  // linkedom builds its tree without recursion, so even hostile nesting can be measured once parsed.
  const { document } = parseHTML(html);
  if (nestsDeeperThan(document, limits.maxNestingDepth)) {
    throw new ParseError("hostile", "the page is nested too deeply to be read safely");
  }
  const title = collapseWhitespace(document.title ?? "");
  removeBoilerplate(document);
  const article = new Readability<DomElement>(document, {
    serializer: (element) => element as DomElement,
  }).parse();
  const hasArticle = article?.content && collapseWhitespace(article.textContent ?? "") !== "";
  // Readability rearranges the document it reads, so the fallback starts from a fresh parse.
  const root: DomElement | null = hasArticle ? article.content! : parseHTML(html).document.body;
  const out = new BlockBuilder(limits);
  if (root) {
    if (!hasArticle) removeBoilerplate(root);
    const writer = new HtmlBlockWriter(out);
    writer.write(root);
    writer.flush();
  }
  return out.toDocument({ title: article?.title || title, emptyMessage: "the page has no readable text" });
}
