import { afterEach, describe, expect, it } from "vitest";
import { openPdf } from "../../../src/ingest/parse/pdf";
import { isTextContentChunk } from "../../../src/ingest/parse/pdf-port";
import { textOf } from "../../helpers/blocks";
import { readCorpus } from "../../helpers/corpus";

const realClone = globalThis.structuredClone;

/** Counts the structured clones made meanwhile: of text chunks, and of anything else. */
function countClones() {
  const counts = { textChunks: 0, other: 0 };
  globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) => {
    if (isTextContentChunk(value, options?.transfer)) counts.textChunks++;
    else counts.other++;
    return realClone(value, options);
  }) as typeof structuredClone;
  return counts;
}

afterEach(() => {
  globalThis.structuredClone = realClone;
});

describe("pdf.js' in-thread worker port", () => {
  it("hands a page's text to the parser without cloning it, every item kept", async () => {
    const pdf = await openPdf(await readCorpus("pdf/tracemonkey.pdf"));
    try {
      const clones = countClones();
      const { blocks } = await pdf.extractPages(1, 14);
      globalThis.structuredClone = realClone;
      expect(clones.textChunks).toBe(0);
      // Other messages (page requests, their answers) are still cloned as pdf.js' own port does.
      expect(clones.other).toBeGreaterThan(0);
      const pageOne = textOf(blocks.filter((block) => block.page === 1));
      // The page's first and last items: a chunk handed over keeps the items sent, not later ones.
      expect(pageOne).toContain("Trace-based Just-in-Time Type Specialization for Dynamic Languages");
      expect(pageOne).toContain("Andreas Gal");
      expect(new Set(blocks.map((block) => block.page)).size).toBe(14);
    } finally {
      await pdf.close();
    }
  });

  it("still clones an operator list, which the worker empties once sent: a scanned page's picture is read", async () => {
    const pdf = await openPdf(await readCorpus("pdf/loremipsum-flat.pdf"));
    try {
      const image = await pdf.scannedPageImage(1);
      expect(image?.width).toBeGreaterThan(0);
      expect(image?.height).toBeGreaterThan(0);
    } finally {
      await pdf.close();
    }
  });

  it("tells a text chunk from an operator list's chunk and from a message with transfers", () => {
    const text = { stream: 4, streamId: 1, chunk: { items: [{ str: "a" }], styles: {}, lang: null } };
    expect(isTextContentChunk(text, undefined)).toBe(true);
    expect(isTextContentChunk(text, [new ArrayBuffer(1)])).toBe(false);
    const operators = { stream: 4, chunk: { fnArray: [1], argsArray: [[]], items: [], styles: {} } };
    expect(isTextContentChunk(operators, undefined)).toBe(false);
    expect(isTextContentChunk({ stream: 6, chunk: text.chunk }, undefined)).toBe(false);
    expect(isTextContentChunk({ action: "GetPage", data: {} }, undefined)).toBe(false);
  });
});
