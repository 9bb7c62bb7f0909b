import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { OpenPdfs } from "../../src/services/ingestion/open-pdfs";
import { originalKey } from "../../src/storage/blob-store";
import { countingBlobs, depsDroppingMessages, ingestEveryBatch, queuedFile } from "../helpers/ingestion";
import { type PageKind, pagesPdf } from "../helpers/pages-pdf";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

const MB = 1024 * 1024;
const thirtyTextPages: PageKind[] = Array.from({ length: 30 }, () => "text");

/** The test bindings' dependencies with one isolate's open PDFs shared by every document, counting R2 reads. */
function sharedIsolate() {
  const { deps: base, sent } = depsDroppingMessages();
  const { blobs, reads } = countingBlobs(base.blobs);
  const deps: Deps = { ...base, blobs, openPdfs: new OpenPdfs(16 * MB) };
  return { deps, sent, reads };
}

const chunkTexts = async (tenantId: string, documentId: string, fromPage: number) =>
  (
    await shardRows<{ text: string }>(
      tenantId,
      "SELECT text FROM chunks WHERE document_id = ? AND page_start >= ? ORDER BY position",
      documentId,
      fromPage,
    )
  ).map((row) => row.text);

describe("PDFs kept open between batches", () => {
  it("reads a new version of the file when it changed in R2 since the previous batch", async () => {
    const tenant = await createTenant();
    const { deps, sent, reads } = sharedIsolate();
    const first = await queuedFile(tenant, "report.pdf", pagesPdf(thirtyTextPages, "Alphaversion"));
    const [head] = await ingestEveryBatch(deps, sent, first, 1);
    expect(head!.pages).toEqual([1, 25]);
    expect(deps.openPdfs.size.documents).toBe(1);

    // Another version of the file under the same key (another etag), before the next batch runs.
    await env.FILES.put(originalKey(tenant.id, first.document_id), pagesPdf(thirtyTextPages, "Omegaversion"));
    const next = sent().at(-1)!;
    expect(next.first_page).toBe(26);
    await ingestEveryBatch(deps, sent, next);

    expect(reads).toEqual({ bodies: 2, unchanged: 0 });
    const later = (await chunkTexts(tenant.id, first.document_id, 26)).join(" ");
    expect(later).toContain("Omegaversion");
    expect(later).not.toContain("Alphaversion");
  });

  it("never hands a document the PDF another document holds open, in its tenant or another, same bytes or not", async () => {
    const { deps, sent, reads } = sharedIsolate();
    const tenant = await createTenant();
    const other = await createTenant();
    const alpha = pagesPdf(thirtyTextPages, "Alphadocument");
    const held = await queuedFile(tenant, "alpha.pdf", alpha);
    await ingestEveryBatch(deps, sent, held, 1); // its first 25 pages: held open for the next batch
    expect(deps.openPdfs.size.documents).toBe(1);

    // A document of another tenant with the very same bytes (R2 gives it the same etag), and another
    // document of the same tenant.
    const copy = await queuedFile(other, "alpha.pdf", alpha);
    const beta = await queuedFile(tenant, "beta.pdf", pagesPdf(thirtyTextPages, "Betadocument"));
    await ingestEveryBatch(deps, sent, copy, 1);
    await ingestEveryBatch(deps, sent, beta, 1);
    // Each read its own file: none found the other's open PDF.
    expect(reads).toEqual({ bodies: 3, unchanged: 0 });
    const betaText = (await chunkTexts(tenant.id, beta.document_id, 1)).join(" ");
    expect(betaText).toContain("Betadocument");
    expect(betaText).not.toContain("Alphadocument");

    // Each finishes from its own open PDF.
    for (const message of [held, beta, copy]) {
      const next = sent().findLast((sentMessage) => sentMessage.document_id === message.document_id)!;
      await ingestEveryBatch(deps, sent, next);
    }
    expect(reads.bodies).toBeGreaterThanOrEqual(3);
    const betaTail = (await chunkTexts(tenant.id, beta.document_id, 26)).join(" ");
    expect(betaTail).toContain("Betadocument");
    expect(betaTail).not.toContain("Alphadocument");
    const copyTail = (await chunkTexts(other.id, copy.document_id, 26)).join(" ");
    expect(copyTail).toContain("Alphadocument");
  });
});
