import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { VectorizeVectorStore, vectorId } from "../../src/providers/vector/vectorize-store";
import { FakeVectorize } from "./fake-vectorize";
import {
  CONTRACT_DIMENSIONS,
  describeVectorStoreContract,
  freshTenant,
  record,
  vec,
} from "./vector-store.contract";

// One index shared by the contract tests, as in production: tenants are namespaces in it.
const shared = new FakeVectorize(CONTRACT_DIMENSIONS);
describeVectorStoreContract("vectorize", () => new VectorizeVectorStore(shared, env.SEARCH_SHARD));

describe("vectorize store", () => {
  it("writes each tenant to its own namespace, under ids hashed from tenant and chunk", async () => {
    const index = new FakeVectorize(CONTRACT_DIMENSIONS);
    const store = new VectorizeVectorStore(index, env.SEARCH_SHARD);
    const tenant = freshTenant();
    const longChunkId = `doc_${"x".repeat(40)}:0:${"f".repeat(64)}`;
    await store.upsert(tenant, [
      record(tenant, longChunkId, vec(1), { collectionId: "col_x", documentId: "doc_y" }),
    ]);
    const id = await vectorId(tenant, longChunkId);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(index.vectors.get(id)).toMatchObject({ namespace: tenant, metadata: { collection_id: "col_x" } });
    expect(await vectorId(freshTenant(), longChunkId)).not.toBe(id);
    expect(await store.query(tenant, { vector: vec(1), topK: 1 })).toEqual([
      { id: longChunkId, documentId: "doc_y", collectionId: "col_x", score: expect.closeTo(1, 5) },
    ]);
  });

  it("deletes by document and collection through the ids the tenant's object tracked, in batches", async () => {
    const index = new FakeVectorize(CONTRACT_DIMENSIONS);
    const store = new VectorizeVectorStore(index, env.SEARCH_SHARD);
    const tenant = freshTenant();
    const records = Array.from({ length: 1200 }, (_, i) =>
      record(tenant, `chunk_${i}`, vec(1, i), {
        documentId: i < 1100 ? "doc_big" : "doc_small",
        collectionId: i < 1150 ? "col_a" : "col_b",
      }),
    );
    await store.upsert(tenant, records);
    expect(index.calls.filter((c) => c.method === "upsert").map((c) => c.size)).toEqual([500, 500, 200]);

    await store.deleteByDocument(tenant, "doc_big");
    expect(index.vectors.size).toBe(100);
    expect(index.calls.filter((c) => c.method === "deleteByIds").map((c) => c.size)).toEqual([500, 500, 100]);
    const ledger = env.SEARCH_SHARD.getByName(vectorIndexName(tenant));
    expect(await ledger.trackedIds({ documentId: "doc_big" })).toEqual([]);

    await store.deleteByCollection(tenant, "col_a");
    const left = await store.query(tenant, { vector: vec(1), topK: 100 });
    expect(left.map((match) => match.id).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `chunk_${1150 + i}`).sort(),
    );
    expect(index.vectors.size).toBe(50);
    expect((await ledger.trackedIds({ collectionId: "col_b" })).length).toBe(50);
  });

  it("asks for at most 100 matches, the limit with indexed metadata", async () => {
    const index = new FakeVectorize(CONTRACT_DIMENSIONS);
    const store = new VectorizeVectorStore(index, env.SEARCH_SHARD);
    const tenant = freshTenant();
    await store.upsert(
      tenant,
      Array.from({ length: 150 }, (_, i) => record(tenant, `c${i}`, vec(1, i / 150))),
    );
    expect(await store.query(tenant, { vector: vec(1), topK: 500 })).toHaveLength(100);
  });

  it("reports a wrong dimension as permanent", async () => {
    const store = new VectorizeVectorStore(new FakeVectorize(8), env.SEARCH_SHARD);
    const tenant = freshTenant();
    await expect(store.upsert(tenant, [record(tenant, "a", vec(1))])).rejects.toMatchObject({
      name: "ProviderError",
      transient: false,
    });
  });
});
