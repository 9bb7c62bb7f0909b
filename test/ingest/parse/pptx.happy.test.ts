import { describe, expect, it } from "vitest";
import { parsePptx } from "../../../src/ingest/parse/pptx";
import { only } from "../../helpers/blocks";
import { readCorpus } from "../../helpers/corpus";

describe("parsePptx", () => {
  it("finds every known string of testPPT_various2.pptx on its slide", async () => {
    const doc = await parsePptx(await readCorpus("pptx/testPPT_various2.pptx"));
    expect(doc.pageCount).toBe(10);
    expect(only(doc.blocks, "Slide2Header")).toMatchObject({ page: 2, kind: "heading", sectionPath: [] });
    expect(only(doc.blocks, "FirstBullet")).toMatchObject({ page: 2, sectionPath: ["Slide2Header"] });
    expect(only(doc.blocks, "SecondBullet").page).toBe(2);
    expect(only(doc.blocks, "R1c1")).toMatchObject({
      page: 2,
      kind: "table",
      text: "R1c1 | R1c2 | r1c3\nr2c1 | | lucene_hyperlink",
    });
    expect(only(doc.blocks, "This slide is hidden").page).toBe(9);
    // The footer lives in slide 10's footer placeholder (and in its layout's, which slides do not show).
    expect(only(doc.blocks, "MASTERFOOTERMSG")).toMatchObject({ page: 10, kind: "footer" });
    expect(only(doc.blocks, "NotesForSlide2")).toMatchObject({
      page: 2,
      kind: "notes",
      sectionPath: ["Slide2Header"],
    });
    expect(only(doc.blocks, "NotesTableSlide2")).toMatchObject({ page: 2, kind: "notes" });
    expect(only(doc.blocks, "Notes for slide3")).toMatchObject({
      page: 3,
      kind: "notes",
      sectionPath: ["Slide3Header"],
    });
  });

  it("reads WordArt, SmartArt and layout text, and skips slide numbers and dates", async () => {
    const doc = await parsePptx(await readCorpus("pptx/testPPT_various2.pptx"));
    expect(only(doc.blocks, "WordART").page).toBe(3);
    expect(only(doc.blocks, "SmartList1").text).toBe("SmartList1 SmartList2");
    // A text box of slide 2's layout, shown on slides 2, 3, 9 and 10: added once.
    expect(only(doc.blocks, "MASTERTEXTBOX")).toMatchObject({ page: 2, kind: "footer" });
    expect(only(doc.blocks, "NotesMasterHeader")).toMatchObject({ page: 2, kind: "header" });
    expect(doc.blocks.filter((block) => block.text.includes("12/16/2016"))).toEqual([]);
    expect(doc.blocks.filter((block) => /^\d+$/.test(block.text))).toEqual([]);
    expect(doc.blocks.some((block) => block.text.includes("Click to edit"))).toBe(false);
  });

  it("reads a slide's table (fake-power-point-table.pptx)", async () => {
    const doc = await parsePptx(await readCorpus("pptx/fake-power-point-table.pptx"));
    expect(doc.pageCount).toBe(1);
    expect(only(doc.blocks, "A Slide with a Table")).toMatchObject({ page: 1, kind: "heading" });
    const table = only(doc.blocks, "Column 1");
    expect(table).toMatchObject({ kind: "table", sectionPath: ["A Slide with a Table"] });
    expect(table.text.split("\n")[0]).toBe("Column 1 | Column 2 | Column 3");
    expect(table.text).toContain("Red | Green | Blue");
  });

  it("reads a real 28-slide talk with its speaker notes (HowWeRefactor.pptx)", async () => {
    const bytes = await readCorpus("pptx/HowWeRefactor.pptx");
    const start = performance.now();
    const doc = await parsePptx(bytes);
    console.log(`HowWeRefactor.pptx (${bytes.length} bytes): ${Math.round(performance.now() - start)} ms`);
    expect(doc.pageCount).toBe(28);
    expect(only(doc.blocks, "How We Refactor, and How We Know It")).toMatchObject({
      page: 1,
      kind: "heading",
    });
    // Slides whose notes page has text in its body placeholder (checked in the XML, slide by slide).
    const notedSlides = [
      ...new Set(doc.blocks.filter((block) => block.kind === "notes").map((block) => block.page)),
    ];
    expect(notedSlides).toEqual([1, 2, 3, 4, 8, 9, 10, 22, 24, 26, 27, 28]);
    expect(only(doc.blocks, "Data available where?")).toMatchObject({
      page: 28,
      sectionPath: ["Conclusion"],
    });
    expect(doc.blocks.every((block) => block.page! >= 1 && block.page! <= 28)).toBe(true);
  });
});
