import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { newId } from "../../src/lib/ids";
import { nowIso } from "../../src/lib/time";
import { handleScheduled } from "../../src/scheduled";
import { deleteDocument } from "../../src/services/documents";
import { moveAllLegacyChunks } from "../../src/services/search/legacy-chunks";
import { chunks, documents } from "../../src/storage/schema";
import { search } from "../helpers/documents";
import { requestCtx } from "../helpers/ingestion";
import { shardChunkIds, shardRows } from "../helpers/shards";
import { createCollection, createTenant } from "../helpers/tenants";

/** A document with chunks in D1, as releases before the search shards stored them. */
async function legacyDocument(tenantId: string, collectionId: string, generation: number) {
  const deps = depsFor(env);
  const id = newId("doc");
  const now = nowIso();
  await deps.db.insert(documents).values({
    id,
    tenantId,
    collectionId,
    filename: "legacy.txt",
    format: "txt",
    contentType: "text/plain",
    sizeBytes: 10,
    sha256: id,
    blobKey: `tenants/${tenantId}/documents/${id}/original`,
    metadata: null,
    status: "ready",
    error: null,
    pageCount: null,
    chunkCount: 5,
    tokenCount: 50,
    pagesDone: 0,
    pagesTotal: null,
    generation,
    listPosition: 1,
    createdAt: now,
    updatedAt: now,
  });
  const row = (position: number, text: string, chunkGeneration = generation) => ({
    id: `chk_legacy_${id}_${position}`,
    tenantId,
    collectionId,
    documentId: id,
    position,
    text,
    pageStart: 1,
    pageEnd: 2,
    section: "Legacy",
    pageOffsets: [
      [0, 1],
      [10, 2],
    ] as [number, number][],
    tokenCount: 10,
    generation: chunkGeneration,
  });
  const rows = [
    row(0, "The zarnithe turbine spins at dawn."),
    row(1, "Its zarnithe blades are checked weekly."),
    row(2, "A third chunk about the zarnithe housing."),
    row(3, "A fourth chunk about zarnithe bearings."),
    // Left by a reindex that has since replaced it: stale.
    row(4, "An obsolete zarnithe note.", generation - 1),
  ];
  await deps.db.insert(chunks).values(rows);
  return { id, rows };
}

const legacyCount = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM chunks WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ n: number }>()
  )?.n;

describe("moving chunks from D1 into the search shards", () => {
  it("moves every current chunk once, drops stale ones, resumes after an interruption and is idempotent", async () => {
    const deps = depsFor(env);
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await legacyDocument(tenant.id, collection.id, 2);
    // An earlier run copied one chunk and stopped before deleting it from D1.
    const [first] = document.rows;
    await deps.searchShards.insertChunks(tenant.id, [
      { ...first!, filename: "legacy.txt", pageOffsets: first!.pageOffsets },
    ]);

    // Pages of two: several pages, resumed from whatever D1 still holds.
    expect(await moveAllLegacyChunks({ deps, input: { maxChunks: 1_000, pageSize: 2 } })).toBe(5);

    expect(await legacyCount(tenant.id)).toBe(0);
    const current = document.rows.filter((row) => row.generation === 2).map((row) => row.id);
    expect(await shardChunkIds(tenant.id, document.id)).toEqual([...current].sort());
    const hits = await search(tenant, "zarnithe", { mode: "keyword", top_k: 10 });
    expect(hits.map((hit) => hit.chunk_id).sort()).toEqual([...current].sort());
    expect(hits[0]).toMatchObject({ filename: "legacy.txt", page: 1, page_end: 2, section: "Legacy" });

    // Nothing left: a second run changes nothing.
    expect(await moveAllLegacyChunks({ deps, input: { maxChunks: 1_000 } })).toBe(0);
    expect(await shardChunkIds(tenant.id, document.id)).toEqual([...current].sort());
  });

  it("stops after its budget and goes on at the next run", async () => {
    const deps = depsFor(env);
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await legacyDocument(tenant.id, collection.id, 1);
    expect(await moveAllLegacyChunks({ deps, input: { maxChunks: 2, pageSize: 2 } })).toBe(2);
    expect(await legacyCount(tenant.id)).toBe(3);
    expect(await moveAllLegacyChunks({ deps, input: { maxChunks: 100, pageSize: 2 } })).toBe(3);
    expect(await legacyCount(tenant.id)).toBe(0);
    expect(await shardChunkIds(tenant.id, document.id)).toHaveLength(4);
  });

  it("takes back what it copied of a document deleted while the copy was under way", async () => {
    const real = depsFor(env);
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await legacyDocument(tenant.id, collection.id, 1);
    const ctx = requestCtx(tenant.id);
    // The deletion lands after the page was read, just before the copy reaches the shard.
    const searchShards = Object.create(real.searchShards) as Deps["searchShards"];
    searchShards.insertChunks = async (tenantId, chunks) => {
      await deleteDocument({ ctx, deps: real, input: { documentId: document.id } });
      return real.searchShards.insertChunks(tenantId, chunks);
    };
    await moveAllLegacyChunks({ deps: { ...real, searchShards }, input: { maxChunks: 100 } });
    expect(await legacyCount(tenant.id)).toBe(0);
    expect(await shardRows(tenant.id, "SELECT id FROM chunks")).toEqual([]);
    // The shard remembers the document as removed, and nothing else of it.
    expect(await shardRows(tenant.id, "SELECT id FROM chunk_documents WHERE removed = 0")).toEqual([]);
  });

  it("runs from the cron trigger", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await legacyDocument(tenant.id, collection.id, 1);
    await handleScheduled({ scheduledTime: Date.now() } as ScheduledController, env);
    expect(await legacyCount(tenant.id)).toBe(0);
    expect(await shardChunkIds(tenant.id, document.id)).toHaveLength(4);
  });
});
