import { log } from "../../lib/log";
import { BlockBuilder, collapseWhitespace } from "./block-builder";
import { type SplitBody, splitBody } from "./docx-body";
import { addMammothHtml } from "./docx-html";
import type { HtmlTreeNode } from "./docx-html-tree";
import { mammothHtml } from "./docx-mammoth";
import {
  findMainPart,
  type Relationship,
  readPackageTitle,
  readPartText,
  readPartTextInflated,
  readRelationships,
  readXmlPartInflated,
  relationshipsPartOf,
} from "./ooxml-package";
import {
  DEFAULT_PARSE_LIMITS,
  type ParsedDocument,
  ParseError,
  type ParseLimits,
  type TextBlock,
} from "./types";
import { textBoxesWithoutFallback, wordprocessingLines } from "./wordprocessing-text";
import { child, findAll, parseXml, withoutDoctype } from "./xml";
import { ZipArchive } from "./zip";

// mammoth peaks at ~30 times the document.xml it reads: 150k characters keep it near 5 MB.
const BATCH_CHARS = 150_000;

// The parts mammoth reads beside document.xml (comments are left out: they are not the document's text).
const MAMMOTH_PART_TYPES = new Set(["styles", "numbering", "footnotes", "endnotes"]);

/**
 * Extracts the text of a DOCX: the body through mammoth (headings as section paths, lists,
 * tables, footnotes and endnotes), plus headers, footers and the text boxes mammoth misses, read
 * from the package XML. The zip is checked whole before anything is inflated, and mammoth only
 * ever sees parts we inflated and stripped of any DOCTYPE.
 */
