import { BlockBuilder, collapseWhitespace } from "./block-builder";
import { type ShapeText, shapeTexts } from "./drawingml-text";
import {
  findMainPart,
  type Relationship,
  readPackageTitle,
  readPartText,
  readRelationships,
  readXmlPart,
} from "./ooxml-package";
import {
  DEFAULT_PARSE_LIMITS,
  type ParsedDocument,
  ParseError,
  type ParseLimits,
  type TextBlock,
} from "./types";
import { child, elements, parseXml, rootElementName, type XmlElement } from "./xml";
import { ZipArchive } from "./zip";

const TITLE_PLACEHOLDERS = new Set(["title", "ctrTitle"]);
// Slide numbers, dates and the slide thumbnail of a notes page are filled in by PowerPoint.
const SKIPPED_PLACEHOLDERS = new Set(["sldNum", "dt", "sldImg"]);

/**
 * Extracts the text of a PPTX slide by slide (hidden ones too), in presentation order: every
 * shape's text in document order (grouped shapes, tables, SmartArt), the text a slide shows from
 * its layout and master, then its speaker notes. The page of a block is its 1-based slide number.
 */
export async function parsePptx(
  bytes: Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedDocument> {
  const { blocks, pageCount } = await parsePptxSlides(bytes, limits, 1, Number.POSITIVE_INFINITY);
  if (blocks.length === 0) throw new ParseError("empty", "the presentation contains no text");
  const title = readPackageTitle(ZipArchive.open(bytes, limits), limits);
  return title ? { pageCount, blocks, title } : { pageCount, blocks };
}

/**
 * Slide XML one queue message reads at most, by the sizes the package declares: a slide's parse
 * tree takes ~25 times its XML, and a deck of code listings has 1.7 MB slides (HowWeRefactor.pptx's
 * first 25 slides, 6.8 MB of XML, peaked at +84 MB in one message).
 */
export const SLIDE_XML_BYTES_PER_BATCH = 1024 * 1024;

/**
 * The blocks of slides `first` to `last` (1-based, in presentation order), so that one queue
 * message reads only its own slides, their notes and templates: presentation.xml (the slide list)
 * is read whole, each slide part only when its turn comes. The range ends early (`lastPage`) before
 * a slide that would take the slides' XML past `maxSlideXmlBytes` (the first slide always joins). A
 * layout's or master's text is added on the first slide of the range that shows it.
 */
export async function parsePptxSlides(
  bytes: Uint8Array,
  limits: ParseLimits,
  first: number,
  last: number,
  maxSlideXmlBytes = Number.POSITIVE_INFINITY,
): Promise<{ blocks: TextBlock[]; pageCount: number; lastPage: number }> {
  const zip = ZipArchive.open(bytes, limits);
  const main = findMainPart(zip, limits);
  const text = main ? readPartText(zip, main) : null;
  // Checked on the root element alone: a Word document's body may be large.
  if (!main || !text || rootElementName(text, limits) !== "p:presentation") {
    throw new ParseError("unsupported", "the file is not a PowerPoint presentation");
  }
  const presentation = parseXml(text, limits);
  const slides = slideParts(presentation, readRelationships(zip, main, limits));
  const deck = new DeckReader(zip, limits);
  let lastPage = first - 1;
  let xmlBytes = 0;
  for (let page = first; page <= Math.min(last, slides.length); page++) {
    const slide = slides[page - 1]!;
    xmlBytes += zip.sizeOf(slide);
    if (page > first && xmlBytes > maxSlideXmlBytes) break;
    deck.addSlide(slide, page);
    lastPage = page;
  }
  return { blocks: deck.builder.blocks, pageCount: slides.length, lastPage };
}

/** The slide parts in presentation order (p:sldIdLst), which need not be their file names' order. */
function slideParts(presentation: XmlElement, relationships: Relationship[]): string[] {
  const list = child(presentation, "p:sldIdLst");
  if (!list) return [];
  return elements(list).flatMap((slideId) => {
    const rel = relationships.find((candidate) => candidate.id === slideId.attributes["r:id"]);
    return rel && rel.type === "slide" && !rel.external ? [rel.target] : [];
  });
}

class DeckReader {
  readonly builder: BlockBuilder;
  /** Footers, headers and layout text already added: added once, on the first slide that shows them. */
  private readonly furnitureSeen = new Set<string>();
  private readonly templateShapes = new Map<
    string,
    { shapes: ShapeText[]; showsMaster: boolean; master?: string }
  >();

  constructor(
    private readonly zip: ZipArchive,
    private readonly limits: ParseLimits,
  ) {
    this.builder = new BlockBuilder(limits);
  }

  addSlide(part: string, page: number): void {
    const slide = readXmlPart(this.zip, part, this.limits);
    if (!slide) return;
    const relationships = readRelationships(this.zip, part, this.limits);
    const first = this.builder.blocks.length;
    const shapes = this.shapesOf(slide, relationships);
    for (const shape of shapes) this.addShape(shape, page, "slide");
    if (slide.attributes.showMasterSp !== "0") this.addTemplateText(relationships, page);
    const notes = relationships.find((rel) => rel.type === "notesSlide" && !rel.external);
    const notesPage = notes ? readXmlPart(this.zip, notes.target, this.limits) : null;
    if (notes && notesPage) {
      const notesShapes = this.shapesOf(notesPage, readRelationships(this.zip, notes.target, this.limits));
      for (const shape of notesShapes) this.addShape(shape, page, "notes");
    }
    // A slide's section is its own title (BlockBuilder's heading stack is for nested Word headings).
    const title = shapes.find((shape) => TITLE_PLACEHOLDERS.has(shape.placeholder ?? ""));
    const sectionPath = title ? [collapseWhitespace(title.text)].filter(Boolean) : [];
    for (const block of this.builder.blocks.slice(first)) {
      if (block.kind !== "heading") block.sectionPath = sectionPath;
    }
  }

  private addShape(shape: ShapeText, page: number, on: "slide" | "notes"): void {
    const placeholder = shape.placeholder ?? "";
    if (SKIPPED_PLACEHOLDERS.has(placeholder)) return;
    if (placeholder === "ftr") this.addFurniture("footer", shape.text, page);
    else if (placeholder === "hdr") this.addFurniture("header", shape.text, page);
    else if (on === "notes") this.builder.add("notes", shape.text, page);
    else if (TITLE_PLACEHOLDERS.has(placeholder)) this.builder.add("heading", shape.text, page);
    else this.builder.add(shape.kind === "table" ? "table" : "paragraph", shape.text, page);
  }

  /**
   * The text a slide shows from its layout and master: their own text boxes (a logo caption, a
   * confidentiality line) and footers, not their placeholders' prompt text ("Click to edit...").
   */
  private addTemplateText(slideRelationships: Relationship[], page: number): void {
    const layoutRel = slideRelationships.find((rel) => rel.type === "slideLayout" && !rel.external);
    const layout = layoutRel ? this.template(layoutRel.target) : undefined;
    if (!layout) return;
    const master = layout.showsMaster && layout.master ? this.template(layout.master) : undefined;
    for (const shape of [...layout.shapes, ...(master?.shapes ?? [])]) {
      if (shape.placeholder === null) this.addFurniture("footer", shape.text, page);
    }
  }

  private template(part: string) {
    let template = this.templateShapes.get(part);
    if (!template) {
      const root = readXmlPart(this.zip, part, this.limits);
      const relationships = readRelationships(this.zip, part, this.limits);
      template = {
        shapes: root ? this.shapesOf(root, relationships) : [],
        showsMaster: root?.attributes.showMasterSp !== "0",
        master: relationships.find((rel) => rel.type === "slideMaster" && !rel.external)?.target,
      };
      this.templateShapes.set(part, template);
    }
    return template;
  }

  private addFurniture(kind: "header" | "footer", text: string, page: number): void {
    const key = `${kind}:${collapseWhitespace(text)}`;
    if (this.furnitureSeen.has(key)) return;
    this.furnitureSeen.add(key);
    this.builder.add(kind, text, page);
  }

  private shapesOf(root: XmlElement, relationships: Relationship[]): ShapeText[] {
    const tree = child(child(root, "p:cSld"), "p:spTree");
    if (!tree) return [];
    return shapeTexts(tree, (id) => {
      const rel = relationships.find((candidate) => candidate.id === id && !candidate.external);
      return rel ? readXmlPart(this.zip, rel.target, this.limits) : null;
    });
  }
}
