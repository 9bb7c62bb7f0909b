import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { deleteDocument } from "../../src/services/documents";
import { ingestDocumentBatch } from "../../src/services/ingestion";
import { search, uploadCorpus, waitForDocument } from "../helpers/documents";
import { depsDroppingMessages, queuedDocument, requestCtx } from "../helpers/ingestion";
import { shardChunkIds, shardRows } from "../helpers/shards";
import { createCollection, createTenant } from "../helpers/tenants";

const QUERY = "Norwich City football club Carrow Road";

async function chunkRows(tenantId: string, documentId: string): Promise<number> {
  return (await shardChunkIds(tenantId, documentId)).length;
}

async function ftsRows(tenantId: string, term: string): Promise<number> {
  const [row] = await shardRows<{ n: number }>(
    tenantId,
    "SELECT count(*) AS n FROM chunks_terms_fts WHERE chunks_terms_fts MATCH ?",
    term,
  );
  return row?.n ?? 0;
}

describe("deletion", () => {
  it("removes a document's file, chunks, full-text rows and vectors; search forgets it at once", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, document.id);
    for (const mode of ["keyword", "vector", "hybrid"]) {
      expect((await search(tenant, QUERY, { mode })).map((h) => h.document_id)).toContain(document.id);
    }
    const blobKey = `tenants/${tenant.id}/documents/${document.id}/original`;
    expect(await env.FILES.head(blobKey)).not.toBeNull();
    const ftsBefore = await ftsRows(tenant.id, '"carrow"');
    expect(await chunkRows(tenant.id, document.id)).toBeGreaterThan(0);

    await tenant.client.expectNoContent("DELETE", `documents/${document.id}`);

    for (const mode of ["keyword", "vector", "hybrid"])
      expect(await search(tenant, QUERY, { mode })).toEqual([]);
    await tenant.client.expectProblem(404, "GET", `documents/${document.id}`);
    await tenant.client.expectProblem(404, "GET", `documents/${document.id}/content`);
    expect(await env.FILES.head(blobKey)).toBeNull();
    expect(await chunkRows(tenant.id, document.id)).toBe(0);
    expect(await ftsRows(tenant.id, '"carrow"')).toBeLessThan(ftsBefore);
  });

  it("deleting a collection deletes everything in it", async () => {
    const tenant = await createTenant();
    const doomed = await createCollection(tenant, "Doomed");
    const kept = await createCollection(tenant, "Kept");
    const gone = await uploadCorpus(tenant, doomed.id, "txt/norwich-city.txt");
    const stays = await uploadCorpus(tenant, kept.id, "md/readability-README.md");
    await waitForDocument(tenant, gone.id);
    await waitForDocument(tenant, stays.id);

    expect(await chunkRows(tenant.id, gone.id)).toBeGreaterThan(0);
    await tenant.client.expectNoContent("DELETE", `collections/${doomed.id}`);

    expect(await search(tenant, QUERY, { mode: "vector", top_k: 20 })).not.toContainEqual(
      expect.objectContaining({ document_id: gone.id }),
    );
    expect(await search(tenant, QUERY, { mode: "keyword" })).toEqual([]);
    await tenant.client.expectProblem(404, "GET", `documents/${gone.id}`);
    expect(await chunkRows(tenant.id, gone.id)).toBe(0);
    expect(await chunkRows(tenant.id, stays.id)).toBeGreaterThan(0);
    expect(await env.FILES.head(`tenants/${tenant.id}/documents/${gone.id}/original`)).toBeNull();
    const readability = await search(tenant, "Readability parse article", { mode: "keyword" });
    expect(readability[0]?.document_id).toBe(stays.id);
  });
});

describe("deletion during ingestion", () => {
  it("leaves no chunks in the shard when the document is deleted before a batch stores them", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const ctx = requestCtx(tenant.id);
    const { deps } = depsDroppingMessages();
    // The delete lands after the batch has read the document and its file, before its chunks reach
    // the shard: the delete finds nothing there to remove.
    const blobs = Object.create(deps.blobs) as Deps["blobs"];
    blobs.get = async (key: string) => {
      const file = await deps.blobs.get(key);
      await deleteDocument({ ctx, deps, input: { documentId: message.document_id } });
      return file;
    };
    await ingestDocumentBatch({
      ctx,
      deps: { ...deps, blobs },
      input: { documentId: message.document_id, generation: message.generation, batch: 0 },
    });
    expect(await shardRows(tenant.id, "SELECT id FROM chunks")).toEqual([]);
    // The shard remembers the document as removed, and nothing else of it.
    expect(await shardRows(tenant.id, "SELECT id FROM chunk_documents WHERE removed = 0")).toEqual([]);
  });
});
