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

/** `bytes` with a comment line after the header: every offset the file gives now misses by its length. */
function shifted(bytes: Uint8Array): Uint8Array {
  const padding = new TextEncoder().encode("%padding\n");
  const out = new Uint8Array(bytes.length + padding.length);
  out.set(bytes.subarray(0, 9));
  out.set(padding, 9);
  out.set(bytes.subarray(9), 9 + padding.length);
  return out;
}

describe("a large PDF whose cross-reference data misses its objects", () => {
  it("is read whole by each batch, repaired by pdf.js as before, and ingested", async () => {
    const tenant = await createTenant();
    const file = shifted(largePdf(20, 450_000));
    expect(file.length).toBeGreaterThan(PDF_PART_ABOVE_BYTES);
    const { deps: base, sent } = depsDroppingMessages();
    const { blobs, reads } = countingBlobs(new BlobStore(env.FILES));
    const deps: Deps = {
      ...base,
      blobs,
      config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 10 } },
      openPdfs: new OpenPdfs(64 * MB),
    };
    const first = await queuedFile(tenant, "shifted.pdf", file);
    const batches = await ingestEveryBatch(deps, sent, first);
    expect(batches.map((batch) => batch.pages)).toEqual([
      [1, 10],
      [11, 20],
    ]);
    // Whole, by each batch: a file read whole for want of parts is not held either.
    expect(reads).toEqual({ bodies: 2, unchanged: 0 });
    expect(deps.openPdfs.size).toEqual({ documents: 0, bytes: 0 });
    expect(await findDocument(deps.db, tenant.id, first.document_id)).toMatchObject({
      status: "ready",
      pageCount: 20,
    });
    const chunks = await shardRows(
      tenant.id,
      "SELECT text FROM chunks WHERE document_id = ?",
      first.document_id,
    );
    const text = chunks.map((chunk) => String(chunk.text)).join(" ");
    for (const page of [1, 20]) expect(text).toContain(largePdfPageWords(page));
  });
});
