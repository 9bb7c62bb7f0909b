import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EmbeddedVectorStore, vectorIndexName } from "../../src/providers/vector/embedded-store";
import { randomVectors } from "../helpers/vectors";
import { describeVectorStoreContract, freshTenant, record, vec } from "./vector-store.contract";

const makeStore = () => new EmbeddedVectorStore(env.SEARCH_SHARD);

describeVectorStoreContract("embedded", makeStore);

function exactTopK(vectors: Float32Array[], query: Float32Array, k: number): number[] {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return vectors
    .map((vector, i) => ({ i, score: vector.reduce((sum, x, d) => sum + x * query[d]!, 0) / norm(vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map(({ i }) => i);
}

describe("embedded store: the Durable Object index", () => {
  it("finds exactly the brute-force top k among thousands of vectors despite the int8 scan", async () => {
    const store = makeStore();
    const tenant = freshTenant();
    const dimensions = 96;
    const vectors = randomVectors(3000, dimensions);
    // One call of 3000 rows: the object must split its inserts under SQLite's 100 bound parameters.
    await store.upsert(
      tenant,
      vectors.map((vector, i) => ({
        id: `chunk_${i}`,
        tenantId: tenant,
        collectionId: i % 2 ? "col_odd" : "col_even",
        documentId: `doc_${i % 50}`,
        vector,
      })),
    );
    for (const [q, query] of randomVectors(5, dimensions, 7).entries()) {
      const matches = await store.query(tenant, { vector: query, topK: 10 });
      expect(
        matches.map((match) => match.id),
        `query ${q}`,
      ).toEqual(exactTopK(vectors, query, 10).map((i) => `chunk_${i}`));
      const even = await store.query(tenant, { vector: query, topK: 5, collectionIds: ["col_even"] });
      const evenIds = exactTopK(vectors, query, 3000)
        .filter((i) => i % 2 === 0)
        .slice(0, 5);
      expect(even.map((match) => match.id)).toEqual(evenIds.map((i) => `chunk_${i}`));
    }
  });

  it("loads its memory copy on the first query and keeps it in step with upserts and deletes", async () => {
    const store = makeStore();
    const tenant = freshTenant();
    const stub = env.SEARCH_SHARD.getByName(vectorIndexName(tenant));
    await store.upsert(tenant, [record(tenant, "a", vec(1, 0), { documentId: "doc_a" })]);
    expect(await stub.stats()).toMatchObject({ count: 1, dimensions: 16, loaded: false, memoryBytes: 0 });

    expect((await store.query(tenant, { vector: vec(1, 0), topK: 5 })).map((m) => m.id)).toEqual(["a"]);
    const loaded = await stub.stats();
    expect(loaded.loaded).toBe(true);
    expect(loaded.memoryBytes).toBeGreaterThan(4096 * 16);

    // Changes after loading go to SQLite and to the memory copy alike.
    await store.upsert(tenant, [
      record(tenant, "b", vec(1, 0.1), { documentId: "doc_b" }),
      record(tenant, "c", vec(1, 0.2), { documentId: "doc_c" }),
    ]);
    await store.deleteByDocument(tenant, "doc_a");
    await store.upsert(tenant, [record(tenant, "c", vec(-1, 0), { documentId: "doc_c" })]);
    const before = (await store.query(tenant, { vector: vec(1, 0), topK: 5 })).map((m) => m.id);
    expect(before).toEqual(["b", "c"]);

    // A fresh object (after eviction) rebuilds the same index from SQLite.
    await evictDurableObject(stub);
    const after = (await store.query(tenant, { vector: vec(1, 0), topK: 5 })).map((m) => m.id);
    expect(after).toEqual(before);
    expect(await stub.stats()).toMatchObject({ count: 2, loaded: true });
  });

  it("refuses vectors of another dimension than the index holds, as a permanent failure", async () => {
    const store = makeStore();
    const tenant = freshTenant();
    await store.upsert(tenant, [record(tenant, "a", vec(1, 0))]);
    const wrong = { ...record(tenant, "b", new Float32Array(8).fill(1)) };
    await expect(store.upsert(tenant, [wrong])).rejects.toMatchObject({
      name: "ProviderError",
      transient: false,
    });
    await expect(store.query(tenant, { vector: new Float32Array(8), topK: 3 })).rejects.toMatchObject({
      transient: false,
    });
    // Once emptied, the index accepts a new dimension (the tenant switched embedders).
    await store.deleteByDocument(tenant, "doc_1");
    await store.upsert(tenant, [wrong]);
    expect(
      (await store.query(tenant, { vector: new Float32Array(8).fill(1), topK: 3 })).map((m) => m.id),
    ).toEqual(["b"]);
  });
});
