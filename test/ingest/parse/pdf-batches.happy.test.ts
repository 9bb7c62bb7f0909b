import { describe, expect, it } from "vitest";
import { assertHasTextLayer, openPdf } from "../../../src/ingest/parse/pdf";
import { readCorpus } from "../../helpers/corpus";

const BATCH_PAGES = 25;

describe("a 400-page PDF in page batches", () => {
  // 16 batches, each opening the file afresh as its own queue message would (about 3 s in all).
  it("extracts irs-irm-2.3.59-400p.pdf 25 pages at a time", async () => {
    const file = await readCorpus("pdf/irs-irm-2.3.59-400p.pdf");
    const started = Date.now();
    const batchMs: number[] = [];
    const pagesSeen = new Set<number>();
    let totalChars = 0;
    let pageCount = 0;
    for (let from = 1; pageCount === 0 || from <= pageCount; from += BATCH_PAGES) {
      const batchStarted = Date.now();
      const pdf = await openPdf(file.slice());
      try {
        pageCount = pdf.pageCount;
        const { blocks } = await pdf.extractPages(from, Math.min(from + BATCH_PAGES - 1, pdf.pageCount));
        for (const block of blocks) {
          expect(block.page).toBeGreaterThanOrEqual(from);
          expect(block.page).toBeLessThan(from + BATCH_PAGES);
          pagesSeen.add(block.page!);
          totalChars += block.text.length;
        }
      } finally {
        await pdf.close();
      }
      batchMs.push(Date.now() - batchStarted);
    }
    const totalMs = Date.now() - started;
    console.log(
      `irs-irm-2.3.59-400p.pdf: ${pageCount} pages, ${batchMs.length} batches of ${BATCH_PAGES} pages, ` +
        `${totalChars} characters; per batch (open + extract + close) ms: ${batchMs.join(", ")}; ` +
        `mean ${Math.round(totalMs / batchMs.length)} ms, max ${Math.max(...batchMs)} ms; whole file ${totalMs} ms`,
    );
    expect(pageCount).toBe(400);
    expect(batchMs).toHaveLength(16);
    expect(pagesSeen.size).toBeGreaterThan(390);
    expect(() => assertHasTextLayer(totalChars, pageCount)).not.toThrow();
  });
});
