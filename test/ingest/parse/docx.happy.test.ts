import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parseDocx } from "../../../src/ingest/parse/docx";
import { CHARS_PER_PAGE_EQUIVALENT } from "../../../src/ingest/parse/types";
import { blocksContaining, only } from "../../helpers/blocks";
import { readCorpus } from "../../helpers/corpus";
import { encode } from "../../helpers/text";

describe("parseDocx", () => {
  it("reads the body, headers, footers, text boxes and footnotes of testWORD_various.docx", async () => {
    const doc = await parseDocx(await readCorpus("docx/testWORD_various.docx"));
    expect(doc.pageCount).toBe(1);
    expect(doc.blocks.every((block) => block.page === null)).toBe(true);
    expect(only(doc.blocks, "This is the header text.").kind).toBe("header");
    expect(only(doc.blocks, "This is the footer text.").kind).toBe("footer");
    expect(only(doc.blocks, "Here is a text box").kind).toBe("paragraph");
    expect(only(doc.blocks, "This is a footnote.")).toMatchObject({
      kind: "note",
      text: "This is a footnote.",
    });
    expect(only(doc.blocks, "Suddenly some Japanese").kind).toBe("paragraph");
    expect(only(doc.blocks, "ゾルゲと尾崎、淡々と最期").kind).toBe("paragraph");
    // The footnote's "[1]" reference and "↑" back-link are links, not text.
    expect(only(doc.blocks, "Footnote appears here").text).toBe("Footnote appears here");
    expect(only(doc.blocks, "Bullet 1")).toMatchObject({
      kind: "list",
      text: "- Bullet 1\n- Bullet 2\n- Bullet 3",
    });
    expect(only(doc.blocks, "Number bullet 1").text).toBe(
      "1. Number bullet 1\n2. Number bullet 2\n3. Number bullet 3",
    );
    expect(only(doc.blocks, "Row 1 Col 1")).toMatchObject({
      kind: "table",
      text: "Row 1 Col 1 | Row 1 Col 2 | Row 1 Col 3\nRow 2 Col 1 | Row 2 Col 2 | Row 2 Col 3",
    });
  });

  it("reads a text box saved without the VML fallback that mammoth relies on", async () => {
    const parts: Record<string, Uint8Array> = unzipSync(await readCorpus("docx/testWORD_various.docx"));
    const documentXml = new TextDecoder().decode(parts["word/document.xml"]);
    const withoutFallback = documentXml.replace(/<mc:Fallback>.*?<\/mc:Fallback>/gs, "");
    expect(withoutFallback).not.toContain("v:textbox");
    parts["word/document.xml"] = encode(withoutFallback);
    const doc = await parseDocx(zipSync(parts));
    expect(only(doc.blocks, "Here is a text box").kind).toBe("paragraph");
    expect(only(doc.blocks, "Suddenly some Japanese").kind).toBe("paragraph");
  });

  it("turns headings into section paths (category-level.docx)", async () => {
    const doc = await parseDocx(await readCorpus("docx/category-level.docx"));
    const headings = doc.blocks.filter((block) => block.kind === "heading");
    expect(headings.map((block) => [block.text, block.sectionPath])).toEqual([
      ["A Heading 1", []],
      ["A Heading 2", ["A Heading 1"]],
      ["Another Heading 1", []],
    ]);
    expect(only(doc.blocks, "Call me Ishmael").sectionPath).toEqual([]);
    expect(only(doc.blocks, "This is my substitute for pistol and ball").sectionPath).toEqual([
      "A Heading 1",
      "A Heading 2",
    ]);
    expect(only(doc.blocks, "There now is your insular city").sectionPath).toEqual(["Another Heading 1"]);
    expect(only(doc.blocks, "A top level list item")).toMatchObject({
      kind: "list",
      sectionPath: ["A Heading 1"],
    });
  });

  it("keeps table text, one row per line (docx-tables.docx)", async () => {
    const doc = await parseDocx(await readCorpus("docx/docx-tables.docx"));
    const tables = doc.blocks.filter((block) => block.kind === "table");
    expect(tables.length).toBeGreaterThanOrEqual(3);
    expect(only(doc.blocks, "Header Col 1").text).toBe(
      "Header Col 1 | Header Col 2\nLorem ipsum | A link example",
    );
    // The nested table's cells stay inside the cell that holds them.
    expect(only(doc.blocks, "g&t").text.split("\n")).toHaveLength(3);
    expect(only(doc.blocks, "Table with merged cells").kind).toBe("paragraph");
  });

  it("reads a real government form with tables and numbered lists (govdocs-014760)", async () => {
    const doc = await parseDocx(await readCorpus("docx/govdocs-014760-ihc-review.docx"));
    expect(doc.title).toBe("Appendix B");
    expect(only(doc.blocks, "STANDARDS FOR INTERAGENCY HOTSHOT CREW OPERATIONS").kind).toBe("paragraph");
    const tables = doc.blocks.filter((block) => block.kind === "table");
    expect(tables).toHaveLength(3);
    expect(only(doc.blocks, "IHC members have current Red Cards.").kind).toBe("table");
    const words = doc.blocks
      .map((block) => block.text)
      .join(" ")
      .split(/\s+/).length;
    expect(words).toBeGreaterThan(1200);
  });

  it("parses the 870-page handbook completely, in batches that keep mammoth's memory small", async () => {
    const bytes = await readCorpus("docx/handbook-872p.docx");
    const start = performance.now();
    const doc = await parseDocx(bytes);
    const ms = Math.round(performance.now() - start);
    const chars = doc.blocks.reduce((sum, block) => sum + block.text.length, 0);
    console.log(
      `handbook-872p.docx (${bytes.length} bytes): ${ms} ms, ${doc.blocks.length} blocks, ${chars} characters`,
    );

    expect(chars).toBeGreaterThan(780_000);
    // A page equivalent per 3,000 characters: the handbook counts in the hundreds, not as one page.
    // (counted on the body's text runs, which each queue message can count without converting them)
    expect(Math.abs(doc.pageCount - Math.ceil(chars / CHARS_PER_PAGE_EQUIVALENT))).toBeLessThanOrEqual(3);
    expect(doc.pageCount).toBeGreaterThan(260);
    expect(doc.blocks.filter((block) => block.kind === "heading").length).toBeGreaterThan(280);
    const conflicts = doc.blocks.find(
      (block) => block.kind === "heading" && block.text === "1. CONFLICTS OF INTEREST",
    );
    expect(conflicts?.sectionPath).toEqual([
      "CHAPTER 3 - ADMINISTRATION OF CHAPTER 13 CASES",
      "A. INITIAL REVIEW OF CHAPTER 13 CASES",
    ]);
    // The last paragraph of the document: nothing was cut off.
    expect(doc.blocks.at(-1)!.text).toContain("28 C.F.R. § 58.6");
    expect(
      blocksContaining(doc.blocks, "Handbook for Chapter 13 Standing Trustees").some(
        (b) => b.kind === "footer",
      ),
    ).toBe(true);
  });
});
