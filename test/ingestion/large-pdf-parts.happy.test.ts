import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { PDF_PART_ABOVE_BYTES } from "../../src/ingest/parse";
import { OpenPdfs } from "../../src/services/ingestion/open-pdfs";
import { BlobStore } from "../../src/storage/blob-store";
import { findDocument } from "../../src/storage/repositories/documents.repo";
import { countingBlobs, depsDroppingMessages, ingestEveryBatch, queuedFile } from "../helpers/ingestion";
import { largePdf, largePdfPageWords } from "../helpers/large-pdf";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

const MB = 1024 * 1024;

/** `base` counting the bytes its range readers read. */
function rangeCountingBlobs(base: BlobStore) {
  const ranges = { reads: 0, bytes: 0 };
  const blobs = Object.create(base) as BlobStore;
  blobs.ranges = async (key: string) => {
    const reader = await base.ranges(key);
    if (!reader) return null;
    return {
      size: reader.size,
      read: async (offset: number, length: number) => {
        ranges.reads++;
        ranges.bytes += length;
        return reader.read(offset, length);
      },
    };
  };
  return { blobs, ranges };
}

describe("a PDF larger than PDF_PART_ABOVE_BYTES", () => {
  it("is ingested batch by batch from ranges of the file, never read whole", async () => {
    const tenant = await createTenant();
    // 30 pages, each with a 330 KB picture: about 9.5 MB.
    const file = largePdf(30, 330_000);
    expect(file.length).toBeGreaterThan(PDF_PART_ABOVE_BYTES);
    const { deps: base, sent } = depsDroppingMessages();
    const counted = countingBlobs(new BlobStore(env.FILES));
    const { blobs, ranges } = rangeCountingBlobs(counted.blobs);
    const deps: Deps = {
      ...base,
      blobs,
      config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 10 } },
      openPdfs: new OpenPdfs(64 * MB),
    };
    const first = await queuedFile(tenant, "survey.pdf", file);
    const batches = await ingestEveryBatch(deps, sent, first);
    expect(batches.map((batch) => batch.pages)).toEqual([
      [1, 10],
      [11, 20],
      [21, 30],
    ]);
    expect(counted.reads).toEqual({ bodies: 0, unchanged: 0 });
    // Each batch reads its pages' objects (half of them paint their picture) and the cross-reference data.
    expect(ranges.bytes).toBeLessThan(file.length * 0.6);
    expect(ranges.reads).toBeGreaterThan(3);
    // Nothing of a part is held for the next batch: the next reads its own pages.
    expect(deps.openPdfs.size).toEqual({ documents: 0, bytes: 0 });
    const document = await findDocument(deps.db, tenant.id, first.document_id);
    expect(document).toMatchObject({ status: "ready", pageCount: 30 });
    const chunks = await shardRows(
      tenant.id,
      "SELECT text, page_start FROM chunks WHERE document_id = ? ORDER BY position",
      first.document_id,
    );
    const text = chunks.map((chunk) => String(chunk.text)).join(" ");
    for (const page of [1, 11, 29, 30]) expect(text).toContain(largePdfPageWords(page));
  });
});
