import { describe, expect, it } from "vitest";
import { extractPagesFrom, type PdfSource } from "../../../src/ingest/parse";
import { openPdf, openPdfBatch } from "../../../src/ingest/parse/pdf";
import { MAX_PART_BYTES, readPdfPart } from "../../../src/ingest/parse/pdf-part";
import { latin1, latin1Bytes } from "../../../src/ingest/parse/pdf-syntax";
import { readCorpus } from "../../helpers/corpus";
import { largePdf, largePdfPageWords } from "../../helpers/large-pdf";
import { pagesPdf } from "../../helpers/pages-pdf";

const BATCH_PAGES = 25;

/** A file read by ranges as from R2, counting the bytes read. */
function rangeSource(bytes: Uint8Array) {
  const source = {
    size: bytes.length,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      source.bytesRead += length;
      return bytes.slice(offset, offset + length);
    },
    readAll: async () => {
      source.bytesRead += bytes.length;
      return bytes.slice();
    },
  } satisfies PdfSource & { bytesRead: number };
  return source;
}

/**
 * Every batch of the file, read from the whole file and from a part holding the batch's pages:
 * what each batch yields (blocks, pages left out, textless and letter-spaced pages, last page).
 */
async function bothWays(file: Uint8Array, batchPages: number) {
  const whole = await openPdf(file.slice());
  const source = rangeSource(file);
  const batches: { whole: unknown; part: unknown }[] = [];
  try {
    for (let first = 1; first <= whole.pageCount; first += batchPages) {
      const part = await openPdfBatch(source, first, batchPages, { partAboveBytes: 0 });
      try {
        expect(part.heldPages).toEqual({ first, last: Math.min(whole.pageCount, first + batchPages - 1) });
        batches.push({
          whole: await extractPagesFrom("pdf", whole, first, { pages: batchPages }),
          part: await extractPagesFrom("pdf", part, first, { pages: batchPages }),
        });
      } finally {
        await part.close();
      }
    }
  } finally {
    await whole.close();
  }
  return { batches, bytesRead: source.bytesRead };
}

describe("a PDF's batch read as a part of the file", () => {
  // Classic tables (tracemonkey), an incremental update (TAMReview: a /Prev chain of tables),
  // cross-reference streams with object streams and PNG predictors (the IRS manual; the images
  // file, with a /Prev chain of streams), a hybrid file (the DPR paper: a table and a stream).
  it.each([
    ["pdf/irs-irm-2.3.59-400p.pdf", BATCH_PAGES],
    ["pdf/dpr-paper-multi-column.pdf", 4],
    ["pdf/embedded-images-tables.pdf", 1],
    ["pdf/TAMReview.pdf", 5],
    ["pdf/tracemonkey.pdf", 3],
    ["pdf/korean-text-with-tables.pdf", 1],
  ])("reads %s page for page as the whole file does", async (path, batchPages) => {
    const file = await readCorpus(path);
    const { batches } = await bothWays(file, batchPages);
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.part).toEqual(batch.whole);
    // Not vacuous: the batches hold text.
    expect(batches.some((batch) => (batch.whole as { blocks: unknown[] }).blocks.length > 0)).toBe(true);
  });

  it("reads a scanned page's picture as the whole file does, for a vision model to read", async () => {
    const file = pagesPdf(["text", "scan", "text", "scan"]);
    const whole = await openPdf(file.slice());
    const part = await openPdfBatch(rangeSource(file), 3, 2, { partAboveBytes: 0 });
    try {
      expect((await part.extractPages(3, 4)).textlessPages).toEqual([4]);
      const fromPart = await part.scannedPageImage(4);
      expect(fromPart?.png.length).toBeGreaterThan(0);
      expect(fromPart).toEqual(await whole.scannedPageImage(4));
      expect(await part.scannedPageImage(3)).toBeUndefined();
    } finally {
      await part.close();
      await whole.close();
    }
  });

  it("reads only its pages' objects of a large file, inherited attributes carried down", async () => {
    // 60 pages of 100 KB pictures under nodes of 10 pages, turned every other node.
    const file = largePdf(60, 100_000);
    const { batches, bytesRead } = await bothWays(file, 10);
    for (const batch of batches) expect(batch.part).toEqual(batch.whole);
    // Odd pages inherit their font from the root and draw no picture: their text is there.
    const blocks = batches.flatMap(
      (batch) => (batch.part as { blocks: { text: string; page: number }[] }).blocks,
    );
    expect(blocks.find((block) => block.page === 13)?.text).toContain(largePdfPageWords(13));
    // The pictures of the odd pages are never read: about half the file in all.
    expect(bytesRead).toBeLessThan(file.length * 0.6);
    const source = rangeSource(file);
    const part = await readPdfPart(source, 11, 20);
    expect(part).toMatchObject({ firstPage: 11, lastPage: 20, pageCount: 60 });
    // Pages 11-20's five pictures and the cross-reference data, not the file (6 MB).
    expect(part.bytes.length).toBeLessThan(600_000);
    expect(source.bytesRead).toBeLessThan(700_000);
    // Their node turns them: each page carries its node's /Rotate and /MediaBox, and the root's /Resources.
    const text = new TextDecoder("latin1").decode(part.bytes);
    expect(text.match(/\/Rotate 90/g)).toHaveLength(10);
    expect(text.match(/\/MediaBox \[0 0 612 792\]/g)).toHaveLength(10);
  });

  it("ends a batch early where its pages' objects pass the part's budget, and the next batch goes on", async () => {
    // 6 pages, the even ones painting 3 MB pictures: pages 1-6 pass MAX_PART_BYTES, 1-3 do not.
    const file = largePdf(6, 3 * 1024 * 1024, 6);
    const source = rangeSource(file);
    const pdf = await openPdfBatch(source, 1, 6, { partAboveBytes: 0 });
    const first = await extractPagesFrom("pdf", pdf, 1, { pages: 6 }).finally(() => pdf.close());
    expect(first.lastPage).toBe(3);
    expect(first.hasMore).toBe(true);
    expect(3 * 3 * 1024 * 1024).toBeGreaterThan(MAX_PART_BYTES);
    const next = await openPdfBatch(source, 4, 6, { partAboveBytes: 0 });
    const second = await extractPagesFrom("pdf", next, 4, { pages: 6 }).finally(() => next.close());
    expect(second.lastPage).toBe(6);
    expect(second.hasMore).toBe(false);
    expect([...first.blocks, ...second.blocks].map((block) => block.page)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("reads bytes as Latin-1 text a character a byte, across the pieces it is built from, and back", () => {
    // Every byte value, over three 8 KiB pieces and a part of one, read from an offset inside the first.
    const bytes = Uint8Array.from({ length: 3 * 8192 + 300 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    const text = latin1(bytes, 5, bytes.length - 3);
    expect(text).toHaveLength(bytes.length - 8);
    expect(Array.from(text, (char) => char.charCodeAt(0))).toEqual(Array.from(bytes.subarray(5, -3)));
    expect(latin1Bytes(latin1(bytes))).toEqual(bytes);
    expect(latin1(bytes, 10, 10)).toBe("");
  });
});