export async function parseDocx(
  bytes: Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedDocument> {
  const { blocks, pageCount } = await parseDocxPages(bytes, limits, 1, Number.POSITIVE_INFINITY);
  const builder = new BlockBuilder(limits);
  builder.blocks.push(...blocks);
  const zip = ZipArchive.open(bytes, limits);
  const document = builder.toDocument({
    title: readPackageTitle(zip, limits),
    emptyMessage: "the document contains no text",
  });
  return { ...document, pageCount };
}

/**
 * The blocks of the body elements that start on page equivalents `first` to `last` (counted on
 * the body's text), so that one queue message converts only its own pages: document.xml is read
 * and scanned once per message (no tree), and mammoth converts the range in small batches. The
 * headings of earlier pages are the range's section path; headers and footers come with page 1.
 */
export async function parseDocxPages(
  bytes: Uint8Array,
  limits: ParseLimits,
  first: number,
  last: number,
): Promise<{ blocks: TextBlock[]; pageCount: number; lastPage: number }> {
  const { zip, main, body, relationships, mammothParts } = await openDocx(bytes, limits);
  const builder = new BlockBuilder(limits);
  if (first === 1) await addHeadersAndFooters(builder, zip, relationships, limits);
  else await enterEarlierSections(builder, zip, relationships, body.styledBefore(first), limits);
  // A copy: each batch puts its own document.xml in it, and the opened package may be shared.
  const parts = new Map(mammothParts);
  for (const batch of body.batchesOf(first, last, BATCH_CHARS)) {
    const documentXml = body.documentOf(batch);
    parts.set(main, documentXml);
    addMammothHtml(builder, await convertToHtml(parts));
    if (batch.hasTextBox) addMissedTextBoxes(builder, documentXml, limits);
  }
  return { blocks: builder.blocks, pageCount: body.pageCount, lastPage: Math.min(last, body.pageCount) };
}

/** A package read and its body split, as every message of the document needs them. */
interface OpenDocx {
  zip: ZipArchive;
  main: string;
  body: SplitBody;
  relationships: Relationship[];
  /** The parts mammoth reads besides document.xml. */
  mammothParts: ReadonlyMap<string, string>;
}

/**
 * The last DOCX this isolate opened, by its bytes' SHA-256: a long document's messages usually
 * run one after another on the same isolate, and each inflated, decoded and scanned the whole of
 * document.xml again to find its own pages (the handbook's 5 MB, 11 times: half of its CPU).
 * Keyed by content, it can only ever answer for the very same file; one is held at a time, and
 * for at most OPEN_DOCX_IDLE_MS.
 */
let lastOpened: { digest: string; limits: ParseLimits; at: number; docx: OpenDocx } | undefined;

/** How long the last opened DOCX may wait for its document's next message. */
const OPEN_DOCX_IDLE_MS = 60_000;

async function openDocx(bytes: Uint8Array, limits: ParseLimits): Promise<OpenDocx> {
  const digest = toHex(await crypto.subtle.digest("SHA-256", bytes));
  const now = Date.now();
  if (
    lastOpened?.digest === digest &&
    lastOpened.limits === limits &&
    now - lastOpened.at < OPEN_DOCX_IDLE_MS
  ) {
    lastOpened.at = now;
    return lastOpened.docx;
  }
  lastOpened = undefined; // freed before the next one is read
  const zip = ZipArchive.open(bytes, limits);
  const main = findMainPart(zip, limits);
  if (!main) throw new ParseError("unsupported", "the file is not a Word document");
  const body = splitBody(withoutDoctype(readPartText(zip, main)!), limits);
  const relationships = readRelationships(zip, main, limits);
  const docx = { zip, main, body, relationships, mammothParts: await mammothParts(zip, main, relationships) };
  lastOpened = { digest, limits, at: now, docx };
  return docx;
}

/** Drops the last opened DOCX (benchmarks start each run of a file afresh). */
export function forgetOpenedDocx(): void {
  lastOpened = undefined;
}

function toHex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The section path where a later range starts: the paragraphs before it whose style mammoth turns
 * into headings ("heading 1" to "heading 6", by the style's name in styles.xml).
 */
async function enterEarlierSections(
  builder: BlockBuilder,
  zip: ZipArchive,
  relationships: Relationship[],
  styled: { id: string; text: string }[],
  limits: ParseLimits,
): Promise<void> {
  const stylesRel = relationships.find((rel) => rel.type === "styles" && !rel.external);
  const styles = stylesRel ? await readXmlPartInflated(zip, stylesRel.target, limits) : null;
  if (!styles) return;
  const levels = new Map<string, number>();
  for (const style of findAll(styles, "w:style")) {
    const name = child(style, "w:name")?.attributes["w:val"] ?? "";
    const heading = /^heading\s*([1-6])$/i.exec(name);
    if (heading) levels.set(style.attributes["w:styleId"] ?? "", Number(heading[1]));
  }
  for (const paragraph of styled) {
    const level = levels.get(paragraph.id);
    if (level) builder.enterSection(level, paragraph.text);
  }
}

/** Headers and footers first, each distinct text once: Word repeats them on every page. */
async function addHeadersAndFooters(
  builder: BlockBuilder,
  zip: ZipArchive,
  relationships: Relationship[],
  limits: ParseLimits,
): Promise<void> {
  const added = new Set<string>();
  for (const kind of ["header", "footer"] as const) {
    const parts = new Set(
      relationships.filter((rel) => rel.type === kind && !rel.external).map((rel) => rel.target),
    );
    for (const part of parts) {
      const root = await readXmlPartInflated(zip, part, limits);
      const text = root ? collapseWhitespace(wordprocessingLines(root).join("\n")) : "";
      if (added.has(`${kind}:${text}`)) continue;
      added.add(`${kind}:${text}`);
      builder.add(kind, text);
    }
  }
}

function addMissedTextBoxes(builder: BlockBuilder, documentXml: string, limits: ParseLimits): void {
  const body = child(parseXml(documentXml, limits), "w:body");
  if (!body) return;
  for (const textBox of textBoxesWithoutFallback(body)) {
    builder.add("paragraph", wordprocessingLines(textBox).join("\n"));
  }
}

/** The parts mammoth reads, inflated and stripped of any DOCTYPE (document.xml is added per batch). */
async function mammothParts(
  zip: ZipArchive,
  main: string,
  relationships: Relationship[],
): Promise<Map<string, string>> {
  const names = ["[Content_Types].xml", "_rels/.rels", relationshipsPartOf(main)];
  for (const rel of relationships) {
    if (MAMMOTH_PART_TYPES.has(rel.type) && !rel.external)
      names.push(rel.target, relationshipsPartOf(rel.target));
  }
  const parts = new Map<string, string>();
  for (const name of names) {
    const text = await readPartTextInflated(zip, name);
    if (text !== null) parts.set(name, withoutDoctype(text));
  }
  return parts;
}

async function convertToHtml(parts: ReadonlyMap<string, string>): Promise<HtmlTreeNode | string> {
  try {
    return await mammothHtml(parts);
  } catch (error) {
    log("warn", "docx_parser_failed", {}, error);
    throw new ParseError("corrupt", "the Word document could not be read; it may be damaged");
  }
}
