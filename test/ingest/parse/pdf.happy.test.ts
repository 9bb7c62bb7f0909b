import { describe, expect, it } from "vitest";
import { openPdf, parsePdf, rejoinHyphenatedWords } from "../../../src/ingest/parse/pdf";
import type { TextBlock } from "../../../src/ingest/parse/types";
import { textOf } from "../../helpers/blocks";
import { readCorpus } from "../../helpers/corpus";

describe("parsePdf", () => {
  it("reads tracemonkey.pdf page by page, with its title and authors on page 1", async () => {
    const document = await parsePdf(await readCorpus("pdf/tracemonkey.pdf"));
    expect(document.pageCount).toBe(14);
    const pageOne = textOf(document.blocks.filter((block) => block.page === 1));
    expect(pageOne).toContain("Trace-based Just-in-Time Type Specialization for Dynamic Languages");
    expect(pageOne).toContain("Andreas Gal");
    expect(pageOne).toContain("Brendan Eich");
    expect(new Set(document.blocks.map((block) => block.page))).toEqual(
      new Set(Array.from({ length: 14 }, (_, i) => i + 1)),
    );
    const title = document.blocks.find((block) => block.text.startsWith("Trace-based Just-in-Time"));
    expect(title?.kind).toBe("heading");
  });

  it("reads a two-column page column by column and keeps paragraphs whole", async () => {
    const { blocks } = await parsePdf(await readCorpus("pdf/tracemonkey.pdf"));
    const pageOne = blocks.filter((block) => block.page === 1);
    const indexOf = (start: string) => pageOne.findIndex((block) => block.text.includes(start));
    const abstract = indexOf("Dynamic languages such as JavaScript are more difficult to compile");
    const leftColumnEnd = indexOf("is the de facto standard for client-side web programming");
    const rightColumnStart = indexOf("and is used for the application logic of browser-based");
    expect(abstract).toBeGreaterThanOrEqual(0);
    expect(leftColumnEnd).toBeGreaterThan(abstract);
    expect(rightColumnStart).toBeGreaterThan(leftColumnEnd);
    // The abstract is one paragraph from its first line to its last, with nothing of the right column in it.
    const abstractText = pageOne[abstract]!.text;
    expect(abstractText).toContain("speedups of 10x and more for certain benchmark programs.");
    expect(abstractText).not.toContain("Compilers for statically typed languages");
    // Bullets are one list block, an item a line, without their glyphs (page 2 lists three contributions).
    const list = blocks.find((block) => block.page === 2 && block.kind === "list");
    expect(list?.text.split("\n").map((item) => item.slice(0, 30))).toEqual([
      "We explain an algorithm for dy",
      "We explain how to speculativel",
      "We validate our tracing techni",
    ]);
  });

  it("rejoins words hyphenated at a line end, and keeps real compounds", async () => {
    const text = textOf((await parsePdf(await readCorpus("pdf/tracemonkey.pdf"))).blocks);
    // Typesetting hyphens: the joined word is a word of the paper.
    expect(text).toContain("an alternative compilation technique");
    expect(text).toContain("virtual machines must provide");
    expect(text).not.toMatch(/\b(?:com-pile|al-ternative|ma-chines|informa-tion)\b/);
    // "Trace-Monkey" broken at a line end is the paper's "TraceMonkey".
    expect(text).toContain("We call the resulting tracing VM TraceMonkey.");
  });

  it("keeps a compound broken at a line end when the document writes it so, or knows both halves", () => {
    const block = (text: string): TextBlock => ({ page: 1, sectionPath: [], text, kind: "paragraph" });
    const [broken] = rejoinHyphenatedWords([
      block("A mixed\u00admode run of trace\u00adbased code, a dou\u00adble, a vari\u00adable."),
      block("Mixed results, a trace-based design, one mode, a variable."),
    ]);
    expect(broken!.text).toBe("A mixed-mode run of trace-based code, a double, a variable.");
  });

  it("tags captions, chart labels, footnotes and copyright boxes on their blocks, and keeps their text", async () => {
    const { blocks } = await parsePdf(await readCorpus("pdf/tracemonkey.pdf"));
    const kindOf = (start: string) => blocks.find((block) => block.text.startsWith(start))?.kind;
    expect(kindOf("Figure 2. State machine describing")).toBe("caption");
    expect(kindOf("Symbol Key")).toBe("caption");
    expect(kindOf("Permission to make digital or hard copies")).toBe("note");
    expect(kindOf("1 Arrays are actually worse than this")).toBe("note");
    // Body text and section titles are not furniture.
    expect(kindOf("Abstract Dynamic languages such as JavaScript")).toBe("paragraph");
    expect(kindOf("3.1 Traces")).toBe("paragraph");
  });

  it("tags the title page's authors, affiliations and keywords, and the reference list, and keeps their text", async () => {
    const { blocks } = await parsePdf(await readCorpus("pdf/tracemonkey.pdf"));
    const kindOf = (start: string) => blocks.find((block) => block.text.startsWith(start))?.kind;
    expect(kindOf("Andreas Gal")).toBe("front_matter");
    expect(kindOf("Mozilla Corporation")).toBe("front_matter");
    expect(kindOf("University of California, Irvine")).toBe("front_matter");
    expect(kindOf("Keywords JavaScript")).toBe("front_matter");
    expect(kindOf("Trace-based Just-in-Time")).toBe("heading");
    // Every paragraph after "References", entries cut anywhere by the columns ("techniques, and tools, 2006.").
    const start = blocks.findIndex((block) => block.text === "References");
    const list = blocks.slice(start + 1);
    expect(list.length).toBeGreaterThan(10);
    expect(list.filter((block) => block.kind !== "reference").map((block) => block.text)).toEqual([]);
    expect(textOf(list)).toContain("[13] J. Ha, M. R. Haghighat");
    // Body text that cites is not an entry.
    expect(kindOf("Suganuma et al. (18) described region-based compilation")).toBe("paragraph");
    expect(kindOf("1. Introduction Dynamic languages")).toBe("paragraph");
  });

  it("opens copy-protected.pdf, encrypted with an empty user password", async () => {
    const document = await parsePdf(await readCorpus("pdf/copy-protected.pdf"));
    expect(document.pageCount).toBe(2);
    expect(textOf(document.blocks)).toContain(
      "LayoutParser: A Unified Toolkit for Deep Learning Based Document",
    );
  });

  it("recovers the text of helloworld-bad.pdf despite its broken xref table", async () => {
    // MANIFEST says "Hello World"; the content stream of the file says exactly "(Hello, world!) Tj".
    const document = await parsePdf(await readCorpus("pdf/helloworld-bad.pdf"));
    expect(document.blocks).toEqual([{ page: 1, sectionPath: [], text: "Hello, world!", kind: "paragraph" }]);
  });

  it("reads Korean text", async () => {
    const document = await parsePdf(await readCorpus("pdf/korean-text-with-tables.pdf"));
    expect(textOf(document.blocks)).toContain("적립 제외 대상");
  });
});

describe("openPdf", () => {
  it("gives the same blocks in page batches as in one pass, each block on its page", async () => {
    const whole = await parsePdf(await readCorpus("pdf/tracemonkey.pdf"));
    const pdf = await openPdf(await readCorpus("pdf/tracemonkey.pdf"));
    try {
      const { blocks: first } = await pdf.extractPages(1, 5);
      const { blocks: second } = await pdf.extractPages(6, 14);
      expect(first.every((block) => block.page! >= 1 && block.page! <= 5)).toBe(true);
      expect(second.every((block) => block.page! >= 6 && block.page! <= 14)).toBe(true);
      expect([...first, ...second]).toEqual(whole.blocks);
    } finally {
      await pdf.close();
    }
  });

  it("refuses a page range outside the document", async () => {
    const pdf = await openPdf(await readCorpus("pdf/tracemonkey.pdf"));
    try {
      await expect(pdf.extractPages(0, 2)).rejects.toThrow(RangeError);
      await expect(pdf.extractPages(10, 15)).rejects.toThrow(RangeError);
      await expect(pdf.extractPages(5, 4)).rejects.toThrow(RangeError);
    } finally {
      await pdf.close();
    }
  });
});
