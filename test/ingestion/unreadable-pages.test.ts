import { describe, expect, it } from "vitest";
import { DocumentSchema } from "../../src/routes/documents/documents.schemas";
import { search, uploadCorpus, waitForDocument } from "../helpers/documents";
import { shardRows } from "../helpers/shards";
import { createCollection, createTenant } from "../helpers/tenants";

describe("a PDF whose text layer is partly unreadable", () => {
  it("is ready with its garbled pages named in a warning, indexed only where it reads", {
    timeout: 120_000,
  }, async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const uploaded = await uploadCorpus(tenant, collection.id, "pdf/TAMReview.pdf");
    const document = await waitForDocument(tenant, uploaded.id, 110_000);

    expect(document.status).toBe("ready");
    expect(document.warnings).toHaveLength(1);
    const [warning] = document.warnings;
    expect(warning!.code).toBe("unreadable_pages");
    expect(warning!.pages).toEqual(expect.arrayContaining([2, 3, 10, 20]));
    expect(warning!.pages).not.toContain(1);
    expect(warning!.message).toMatch(
      /^pages 2–\d+.*: the text layer does not decode to words .* OCR would be needed/,
    );

    // Nothing of the left-out pages is in the tenant's index.
    // (A chunk may run from page 1 to page 22: the pages between are left out, not in it.)
    const chunks = await shardRows<{ page_start: number; page_end: number; text: string }>(
      tenant.id,
      "SELECT page_start, page_end, text FROM chunks WHERE document_id = ?",
      uploaded.id,
    );
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      expect(warning!.pages).not.toContain(chunk.page_start);
      expect(warning!.pages).not.toContain(chunk.page_end);
      expect(chunk.text).not.toContain('! " #');
    }
    // The readable title page is searchable, with its page.
    const [hit] = await search(tenant, "TAM review", { mode: "keyword", collection_ids: [collection.id] });
    expect(hit?.page).toBe(1);
  });

  it("keeps a sound PDF free of warnings", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const uploaded = await uploadCorpus(tenant, collection.id, "pdf/tracemonkey.pdf");
    const document = await waitForDocument(tenant, uploaded.id);
    expect(document.status).toBe("ready");
    expect(document.warnings).toEqual([]);
    expect(DocumentSchema.parse(document).page_count).toBe(14);
  });
});
