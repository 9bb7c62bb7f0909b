import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { ProviderError } from "../../src/providers/errors";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import type { IngestMessage } from "../../src/queues/messages";
import { deleteDocument, reindexDocument } from "../../src/services/documents/documents.service";
import { ingestDocumentBatch } from "../../src/services/ingestion/ingestion.service";
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

// Five chunks of the Norwich City article match it.
const QUERY = "Norwich City football club Carrow Road";

const chunkGenerations = async (tenantId: string, documentId: string) =>
  (
    await shardRows<{ generation: number }>(
      tenantId,
      "SELECT generation FROM chunks WHERE document_id = ? ORDER BY generation",
      documentId,
    )
  ).map((row) => row.generation);

const chunkIdsOf = async (tenantId: string, documentId: string, generation: number) =>
  (
    await shardRows<{ id: string }>(
      tenantId,
      "SELECT id FROM chunks WHERE document_id = ? AND generation = ?",
      documentId,
      generation,
    )
  ).map((row) => row.id);

const vectorCount = async (tenantId: string) =>
  (await env.SEARCH_SHARD.getByName(vectorIndexName(tenantId)).stats()).count;

const unavailable = () => new ProviderError("openai", true, "503 Service Unavailable");

/** Dependencies whose embedder fails with a transient error (the model is overloaded, say). */
const embedderFailing = (base: Deps) =>
  depsWithEmbedder(async () => {
    throw unavailable();
  }, base);

/** Dependencies whose vector store cannot delete by id (so a batch cannot take back its writes). */
function vectorDeletesFailing(base: Deps): Deps {
  const vectorStore = Object.create(base.vectorStore) as Deps["vectorStore"];
  vectorStore.deleteByIds = async () => {
    throw new ProviderError("embedded", true, "the vector index was reset");
  };
  return { ...base, vectorStore };
}

/** Dependencies that run `meanwhile` once a batch has read its document and file. */
function withBlobReads(base: Deps, meanwhile: () => Promise<void>): Deps {
  const blobs = Object.create(base.blobs) as Deps["blobs"];
  blobs.get = async (key: string) => {
    const file = await base.blobs.get(key);
    await meanwhile();
    return file;
  };
  return { ...base, blobs };
}

const run = (deps: Deps, message: IngestMessage) =>
  ingestDocumentBatch({
    ctx: { tenantId: message.tenant_id },
    deps,
    input: { documentId: message.document_id, generation: message.generation, batch: message.batch },
  });

describe("a batch overtaken by a deletion, then failing", () => {
  it("takes back the chunks it stored instead of retrying, and search never returns them", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const { deps } = depsDroppingMessages();
    // The deletion lands after the batch read the document, before its chunks reach the shard.
    const deleting = withBlobReads(deps, async () => {
      await deleteDocument({ ctx: requestCtx(tenant.id), deps, input: { documentId: message.document_id } });
    });

    await expect(run(embedderFailing(deleting), message)).resolves.toBe(0); // no page indexed
    // A copy of the message delivered again is refused, and finds nothing left to take back.
    await run(deps, message);

    expect(await chunkGenerations(tenant.id, message.document_id)).toEqual([]);
    expect(await vectorCount(tenant.id)).toBe(0);
    expect(await search(tenant, QUERY, { mode: "keyword" })).toEqual([]);
  });

  it("is hidden from search while it cannot take them back, and a redelivery takes them back", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const { deps } = depsDroppingMessages();
    const deleting = withBlobReads(deps, async () => {
      await deleteDocument({ ctx: requestCtx(tenant.id), deps, input: { documentId: message.document_id } });
    });

    await expect(run(embedderFailing(vectorDeletesFailing(deleting)), message)).rejects.toThrow(
      "the vector index was reset",
    );
    expect((await chunkGenerations(tenant.id, message.document_id)).length).toBeGreaterThan(0);
    for (const mode of ["keyword", "hybrid", "vector"])
      expect(await search(tenant, QUERY, { mode })).toEqual([]);

    await run(deps, message); // the retry: its lease is refused, and it clears the generation
    expect(await chunkGenerations(tenant.id, message.document_id)).toEqual([]);
    expect(await search(tenant, QUERY, { mode: "keyword" })).toEqual([]);
  });
});

describe("a batch overtaken by a reindex, then failing", () => {
  it("never shows its generation's chunks in search, and leaves only the new generation's", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const { deps, sent } = depsDroppingMessages();
    const held = gate();
    const oldBatch = run(
      embedderFailing(vectorDeletesFailing(withBlobReads(deps, () => held.pass()))),
      message,
    );
    await held.reached;
    await reindexDocument({ ctx: requestCtx(tenant.id), deps, input: { documentId: message.document_id } });
    held.open();
    await expect(oldBatch).rejects.toThrow("the vector index was reset");

    // The old generation's chunks are stored (the batch could not take them back), yet never found.
    expect(await chunkGenerations(tenant.id, message.document_id)).toContain(message.generation);
    expect(await search(tenant, QUERY, { mode: "keyword" })).toEqual([]);

    const [newRun] = sent();
    expect(newRun).toMatchObject({ generation: message.generation + 1, batch: 0 });
    await run(deps, newRun!);
    const current = await chunkIdsOf(tenant.id, message.document_id, newRun!.generation);
    const hits = await search(tenant, QUERY, { mode: "hybrid", top_k: 50 });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(current).toContain(hit.chunk_id);

    await run(deps, message); // the old batch's retry is refused, and clears what is left of its generation
    expect(new Set(await chunkGenerations(tenant.id, message.document_id))).toEqual(
      new Set([newRun!.generation]),
    );
    expect(await vectorCount(tenant.id)).toBe(current.length);
  });

  it("leaves older generations to the new generation's first batch when the reindex cannot clear them", async () => {
    const tenant = await createTenant();
    const first = await queuedDocument(tenant);
    const { deps, sent } = depsDroppingMessages();
    await run(deps, first);
    const before = await chunkIdsOf(tenant.id, first.document_id, first.generation);
    expect(before.length).toBeGreaterThan(0);

    // The shard is unreachable while the reindex runs.
    const searchShards = Object.create(deps.searchShards) as Deps["searchShards"];
    const down = async () => {
      throw new ProviderError("search-shard", true, "the object was reset");
    };
    searchShards.deleteByDocument = down;
    searchShards.advanceGeneration = down;
    await expect(
      reindexDocument({
        ctx: requestCtx(tenant.id),
        deps: { ...deps, searchShards },
        input: { documentId: first.document_id },
      }),
    ).resolves.toMatchObject({ generation: first.generation + 1, status: "queued" });

    const [again] = sent();
    await run(deps, again!);
    const after = await chunkIdsOf(tenant.id, first.document_id, again!.generation);
    expect(await chunkGenerations(tenant.id, first.document_id)).toEqual(after.map(() => again!.generation));
    expect(await vectorCount(tenant.id)).toBe(after.length);
  });
});
