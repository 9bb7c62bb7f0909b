import { ParseError, type ParseLimits } from "./types";
import { scanXml } from "./xml";

export interface BodyBatch {
  /** Offsets in document.xml of the first and past the last top-level body element of the batch. */
  start: number;
  end: number;
  /** The batch is one element holding a text box, which may need reading beside mammoth. */
  hasTextBox: boolean;
}

export interface SplitBody {
  batches: BodyBatch[];
  /** document.xml holding only the elements of `batch`: under the same root element and namespaces. */
  documentOf(batch: BodyBatch): string;
}

/**
 * Cuts the body of document.xml between top-level elements (paragraphs, tables) into batches
 * of about `batchChars` characters, so that mammoth, whose memory grows to ~30 times the XML it
 * reads, never holds a long document whole. Throws ParseError("unsupported") when the part is not
 * a WordprocessingML document.
 */
export function splitBody(xml: string, limits: ParseLimits, batchChars: number): SplitBody {
  const elements: { start: number; end: number }[] = [];
  let depth = 0;
  let inBody = false;
  let bodyStart = -1;
  let bodyEnd = -1;
  let elementStart = -1;
  scanXml(xml, limits, {
    open(name, _attributes, start, end) {
      depth++;
      if (depth === 1 && name !== "w:document") {
        throw new ParseError("unsupported", "the file is not a Word document");
      }
      if (depth === 2 && name === "w:body") {
        inBody = true;
        bodyStart = end;
      } else if (depth === 3 && inBody) elementStart = start;
    },
    close(name, start, end) {
      if (depth === 3 && inBody) elements.push({ start: elementStart, end });
      else if (depth === 2 && name === "w:body") {
        inBody = false;
        bodyEnd = start;
      }
      depth--;
    },
  });
  if (elements.length === 0) return { batches: [], documentOf: () => "" };

  const batches: BodyBatch[] = [];
  let current: BodyBatch | null = null;
  let nextTextBox = xml.indexOf("txbxContent", bodyStart);
  for (const element of elements) {
    while (nextTextBox !== -1 && nextTextBox < element.start)
      nextTextBox = xml.indexOf("txbxContent", element.start);
    const hasTextBox = nextTextBox !== -1 && nextTextBox < element.end;
    // An element with a text box is a batch of its own, so that the text boxes read beside mammoth
    // land right after it.
    if (hasTextBox) {
      batches.push({ ...element, hasTextBox });
      current = null;
    } else if (current && current.end - current.start < batchChars) {
      current.end = element.end;
    } else {
      current = { ...element, hasTextBox };
      batches.push(current);
    }
  }
  const head = xml.slice(0, bodyStart);
  const tail = xml.slice(bodyEnd);
  return { batches, documentOf: (batch) => head + xml.slice(batch.start, batch.end) + tail };
}
