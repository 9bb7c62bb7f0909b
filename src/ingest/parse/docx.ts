import { zipSync } from "fflate";
import mammoth from "mammoth";
import { log } from "../../lib/log";
import { BlockBuilder, collapseWhitespace } from "./block-builder";
import { splitBody } from "./docx-body";
import { addMammothHtml } from "./docx-html";
import {
  findMainPart,
  type Relationship,
  readPackageTitle,
  readPartText,
  readRelationships,
  readXmlPart,
  relationshipsPartOf,
} from "./ooxml-package";
import { DEFAULT_PARSE_LIMITS, type ParsedDocument, ParseError, type ParseLimits } from "./types";
import { textBoxesWithoutFallback, wordprocessingLines } from "./wordprocessing-text";
import { child, parseXml, withoutDoctype } from "./xml";
import { ZipArchive } from "./zip";

// mammoth peaks at ~30 times the document.xml it reads: 400k characters keep it near 12 MB.
const BATCH_CHARS = 400_000;

// The parts mammoth reads beside document.xml (comments are left out: they are not the document's text).
const MAMMOTH_PART_TYPES = new Set(["styles", "numbering", "footnotes", "endnotes"]);

const ignoreImages = mammoth.images.imgElement(async () => ({ src: "" }));

/**
 * Extracts the text of a DOCX: the body through mammoth (headings as section paths, lists,
 * tables, footnotes and endnotes), plus headers, footers and the text boxes mammoth misses, read
 * from the package XML. The zip is checked whole before anything is inflated, and mammoth only
 * ever sees a package rebuilt from parts we inflated and stripped of any DOCTYPE.
 */
export async function parseDocx(
  bytes: Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedDocument> {
  const zip = ZipArchive.open(bytes, limits);
  const main = findMainPart(zip, limits);
  if (!main) throw new ParseError("unsupported", "the file is not a Word document");
  const body = splitBody(withoutDoctype(readPartText(zip, main)!), limits, BATCH_CHARS);
  const relationships = readRelationships(zip, main, limits);
  const builder = new BlockBuilder(limits);
  addHeadersAndFooters(builder, zip, relationships, limits);
  const parts = mammothParts(zip, main, relationships);
  for (const batch of body.batches) {
    const documentXml = body.documentOf(batch);
    parts[main] = new TextEncoder().encode(documentXml);
    addMammothHtml(builder, await convertToHtml(parts));
    if (batch.hasTextBox) addMissedTextBoxes(builder, documentXml, limits);
  }
  return builder.toDocument({
    title: readPackageTitle(zip, limits),
    emptyMessage: "the document contains no text",
  });
}

/** Headers and footers first, each distinct text once: Word repeats them on every page. */
function addHeadersAndFooters(
  builder: BlockBuilder,
  zip: ZipArchive,
  relationships: Relationship[],
  limits: ParseLimits,
): void {
  const added = new Set<string>();
  for (const kind of ["header", "footer"] as const) {
    const parts = new Set(
      relationships.filter((rel) => rel.type === kind && !rel.external).map((rel) => rel.target),
    );
    for (const part of parts) {
      const root = readXmlPart(zip, part, limits);
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
function mammothParts(
  zip: ZipArchive,
  main: string,
  relationships: Relationship[],
): Record<string, Uint8Array> {
  const names = ["[Content_Types].xml", "_rels/.rels", relationshipsPartOf(main)];
  for (const rel of relationships) {
    if (MAMMOTH_PART_TYPES.has(rel.type) && !rel.external)
      names.push(rel.target, relationshipsPartOf(rel.target));
  }
  const parts: Record<string, Uint8Array> = {};
  for (const name of names) {
    const text = readPartText(zip, name);
    if (text !== null) parts[name] = new TextEncoder().encode(withoutDoctype(text));
  }
  return parts;
}

async function convertToHtml(parts: Record<string, Uint8Array>): Promise<string> {
  // Stored, not deflated: the package only lives long enough for mammoth to read it.
  const docx = zipSync(parts, { level: 0 });
  // Vite (tests) resolves mammoth's Node build, which reads `buffer`; wrangler bundles its browser
  // build, which reads `arrayBuffer`.
  const input = { buffer: docx, arrayBuffer: docx.buffer };
  try {
    const result = await mammoth.convertToHtml(input, { convertImage: ignoreImages });
    return result.value;
  } catch (error) {
    log("warn", "docx_parser_failed", {}, error);
    throw new ParseError("corrupt", "the Word document could not be read; it may be damaged");
  }
}
