import { parseHTML } from "linkedom";
import { type BlockBuilder, collapseWhitespace } from "./block-builder";
import { tableRowText } from "./table-row-text";

/** The slice of linkedom's DOM that the walk uses (the Workers type library has no DOM types). */
export interface HtmlNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<HtmlNode>;
  getAttribute?(name: string): string | null;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const BLOCK_ELEMENTS = new Set(["P", "LI", "UL", "OL", "TABLE", "H1", "H2", "H3", "H4", "H5", "H6"]);

/**
 * Adds the blocks of mammoth's HTML in reading order: headings (h1-h6) become the section path,
 * lists and tables are kept as lines, and the footnotes and endnotes mammoth lists at the end become "note" blocks.
 * The HTML is a string, or the tree mammoth's writer built of it (docx-html-tree.ts), the same
 * walk reading both.
 */
export function addMammothHtml(builder: BlockBuilder, html: string | HtmlNode): void {
  const body =
    typeof html === "string"
      ? (parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body as unknown as HtmlNode)
      : html;
  for (const node of childElements(body)) {
    const heading = /^H([1-6])$/.exec(node.nodeName);
    if (heading) builder.heading(Number(heading[1]), textOf(node));
    else if (node.nodeName === "UL" || node.nodeName === "OL") addList(builder, node);
    else if (node.nodeName === "TABLE") builder.add("table", tableRows(node).join("\n"));
    else builder.add("paragraph", textOf(node));
  }
}

function addList(builder: BlockBuilder, list: HtmlNode): void {
  const items = childElements(list).filter((item) => item.nodeName === "LI");
  // mammoth renders footnotes and endnotes as a final list whose items are "footnote-N" / "endnote-N".
  if (items.length > 0 && items.every((item) => /^(foot|end)note-/.test(item.getAttribute?.("id") ?? ""))) {
    for (const item of items) builder.add("note", textOf(item));
  } else {
    builder.add("list", listLines(list).join("\n"));
  }
}

function listLines(list: HtmlNode): string[] {
  const lines: string[] = [];
  let number = 1;
  for (const item of childElements(list)) {
    const nested = childElements(item).filter((node) => node.nodeName === "UL" || node.nodeName === "OL");
    const marker = list.nodeName === "OL" ? `${number++}.` : "-";
    lines.push(`${marker} ${collapseWhitespace(textOf(item, new Set(nested)))}`);
    for (const sublist of nested) lines.push(...listLines(sublist));
  }
  return lines;
}

function tableRows(table: HtmlNode): string[] {
  const rows: string[] = [];
  for (const node of childElements(table)) {
    if (node.nodeName === "TR") rows.push(rowText(node));
    else {
      rows.push(...tableRows(node)); // thead, tbody, tfoot
    }
  }
  return rows;
}

function rowText(row: HtmlNode): string {
  const cells = childElements(row).filter((cell) => cell.nodeName === "TD" || cell.nodeName === "TH");
  return tableRowText(cells.map((cell) => collapseWhitespace(textOf(cell))));
}

/** Text of a node with block boundaries as line breaks, without note references and back-links. */
function textOf(node: HtmlNode, skip: Set<HtmlNode> = new Set()): string {
  let text = "";
  for (const childNode of Array.from(node.childNodes)) {
    if (skip.has(childNode)) continue;
    if (childNode.nodeType === TEXT_NODE) text += childNode.nodeValue ?? "";
    else if (childNode.nodeType !== ELEMENT_NODE) continue;
    else if (childNode.nodeName === "BR") text += "\n";
    else if (isNoteLink(childNode)) continue;
    else if (BLOCK_ELEMENTS.has(childNode.nodeName)) text += `\n${textOf(childNode)}\n`;
    else if (childNode.nodeName === "TR") text += `\n${rowText(childNode)}\n`;
    else text += textOf(childNode);
  }
  return text;
}

// "[1]" in the text and "↑" after the note: links between a note and its reference.
function isNoteLink(node: HtmlNode): boolean {
  return node.nodeName === "A" && /^#(foot|end)note-/.test(node.getAttribute?.("href") ?? "");
}

function childElements(node: HtmlNode): HtmlNode[] {
  return Array.from(node.childNodes).filter((childNode) => childNode.nodeType === ELEMENT_NODE);
}
