import { describe, expect, it, vi } from "vitest";
import type { Deps } from "../../src/context";
import { OPEN_PDF_IDLE_MS, type OpenPdf, OpenPdfs } from "../../src/services/ingestion/open-pdfs";
import { readCorpus } from "../helpers/corpus";
import { countingBlobs, depsDroppingMessages, ingestEveryBatch, queuedFile } from "../helpers/ingestion";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

const MB = 1024 * 1024;

/** A document's chunks as search serves them, without what names the document (ids). */
async function storedChunks(tenantId: string, documentId: string) {
  return shardRows(
    tenantId,
    "SELECT position, text, page_start, page_end, section, token_count FROM chunks WHERE document_id = ? ORDER BY position",
    documentId,
  );
}

describe("a PDF kept open between the batches of its document", () => {
  it("is read from R2 and opened once, and ingests to the same chunks as when reopened by every batch", async () => {
    const tenant = await createTenant();
    const file = await readCorpus("pdf/tracemonkey.pdf");
    const runs = [];
    for (const openPdfBytes of [0, 16 * MB]) {
      const { deps: base, sent } = depsDroppingMessages();
      const { blobs, reads } = countingBlobs(base.blobs);
      const deps: Deps = {
        ...base,
        blobs,
        config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 5 } },
        openPdfs: new OpenPdfs(openPdfBytes),
      };
      const first = await queuedFile(tenant, `tracemonkey-${openPdfBytes}.pdf`, file);
      const batches = await ingestEveryBatch(deps, sent, first);
      runs.push({ batches, reads, chunks: await storedChunks(tenant.id, first.document_id), deps });
    }
    const [reopened, kept] = runs;
    expect(reopened!.batches.map((batch) => batch.pages)).toEqual([
      [1, 5],
      [6, 10],
      [11, 14],
    ]);
    expect(kept!.batches.map((batch) => batch.pages)).toEqual(reopened!.batches.map((batch) => batch.pages));
    // Reopened: the file is read by every batch. Kept: by the first; the others ask R2 whether it changed.
    expect(reopened!.reads).toEqual({ bodies: 3, unchanged: 0 });
    expect(kept!.reads).toEqual({ bodies: 1, unchanged: 2 });
    expect(kept!.chunks.length).toBeGreaterThan(10);
    expect(kept!.chunks).toEqual(reopened!.chunks);
    // The document is done: nothing of it stays open.
    expect(kept!.deps.openPdfs.size).toEqual({ documents: 0, bytes: 0 });
  });
});

describe("the open PDFs of an isolate", () => {
  const opened = (bytes: number) => {
    const close = vi.fn(async () => {});
    const open: OpenPdf = {
      pdf: { pageCount: 1, extractPages: vi.fn(), scannedPageImage: vi.fn(), close },
      etag: "etag",
      bytes,
    };
    return { open, close };
  };

  it("holds at most two documents within the budget of bytes, closing the least recently used", async () => {
    let now = 0;
    const pdfs = new OpenPdfs(10 * MB, () => now);
    const a = opened(4 * MB);
    const b = opened(4 * MB);
    const c = opened(4 * MB);
    await pdfs.keep("t1", "a", a.open);
    now = 1;
    await pdfs.keep("t1", "b", b.open);
    expect(pdfs.size).toEqual({ documents: 2, bytes: 8 * MB });
    now = 2;
    await pdfs.keep("t1", "c", c.open); // 12 MB would pass the budget: a goes
    expect(a.close).toHaveBeenCalledOnce();
    expect(pdfs.size).toEqual({ documents: 2, bytes: 8 * MB });
    expect(await pdfs.take("t1", "a")).toBeUndefined();
    expect((await pdfs.take("t1", "b"))?.pdf).toBe(b.open.pdf);
    // Taken: the caller owns it, and it is held no more.
    expect(await pdfs.take("t1", "b")).toBeUndefined();
    expect(b.close).not.toHaveBeenCalled();
  });

  it("never holds a file over the budget, makes room before a file is opened, and closes idle ones", async () => {
    let now = 0;
    const pdfs = new OpenPdfs(10 * MB, () => now);
    const large = opened(11 * MB);
    await pdfs.keep("t1", "large", large.open);
    expect(large.close).toHaveBeenCalledOnce();
    expect(pdfs.size.documents).toBe(0);

    const a = opened(6 * MB);
    await pdfs.keep("t1", "a", a.open);
    await pdfs.makeRoom(5 * MB); // a file of 5 MB is about to be opened beside it
    expect(a.close).toHaveBeenCalledOnce();

    const b = opened(1 * MB);
    await pdfs.keep("t1", "b", b.open);
    now = OPEN_PDF_IDLE_MS + 1;
    expect(await pdfs.take("t1", "b")).toBeUndefined();
    expect(b.close).toHaveBeenCalledOnce();
  });

  it("holds nothing with a budget of 0", async () => {
    const pdfs = new OpenPdfs(0);
    const a = opened(1);
    await pdfs.keep("t1", "a", a.open);
    expect(a.close).toHaveBeenCalledOnce();
    expect(await pdfs.take("t1", "a")).toBeUndefined();
  });
});
