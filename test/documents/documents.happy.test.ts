import { describe, expect, it } from "vitest";
import {
  DocumentPageSchema,
  DocumentSchema,
  UploadedDocumentSchema,
} from "../../src/routes/documents/documents.schemas";
import { expectBody } from "../helpers/api";
import { readCorpus } from "../helpers/corpus";
import { search, upload, uploadCorpus, uploadRequest, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";

describe("documents", () => {
  it("uploads, ingests in the background and reports counts", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const queued = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    expect(queued).toMatchObject({ status: "queued", filename: "norwich-city.txt", duplicate: false });
    expect(queued.size_bytes).toBe(48_193);
    const digest = await crypto.subtle.digest("SHA-256", await readCorpus("txt/norwich-city.txt"));
    expect(queued.sha256).toBe(
      [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""),
    );

    const ready = await waitForDocument(tenant, queued.id);
    expect(ready.status).toBe("ready");
    expect(ready.error).toBeNull();
    expect(ready.chunk_count).toBeGreaterThan(5);
    expect(ready.token_count).toBeGreaterThan(8_000);
    // A text file counts page equivalents of 3,000 characters: about 48 kB of text, 16 of them.
    expect(ready.page_count).toBe(16);
    expect(ready.progress).toEqual({ pages_done: 16, pages_total: 16 });

    const hits = await search(tenant, "Norwich City football club Carrow Road");
    expect(hits[0]?.document_id).toBe(queued.id);
  });

  it("keeps the metadata and serves the original file back", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const bytes = await readCorpus("md/simple-table.md");
    const response = await uploadRequest(
      tenant.client,
      collection.id,
      "table.md",
      bytes,
      '{"source":"wiki"}',
    );
    const document = await expectBody(response, 202, UploadedDocumentSchema);
    expect(document.metadata).toEqual({ source: "wiki" });
    const content = await tenant.client.request("GET", `documents/${document.id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get("content-disposition")).toContain("table.md");
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(bytes);
  });

  it("recognises identical content in a collection and starts no new ingestion", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const other = await createCollection(tenant, "Other");
    const bytes = await readCorpus("md/readability-README.md");
    const first = await upload(tenant, collection.id, "readme.md", bytes);
    const again = await uploadRequest(tenant.client, collection.id, "copy.md", bytes);
    const duplicate = await expectBody(again, 200, UploadedDocumentSchema);
    expect(duplicate).toMatchObject({ id: first.id, duplicate: true, filename: "readme.md" });
    // Another collection is another place: the same content is a new document there.
    const elsewhere = await upload(tenant, other.id, "readme.md", bytes);
    expect(elsewhere.id).not.toBe(first.id);
    const list = await tenant.client.expectJson(
      200,
      "GET",
      `documents?collection_id=${collection.id}`,
      DocumentPageSchema,
    );
    expect(list.data).toHaveLength(1);
  });

  it("lists by collection and status", async () => {
    const tenant = await createTenant();
    const a = await createCollection(tenant, "A");
    const b = await createCollection(tenant, "B");
    const good = await uploadCorpus(tenant, a.id, "md/simple-table.md");
    const empty = await uploadCorpus(tenant, b.id, "txt/empty.txt");
    await waitForDocument(tenant, good.id);
    await waitForDocument(tenant, empty.id);
    const failed = await tenant.client.expectJson(200, "GET", "documents?status=failed", DocumentPageSchema);
    expect(failed.data.map((d) => d.id)).toEqual([empty.id]);
    const inA = await tenant.client.expectJson(
      200,
      "GET",
      `documents?collection_id=${a.id}`,
      DocumentPageSchema,
    );
    expect(inA.data.map((d) => d.id)).toEqual([good.id]);
  });

  it("reindexes a document from its stored original", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "md/pypdf-extract-text.md");
    const first = await waitForDocument(tenant, document.id);
    const requeued = await tenant.client.expectJson(
      202,
      "POST",
      `documents/${document.id}/reindex`,
      DocumentSchema,
    );
    expect(requeued.status).toBe("queued");
    const second = await waitForDocument(tenant, document.id);
    expect(second.status).toBe("ready");
    expect(second.chunk_count).toBe(first.chunk_count);
    const hits = await search(tenant, "extract text from a PDF", { mode: "keyword", top_k: 50 });
    const ids = hits.map((h) => h.chunk_id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
