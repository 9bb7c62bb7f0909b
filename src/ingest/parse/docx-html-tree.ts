/*
 * mammoth writes its HTML through a writer (open, close, text, selfClosing) which joins it into a
 * string, and the DOCX parser then had linkedom parse that string back into a tree to walk it:
 * about a tenth of a DOCX message's parsing. `HtmlTreeWriter` takes the writer's calls and builds
 * the tree linkedom would have built, as far as it can be sure of it: linkedom's parser
 * (htmlparser2) closes some elements when others open inside them (a paragraph in a paragraph, a
 * row in a cell) and treats void elements its own way. Where any of that could apply, or a tag
 * is one mammoth's default style map never writes, the tree is not used and the same calls are
 * written out as mammoth would have written them, for linkedom to parse as before.
 */

/** An element or text node, in the shape the DOCX walk reads (linkedom's DOM has the same). */
export interface HtmlTreeNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: HtmlTreeNode[];
  getAttribute?(name: string): string | null;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

class TreeElement implements HtmlTreeNode {
  readonly nodeType = ELEMENT_NODE;
  readonly nodeValue = null;
  readonly childNodes: HtmlTreeNode[] = [];
  readonly nodeName: string;
  constructor(
    readonly tagName: string,
    readonly attributes: Record<string, string>,
    /** Written as `<tag />`. */
    readonly selfClosing: boolean,
  ) {
    this.nodeName = tagName.toUpperCase();
  }
  getAttribute(name: string): string | null {
    return Object.hasOwn(this.attributes, name) ? this.attributes[name]! : null;
  }
}

class TreeText implements HtmlTreeNode {
  readonly nodeType = TEXT_NODE;
  readonly nodeName = "#text";
  readonly childNodes: HtmlTreeNode[] = [];
  constructor(readonly nodeValue: string) {}
}

/** The tags mammoth writes with its default style map, none of them foreign (svg, math) or raw text (script, style). */
const KNOWN_TAGS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "table",
  "thead",
  "tbody",
  "tr",
  "td",
  "th",
  "a",
  "strong",
  "em",
  "u",
  "s",
  "sup",
  "sub",
  "span",
  "br",
  "img",
]);

/** Of KNOWN_TAGS, the void elements (written `<br />`, never opened). */
const VOID_TAGS = new Set(["br", "img"]);

// htmlparser2's openImpliesClose for KNOWN_TAGS: opening the key closes an open parent among the values.
const P_ONLY = new Set(["p"]);
const IMPLIED_CLOSES = new Map<string, ReadonlySet<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["li", new Set(["li"])],
  ["p", P_ONLY],
  ["h1", P_ONLY],
  ["h2", P_ONLY],
  ["h3", P_ONLY],
  ["h4", P_ONLY],
  ["h5", P_ONLY],
  ["h6", P_ONLY],
  ["ol", P_ONLY],
  ["ul", P_ONLY],
  ["table", P_ONLY],
  ["tbody", new Set(["thead", "tbody"])],
]);

/** What mammoth's own writer gives: its HTML as a string (lib/writers/html-writer.js's simple writer). */
export interface MammothWriter {
  open(tagName: string, attributes: Record<string, string>): void;
  close(tagName: string): void;
  text(value: string): void;
  selfClosing(tagName: string, attributes: Record<string, string>): void;
  asString(): string;
}

/**
 * A writer for mammoth's document converter that builds the HTML's tree. `asString()` is the root
 * whose children are the top-level nodes, or the HTML string (written by `htmlWriter`, mammoth's
 * own) where the tree could differ from what linkedom builds of that string.
 */
export class HtmlTreeWriter {
  readonly #root = new TreeElement("body", {}, false);
  readonly #stack: TreeElement[] = [this.#root];
  #sure = true;

  constructor(private readonly htmlWriter: () => MammothWriter) {}

  open(tagName: string, attributes: Record<string, string>): void {
    this.#sure &&= this.#opensPlainly(tagName) && !VOID_TAGS.has(tagName);
    const element = new TreeElement(tagName, attributes, false);
    this.#top().childNodes.push(element);
    this.#stack.push(element);
  }

  close(tagName: string): void {
    const element = this.#stack.pop();
    this.#sure &&= element !== undefined && element !== this.#root && element.tagName === tagName;
    if (this.#stack.length === 0) this.#stack.push(this.#root);
  }

  text(value: string): void {
    this.#top().childNodes.push(new TreeText(value));
  }

  selfClosing(tagName: string, attributes: Record<string, string>): void {
    this.#sure &&= this.#opensPlainly(tagName) && VOID_TAGS.has(tagName);
    this.#top().childNodes.push(new TreeElement(tagName, attributes, true));
  }

  /**
   * The tree's root, or the HTML string where only linkedom can say what it parses to (mammoth
   * takes it as its result: the name is its writer's).
   */
  asString(): HtmlTreeNode | string {
    if (this.#sure && this.#stack.length === 1) return this.#root;
    const writer = this.htmlWriter();
    writeNodes(writer, this.#root.childNodes);
    return writer.asString();
  }

  #top(): TreeElement {
    return this.#stack[this.#stack.length - 1]!;
  }

  /** A known tag whose opening leaves its parent open in htmlparser2. */
  #opensPlainly(tagName: string): boolean {
    return KNOWN_TAGS.has(tagName) && !IMPLIED_CLOSES.get(tagName)?.has(this.#top().tagName);
  }
}

/** Writes the nodes again through `writer`, call for call as mammoth made them. */
function writeNodes(writer: MammothWriter, nodes: HtmlTreeNode[]): void {
  for (const node of nodes) {
    if (node instanceof TreeText) writer.text(node.nodeValue);
    else if (node instanceof TreeElement) {
      if (node.selfClosing) writer.selfClosing(node.tagName, node.attributes);
      else {
        writer.open(node.tagName, node.attributes);
        writeNodes(writer, node.childNodes);
        writer.close(node.tagName);
      }
    }
  }
}
