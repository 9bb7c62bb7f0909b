import { CHARS_PER_PAGE_EQUIVALENT, ParseError, type ParseLimits, pageEquivalents } from "./types";
import { scanXml } from "./xml";

export interface BodyBatch {
  /** Offsets in document.xml of the first and past the last top-level body element of the batch. */
  start: number;
  end: number;
  /** The batch is one element holding a text box, which may need reading beside mammoth. */
  hasTextBox: boolean;
}

/** A top-level body element (paragraph, table): where it is, its text (w:t) length, its paragraph style. */
interface BodyElement {
  start: number;
  end: number;
  chars: number;
  /** The text before it in the body, in w:t characters. */
  charsBefore: number;
  /** The paragraph's style id (w:pStyle), with its text, for paragraphs that have one. */
  style?: { id: string; text: string };
}

export interface SplitBody {
  /** Page equivalents of the whole body, counted on its w:t text. */
  pageCount: number;
  /** Mammoth batches of the elements starting on page equivalents `first` to `last` (the last page takes the rest). */
  batchesOf(first: number, last: number, batchChars: number): BodyBatch[];
  /** Styled paragraphs before page equivalent `first`: the heading context of a later range. */
  styledBefore(first: number): { id: string; text: string }[];
  /** document.xml holding only the elements of `batch`: under the same root element and namespaces. */
  documentOf(batch: BodyBatch): string;
}

/**
 * Reads the top-level elements of document.xml's body (paragraphs, tables) in one scan, without a
 * tree, and counts their text in page equivalents, so that each queue message converts only the
 * elements of its own pages, cut in batches of about `batchChars` characters of XML: mammoth, whose
 * memory grows to ~30 times the XML it reads, never holds a long document whole. Throws
 * ParseError("unsupported") when the part is not a WordprocessingML document.
 */
export function splitBody(xml: string, limits: ParseLimits): SplitBody {
  const elements: BodyElement[] = [];
  let depth = 0;
  let inBody = false;
  let bodyStart = -1;
  let bodyEnd = -1;
  let current: BodyElement | null = null;
  let inText = false;
  let chars = 0;
  scanXml(xml, limits, {
    open(name, attributes, start, end) {
      depth++;
      if (depth === 1 && name !== "w:document") {
        throw new ParseError("unsupported", "the file is not a Word document");
      }
      if (depth === 2 && name === "w:body") {
        inBody = true;
        bodyStart = end;
      } else if (depth === 3 && inBody) current = { start, end, chars: 0, charsBefore: chars };
      else if (current && name === "w:t") inText = true;
      else if (current?.style && (name === "w:tab" || name === "w:br" || name === "w:cr"))
        current.style.text += " ";
      else if (current && depth === 5 && name === "w:pStyle") {
        current.style = { id: attributes()["w:val"] ?? "", text: "" };
      }
    },
    close(name, start, end) {
      if (depth === 3 && inBody && current) {
        current.end = end;
        elements.push(current);
        current = null;
      } else if (depth === 2 && name === "w:body") {
        inBody = false;
        bodyEnd = start;
      } else if (name === "w:t") inText = false;
      depth--;
    },
    text(value) {
      if (!current || !inText) return;
      current.chars += value.length;
      chars += value.length;
      if (current.style) current.style.text += value;
    },
  });
  const pageCount = pageEquivalents(chars);
  const head = bodyStart === -1 ? "" : xml.slice(0, bodyStart);
  const tail = bodyEnd === -1 ? "" : xml.slice(bodyEnd);
  // Element e is on page equivalent floor(charsBefore / CHARS_PER_PAGE_EQUIVALENT) + 1.
  const inRange = (element: BodyElement, first: number, last: number) =>
    element.charsBefore >= (first - 1) * CHARS_PER_PAGE_EQUIVALENT &&
    (last >= pageCount || element.charsBefore < last * CHARS_PER_PAGE_EQUIVALENT);
  return {
    pageCount,
    batchesOf: (first, last, batchChars) =>
      mammothBatches(
        xml,
        elements.filter((element) => inRange(element, first, last)),
        batchChars,
      ),
    styledBefore: (first) =>
      elements.flatMap((element) =>
        element.style && element.charsBefore < (first - 1) * CHARS_PER_PAGE_EQUIVALENT ? [element.style] : [],
      ),
    documentOf: (batch) => head + xml.slice(batch.start, batch.end) + tail,
  };
}

/** Consecutive elements in batches of about `batchChars` characters of XML; an element with a text box alone. */
function mammothBatches(xml: string, elements: BodyElement[], batchChars: number): BodyBatch[] {
  const batches: BodyBatch[] = [];
  let current: BodyBatch | null = null;
  let nextTextBox = elements.length > 0 ? xml.indexOf("txbxContent", elements[0]!.start) : -1;
  for (const element of elements) {
    while (nextTextBox !== -1 && nextTextBox < element.start)
      nextTextBox = xml.indexOf("txbxContent", element.start);
    const hasTextBox = nextTextBox !== -1 && nextTextBox < element.end;
    // An element with a text box is a batch of its own, so that the text boxes read beside mammoth
    // land right after it.
    if (hasTextBox) {
      batches.push({ start: element.start, end: element.end, hasTextBox });
      current = null;
    } else if (current && current.end - current.start < batchChars && current.end <= element.start) {
      current.end = element.end;
    } else {
      current = { start: element.start, end: element.end, hasTextBox };
      batches.push(current);
    }
  }
  return batches;
}
