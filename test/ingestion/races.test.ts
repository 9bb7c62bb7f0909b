import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { deleteDocument, reindexDocument } from "../../src/services/documents";
import { ingestDocumentBatch } from "../../src/services/ingestion";
import { search } from "../helpers/documents";
import {
  depsDroppingMessages,
  depsWithEmbedder,
  gate,
  queuedDocument,
  requestCtx,
} from "../helpers/ingestion";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

const QUERY = "Norwich City football club Carrow Road";

const documentRow = (id: string) =>
  env.DB.prepare("SELECT status, error, chunk_count, generation FROM documents WHERE id = ?")
    .bind(id)
    .first<{ status: string; error: string | null; chunk_count: number; generation: number }>();

// What the tenant's search shard holds of the document's chunks.
const chunkGenerations = async (tenantId: string, documentId: string) =>
  (
    await shardRows<{ generation: number }>(
      tenantId,
      "SELECT generation FROM chunks WHERE document_id = ?",
      documentId,
    )
  ).map((row) => row.generation);

// What the tenant's embedded vector index holds (the test Worker's store).
const vectorCount = async (tenantId: string) =>
  (await env.VECTOR_INDEX.getByName(vectorIndexName(tenantId)).stats()).count;

/** Dependencies whose blob reads wait at the gate: the batch is held before it inserts anything. */
function holdingBeforeInsert(base: Deps, held: ReturnType<typeof gate>): Deps {
  return {
    ...base,
    blobs: {
      get: async (key: string) => {
        await held.pass();
        return base.blobs.get(key);
      },
    } as Deps["blobs"],
  };
}

/** Dependencies whose embedder waits at the gate: the batch is held after its chunk rows, before its vectors. */
function holdingBeforeUpsert(base: Deps, held: ReturnType<typeof gate>): Deps {
  return depsWithEmbedder(async (texts, kind) => {
    await held.pass();
    return base.embedder.embed(texts, kind);
  }, base);
}

/** Starts the first batch of a queued document, holds it at `holding`'s gate, then reindexes the document. */
async function reindexWhileBatchHeld(holding: (base: Deps, held: ReturnType<typeof gate>) => Deps) {
  const tenant = await createTenant();
  const message = await queuedDocument(tenant);
  const ctx = { tenantId: tenant.id };
  const { deps, sent } = depsDroppingMessages();
  const held = gate();
  const oldBatch = ingestDocumentBatch({
    ctx,
    deps: holding(deps, held),
    input: { documentId: message.document_id, generation: message.generation, batch: 0 },
  });
  await held.reached;
  await reindexDocument({ ctx: requestCtx(tenant.id), deps, input: { documentId: message.document_id } });
  return { tenant, message, ctx, deps, sent, held, oldBatch };
}

describe("ingestion racing a reindex", () => {
  it("ends ready with the new generation's chunks when the old batch inserts after the restart", async () => {
    const { tenant, message, ctx, deps, sent, held, oldBatch } =
      await reindexWhileBatchHeld(holdingBeforeInsert);
    held.open();
    await oldBatch;
    const [newRun] = sent();
    expect(newRun).toMatchObject({ generation: message.generation + 1, batch: 0 });
    await ingestDocumentBatch({
      ctx,
      deps,
      input: { documentId: newRun!.document_id, generation: newRun!.generation, batch: 0 },
    });

    const row = await documentRow(message.document_id);
    expect(row).toMatchObject({ status: "ready", error: null, generation: message.generation + 1 });
    const generations = await chunkGenerations(tenant.id, message.document_id);
    expect(generations.length).toBe(row!.chunk_count);
    expect(new Set(generations)).toEqual(new Set([message.generation + 1]));
    expect(await vectorCount(tenant.id)).toBe(row!.chunk_count);
    expect((await search(tenant, QUERY, { mode: "keyword" })).length).toBeGreaterThan(0);
  });

  it("leaves no vector of the old generation when the old batch upserts after the new run finished", async () => {
    const { tenant, message, ctx, deps, sent, held, oldBatch } =
      await reindexWhileBatchHeld(holdingBeforeUpsert);
    const [newRun] = sent();
    await ingestDocumentBatch({
      ctx,
      deps,
      input: { documentId: newRun!.document_id, generation: newRun!.generation, batch: 0 },
    });
    const ready = await documentRow(message.document_id);
    expect(ready).toMatchObject({ status: "ready" });
    held.open();
    await oldBatch;

    expect(await documentRow(message.document_id)).toEqual(ready);
    expect(new Set(await chunkGenerations(tenant.id, message.document_id))).toEqual(
      new Set([newRun!.generation]),
    );
    expect(await vectorCount(tenant.id)).toBe(ready!.chunk_count);
  });
});

describe("ingestion racing a deletion", () => {
  it("leaves nothing of a document deleted while its batch was embedding", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const { deps } = depsDroppingMessages();
    const held = gate();

    const batch = ingestDocumentBatch({
      ctx: { tenantId: tenant.id },
      deps: holdingBeforeUpsert(deps, held),
      input: { documentId: message.document_id, generation: message.generation, batch: 0 },
    });
    await held.reached;
    expect(await chunkGenerations(tenant.id, message.document_id)).not.toEqual([]);
    await deleteDocument({ ctx: requestCtx(tenant.id), deps, input: { documentId: message.document_id } });
    held.open();
    await batch;

    expect(await documentRow(message.document_id)).toBeNull();
    expect(await chunkGenerations(tenant.id, message.document_id)).toEqual([]);
    // The shard remembers the document as removed, and nothing else of it.
    expect(await shardRows(tenant.id, "SELECT id FROM chunk_documents WHERE removed = 0")).toEqual([]);
    expect(await vectorCount(tenant.id)).toBe(0);
    for (const mode of ["keyword", "vector", "hybrid"])
      expect(await search(tenant, QUERY, { mode })).toEqual([]);
  });
});
