import { describe, expect, it } from "vitest";
import { extractBatch, type TextBlock } from "../../../src/ingest/parse";
import { parseDocx } from "../../../src/ingest/parse/docx";
import { parsePptx } from "../../../src/ingest/parse/pptx";
import type { DocumentFormat } from "../../../src/storage/schema";
import { readCorpus } from "../../helpers/corpus";

/** Every queue message's batch of a file, as the queue runs them. */
async function everyBatch(format: DocumentFormat, bytes: Uint8Array, pagesPerBatch: number) {
  const batches = [];
  for (let batch = 0; ; batch++) {
    const extracted = await extractBatch(format, bytes, batch, pagesPerBatch);
    batches.push(extracted);
    if (!extracted.hasMore) return batches;
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
});
