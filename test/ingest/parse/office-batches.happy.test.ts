import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { extractPagesFrom, type TextBlock } from "../../../src/ingest/parse";
import { parseDocx } from "../../../src/ingest/parse/docx";
import { parsePptx, SLIDE_XML_BYTES_PER_BATCH } from "../../../src/ingest/parse/pptx";
import type { DocumentFormat } from "../../../src/storage/schema";
import { readCorpus } from "../../helpers/corpus";

/** Every queue message's batch of a file, as the queue runs them: each starts after the last one's last page. */
async function everyBatch(format: DocumentFormat, bytes: Uint8Array, pagesPerBatch: number) {
  const batches = [];
  for (let firstPage = 1; ; ) {
    const extracted = await extractPagesFrom(format, bytes, firstPage, { pages: pagesPerBatch });
    batches.push({ ...extracted, firstPage });
    if (!extracted.hasMore) return batches;
    firstPage = extracted.lastPage + 1;
  }
}

const texts = (blocks: TextBlock[]) => blocks.map((block) => `${block.kind}|${block.text}`);

describe("DOCX and PPTX across queue messages", () => {
  it("reads the 870-page handbook 25 page equivalents a message, losing nothing and keeping sections", {
    timeout: 120_000,
  }, async () => {
    const bytes = await readCorpus("docx/handbook-872p.docx");
    const whole = await parseDocx(bytes);
    const batches = await everyBatch("docx", bytes, 25);

    expect(batches.length).toBe(Math.ceil(whole.pageCount / 25));
    expect(batches.length).toBeGreaterThan(10);
    expect(batches.every((batch) => batch.pageCount === whole.pageCount)).toBe(true);
    expect(batches.at(-1)!.lastPage).toBe(whole.pageCount);
    const blocks = batches.flatMap((batch) => batch.blocks);
    // The same blocks in the same order, with the same sections: a later message knows the
    // headings above its first paragraphs. (Mammoth puts a footnote after the run of paragraphs it
    // converts at once, so notes may land a few paragraphs apart.)
    const body = (of: TextBlock[]) =>
      of.filter((block) => block.kind !== "note").map((block) => [block.kind, block.text, block.sectionPath]);
    expect(body(blocks)).toEqual(body(whole.blocks));
    expect(texts(blocks).sort()).toEqual(texts(whole.blocks).sort());
    const opensUnderHeading = batches
      .slice(1)
      .filter((batch) => batch.blocks[0]?.kind !== "heading" && batch.blocks[0]!.sectionPath.length > 0);
    expect(opensUnderHeading.length).toBeGreaterThan(5);
  });

  it("reads a presentation a few slides a message, each block on its slide", async () => {
    const bytes = await readCorpus("pptx/testPPT_various2.pptx");
    const whole = await parsePptx(bytes);
    const batches = await everyBatch("pptx", bytes, 3);

    expect(batches.map((batch) => batch.lastPage)).toEqual([3, 6, 9, 10]);
    expect(batches.map((batch) => batch.hasMore)).toEqual([true, true, true, false]);
    batches.forEach((batch, index) => {
      for (const block of batch.blocks) {
        expect(block.page).toBeGreaterThan(index * 3);
        expect(block.page).toBeLessThanOrEqual(index * 3 + 3);
      }
    });
    // Slide text and notes once each; a layout's footer once per message that shows it.
    const slideText = (blocks: TextBlock[]) =>
      blocks
        .filter((block) => block.kind !== "footer" && block.kind !== "header")
        .map((b) => `${b.page}|${b.text}`);
    expect(slideText(batches.flatMap((batch) => batch.blocks))).toEqual(slideText(whole.blocks));
    const furniture = new Set(batches.flatMap((batch) => batch.blocks).filter((b) => b.kind === "footer"));
    expect([...furniture].map((block) => block.text)).toEqual(
      expect.arrayContaining(whole.blocks.filter((b) => b.kind === "footer").map((block) => block.text)),
    );
  });

  it("ends a presentation's message early where its slides' XML runs out, losing nothing", async () => {
    // A talk whose code listings are slides of up to 1.7 MB of XML: 6.8 MB in its first 25 slides.
    const bytes = await readCorpus("pptx/HowWeRefactor.pptx");
    const whole = await parsePptx(bytes);
    const batches = await everyBatch("pptx", bytes, 25);

    // The sizes the package declares, nothing inflated. This deck lists slide N as slides/slideN.xml.
    const sizes = new Map<string, number>();
    unzipSync(bytes, {
      filter: (file) => {
        sizes.set(file.name, file.originalSize);
        return false;
      },
    });
    const slideXml = (page: number) => sizes.get(`ppt/slides/slide${page}.xml`)!;
    expect(slideXml(24)).toBeGreaterThan(SLIDE_XML_BYTES_PER_BATCH);
    for (const batch of batches) {
      let xml = 0;
      for (let page = batch.firstPage; page <= batch.lastPage; page++) xml += slideXml(page);
      // One slide larger than the budget is a message of its own.
      if (batch.lastPage > batch.firstPage)
        expect(xml, `slides ${batch.firstPage}-${batch.lastPage}`).toBeLessThanOrEqual(
          SLIDE_XML_BYTES_PER_BATCH,
        );
      for (const block of batch.blocks) {
        expect(block.page).toBeGreaterThanOrEqual(batch.firstPage);
        expect(block.page).toBeLessThanOrEqual(batch.lastPage);
      }
    }
    expect(batches.find((batch) => batch.firstPage === 24)?.lastPage).toBe(24);
    expect(batches.at(-1)!.lastPage).toBe(whole.pageCount);
    const slideText = (blocks: TextBlock[]) =>
      blocks
        .filter((block) => block.kind !== "footer" && block.kind !== "header")
        .map((b) => `${b.page}|${b.kind}|${b.text}|${b.sectionPath.join("/")}`);
    expect(slideText(batches.flatMap((batch) => batch.blocks))).toEqual(slideText(whole.blocks));
  });
});
