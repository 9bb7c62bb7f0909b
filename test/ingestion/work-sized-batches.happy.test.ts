import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Deps } from "../../src/context";
import type { PageTranscriber } from "../../src/providers/vision";
import type { IngestMessage } from "../../src/queues/messages";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { batchMessage } from "../../src/services/ingestion/ingestion.service";
import { OpenPdfs } from "../../src/services/ingestion/open-pdfs";
import { OCR_PAGE_CPU_MS, TEXT_PAGE_CPU_MS } from "../../src/services/ingestion/page-work";
import { depsDroppingMessages, ingestEveryBatch, queuedFile } from "../helpers/ingestion";
import { type PageKind, pagesPdf } from "../helpers/pages-pdf";
import { shardRows } from "../helpers/shards";
import { createTenant, type TestTenant } from "../helpers/tenants";

/** A vision model stand-in: every picture reads as the same short notice. */
const transcriber: PageTranscriber & { pictures: number } = {
  provider: "openai",
  model: "stub-vision",
  tokensPerPageCeiling: 200,
  pictures: 0,
  async transcribe() {
    transcriber.pictures++;
    return {
      text: "Notice to residents: the quokkaflorin ferry moves to the western pier during the works.",
      usage: { promptTokens: 90, completionTokens: 20, totalTokens: 110, estimated: false },
    };
  },
};

const repeat = (kind: PageKind, count: number): PageKind[] => Array.from({ length: count }, () => kind);

async function batchesOf(tenant: TestTenant, pages: PageKind[], deps: Deps, sent: () => IngestMessage[]) {
  const first = await queuedFile(tenant, "report.pdf", pagesPdf(pages));
  return { first, batches: await ingestEveryBatch(deps, sent, first) };
}

describe("PDF batches sized by their work", () => {
  it("puts fewer scanned pages than text pages in a message when a vision model reads the scans", async () => {
    const tenant = await createTenant();
    const { deps: base, sent } = depsDroppingMessages();
    const deps: Deps = { ...base, pageTranscriber: transcriber };
    // The defaults: 25 pages a message, 20 s of CPU, an OCR page estimated at 4 s.
    expect(deps.config.ingest).toMatchObject({ pagesPerBatch: 25, messageCpuMs: 20_000 });
    const ocrPagesPerMessage = Math.floor(deps.config.ingest.messageCpuMs / OCR_PAGE_CPU_MS);
    expect(ocrPagesPerMessage).toBe(5);

    const text = await batchesOf(tenant, repeat("text", 30), deps, sent);
    expect(text.batches.map((batch) => batch.pages)).toEqual([
      [1, 25],
      [26, 30],
    ]);

    const picturesBefore = transcriber.pictures;
    const scanned = await batchesOf(tenant, repeat("scan", 12), deps, sent);
    expect(scanned.batches.map((batch) => batch.pages)).toEqual([
      [1, 5],
      [6, 10],
      [11, 12],
    ]);
    expect(transcriber.pictures - picturesBefore).toBe(12);
    // Each message after the first says where it starts.
    expect(scanned.batches.map((batch) => batch.message.first_page)).toEqual([undefined, 6, 11]);

    // Text pages first, then scans: the first message stops where the next scan would pass 20 s.
    const mixed = await batchesOf(tenant, [...repeat("text", 3), ...repeat("scan", 8)], deps, sent);
    expect(3 * TEXT_PAGE_CPU_MS + 4 * OCR_PAGE_CPU_MS).toBeLessThanOrEqual(20_000);
    expect(mixed.batches.map((batch) => batch.pages)).toEqual([
      [1, 7],
      [8, 11],
    ]);
  });

  it("ingests a scanned PDF in those batches to ready, every page read and counted once", async () => {
    const tenant = await createTenant();
    const { deps: base, sent } = depsDroppingMessages();
    const deps: Deps = { ...base, pageTranscriber: transcriber, openPdfs: new OpenPdfs(16 * 1024 * 1024) };
    // Another document's PDF held open: scans to decode make it close, to leave their memory free.
    const close = vi.fn(async () => {});
    const other = { pageCount: 1, extractPages: vi.fn(), scannedPageImage: vi.fn(), close };
    await deps.openPdfs.keep(tenant.id, "doc_other", { pdf: other, etag: "e", bytes: 1024 });
    const { first, batches } = await batchesOf(tenant, repeat("scan", 12), deps, sent);
    expect(batches).toHaveLength(3);
    expect(close).toHaveBeenCalledOnce();

    const row = await env.DB.prepare("SELECT status, pages_done, pages_total FROM documents WHERE id = ?")
      .bind(first.document_id)
      .first();
    expect(row).toEqual({ status: "ready", pages_done: 12, pages_total: 12 });
    // A batch's short transcriptions make one chunk, numbered from its first page.
    const chunks = await shardRows<{ page_start: number; page_end: number; position: number }>(
      tenant.id,
      "SELECT page_start, page_end, position FROM chunks WHERE document_id = ? ORDER BY position",
      first.document_id,
    );
    expect(chunks.map((chunk) => [chunk.page_start, chunk.page_end, chunk.position])).toEqual([
      [1, 5, 0],
      [6, 10, 5 * 4_000],
      [11, 12, 10 * 4_000],
    ]);
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.ingested_pages.used).toBe(12);
    expect(usage.metrics.llm_tokens.used).toBe(12 * 110);
    expect(usage.metrics.llm_tokens.reserved).toBe(0);
  });

  it("counts a scan as a text page when no vision model is configured", async () => {
    const tenant = await createTenant();
    const { deps, sent } = depsDroppingMessages({ pageTranscriber: undefined });
    const first = await queuedFile(tenant, "scans.pdf", pagesPdf([...repeat("scan", 12), "text"]));
    const batches = await ingestEveryBatch(deps, sent, first);
    expect(batches.map((batch) => batch.pages)).toEqual([[1, 13]]);
  });

  it("resumes from a message sent before batches were sized by their work at its batch's pages", async () => {
    const tenant = await createTenant();
    const { deps, sent } = depsDroppingMessages({ pageTranscriber: transcriber });
    const first = await queuedFile(tenant, "report.pdf", pagesPdf(repeat("text", 30)));
    const legacy = batchMessage(tenant.id, {
      documentId: first.document_id,
      generation: first.generation,
      batch: 0,
    });
    const [head] = await ingestEveryBatch(deps, sent, legacy, 1);
    expect(head!.pages).toEqual([1, 25]);
    // Batch 1 of a message without its first page: pages 26 to 30, as batches of 25 numbered them.
    const [tail] = await ingestEveryBatch(deps, sent, { ...legacy, batch: 1 });
    expect(tail!.pages).toEqual([26, 30]);
  });
});
