import { describe, expect, it } from "vitest";
import type { VectorRecord, VectorStore } from "../../src/providers/vector/types";
import { cosine } from "../helpers/vectors";

/** The dimension the contract's vectors have (stores that fix it up front are built with it). */
export const CONTRACT_DIMENSIONS = 16;

let counter = 0;
/** A tenant id no other test uses. */
export const freshTenant = () => `ten_contract${Date.now().toString(36)}${++counter}`;

/** A vector of CONTRACT_DIMENSIONS with the given leading components, the rest zero. */
export function vec(...components: number[]): Float32Array {
  const vector = new Float32Array(CONTRACT_DIMENSIONS);
  vector.set(components);
  return vector;
}

export function record(
  tenantId: string,
  id: string,
  vector: Float32Array,
  { collectionId = "col_a", documentId = "doc_1" } = {},
): VectorRecord {
  return { id, tenantId, collectionId, documentId, vector };
}

/**
 * The behaviour every VectorStore must have, run against each adapter: ordering by cosine,
 * collection filter, tenant isolation, idempotent upsert, deletion by document, collection, id and tenant.
 */
export function describeVectorStoreContract(name: string, makeStore: () => VectorStore) {
  describe(`${name} store: VectorStore contract`, () => {
    it("returns the top k by cosine similarity, best first, with their ids and scores", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      const vectors = {
        same: vec(1, 0),
        near: vec(1, 0.5),
        far: vec(1, 2),
        orthogonal: vec(0, 1),
        opposite: vec(-1, 0),
      };
      await store.upsert(
        tenant,
        Object.entries(vectors).map(([id, vector], i) =>
          record(tenant, id, vector, { documentId: `doc_${i}` }),
        ),
      );
      const query = vec(3, 0);
      const matches = await store.query(tenant, { vector: query, topK: 3 });
      expect(matches.map((match) => match.id)).toEqual(["same", "near", "far"]);
      for (const match of matches) {
        expect(match.score).toBeCloseTo(cosine(query, vectors[match.id as keyof typeof vectors]), 3);
      }
      expect(matches[1]).toMatchObject({ documentId: "doc_1", collectionId: "col_a" });

      const all = await store.query(tenant, { vector: query, topK: 10 });
      expect(all.map((match) => match.id)).toEqual(["same", "near", "far", "orthogonal", "opposite"]);
    });

    it("restricts a query to the given collections", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      await store.upsert(tenant, [
        record(tenant, "a1", vec(1, 0), { collectionId: "col_a" }),
        record(tenant, "a2", vec(1, 1), { collectionId: "col_a" }),
        record(tenant, "b1", vec(1, 0.1), { collectionId: "col_b" }),
        record(tenant, "c1", vec(1, 0.2), { collectionId: "col_c" }),
      ]);
      const query = { vector: vec(1, 0), topK: 10 };
      const ids = async (collectionIds?: string[]) =>
        (await store.query(tenant, { ...query, collectionIds })).map((match) => match.id);

      expect(await ids(["col_b"])).toEqual(["b1"]);
      expect(await ids(["col_a", "col_c"])).toEqual(["a1", "c1", "a2"]);
      expect(await ids(["col_unknown"])).toEqual([]);
      expect(await ids([])).toEqual([]);
      expect(await ids()).toEqual(["a1", "b1", "c1", "a2"]);
    });

    it("never returns or deletes another tenant's vectors, even under the same chunk ids", async () => {
      const store = makeStore();
      const alice = freshTenant();
      const bob = freshTenant();
      await store.upsert(alice, [record(alice, "chunk_1", vec(1, 0), { documentId: "doc_alice" })]);
      await store.upsert(bob, [
        record(bob, "chunk_1", vec(0, 1), { documentId: "doc_bob" }),
        record(bob, "chunk_2", vec(1, 0.01), { documentId: "doc_bob" }),
      ]);

      const forAlice = await store.query(alice, { vector: vec(1, 0), topK: 10 });
      expect(forAlice).toHaveLength(1);
      expect(forAlice[0]).toMatchObject({ id: "chunk_1", documentId: "doc_alice" });
      expect(forAlice[0]!.score).toBeCloseTo(1, 3);

      await store.deleteByCollection(alice, "col_a");
      const forBob = await store.query(bob, { vector: vec(1, 0), topK: 10 });
      expect(forBob.map((match) => [match.id, match.documentId])).toEqual([
        ["chunk_2", "doc_bob"],
        ["chunk_1", "doc_bob"],
      ]);
      expect(await store.query(alice, { vector: vec(1, 0), topK: 10 })).toEqual([]);
    });

    it("refuses a batch holding another tenant's records", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      const stranger = freshTenant();
      await expect(store.upsert(tenant, [record(stranger, "x", vec(1))])).rejects.toMatchObject({
        name: "ProviderError",
        transient: false,
      });
      expect(await store.query(stranger, { vector: vec(1), topK: 5 })).toEqual([]);
    });

    it("treats a re-upsert of the same ids as a replacement", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      const batch = [record(tenant, "c1", vec(1, 0)), record(tenant, "c2", vec(0, 1))];
      await store.upsert(tenant, batch);
      await store.upsert(tenant, batch);
      expect((await store.query(tenant, { vector: vec(1, 1), topK: 10 })).map((m) => m.id).sort()).toEqual([
        "c1",
        "c2",
      ]);

      await store.upsert(tenant, [
        record(tenant, "c1", vec(0, 1), { collectionId: "col_b", documentId: "doc_2" }),
      ]);
      const matches = await store.query(tenant, { vector: vec(0, 1), topK: 10 });
      expect(matches).toHaveLength(2);
      expect(matches.find((match) => match.id === "c1")).toMatchObject({
        collectionId: "col_b",
        documentId: "doc_2",
      });
      expect(matches.find((match) => match.id === "c1")!.score).toBeCloseTo(1, 3);
    });

    it("deletes a document's vectors and only those", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      await store.upsert(tenant, [
        record(tenant, "d1_0", vec(1, 0), { documentId: "doc_1" }),
        record(tenant, "d1_1", vec(1, 1), { documentId: "doc_1" }),
        record(tenant, "d2_0", vec(1, 0.5), { documentId: "doc_2" }),
      ]);
      await store.deleteByDocument(tenant, "doc_1");
      const matches = await store.query(tenant, { vector: vec(1, 0), topK: 10 });
      expect(matches.map((match) => match.id)).toEqual(["d2_0"]);
      await store.deleteByDocument(tenant, "doc_1");
    });

    it("deletes vectors by id, only the tenant's, and only those", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      const other = freshTenant();
      await store.upsert(tenant, [
        record(tenant, "c0", vec(1, 0)),
        record(tenant, "c1", vec(1, 1)),
        record(tenant, "c2", vec(1, 0.5)),
      ]);
      await store.upsert(other, [record(other, "c0", vec(1, 0))]);
      await store.deleteByIds(tenant, ["c0", "c2", "never-written"]);
      expect((await store.query(tenant, { vector: vec(1, 0), topK: 10 })).map((m) => m.id)).toEqual(["c1"]);
      expect((await store.query(other, { vector: vec(1, 0), topK: 10 })).map((m) => m.id)).toEqual(["c0"]);
    });

    it("purges a tenant's vectors and no other tenant's", async () => {
      const store = makeStore();
      const leaving = freshTenant();
      const staying = freshTenant();
      await store.upsert(leaving, [
        record(leaving, "l1", vec(1, 0), { collectionId: "col_a" }),
        record(leaving, "l2", vec(0, 1), { collectionId: "col_b", documentId: "doc_2" }),
      ]);
      await store.upsert(staying, [record(staying, "l1", vec(1, 0))]);
      let purged = false;
      for (let call = 0; !purged && call < 10; call++) purged = await store.purgeTenant(leaving);
      expect(purged).toBe(true);
      expect(await store.query(leaving, { vector: vec(1, 1), topK: 10 })).toEqual([]);
      expect((await store.query(staying, { vector: vec(1, 0), topK: 10 })).map((m) => m.id)).toEqual(["l1"]);
      expect(await store.purgeTenant(leaving)).toBe(true);
    });

    it("deletes a collection's vectors and only those", async () => {
      const store = makeStore();
      const tenant = freshTenant();
      await store.upsert(tenant, [
        record(tenant, "a1", vec(1, 0), { collectionId: "col_a", documentId: "doc_1" }),
        record(tenant, "a2", vec(1, 1), { collectionId: "col_a", documentId: "doc_2" }),
        record(tenant, "b1", vec(1, 0.5), { collectionId: "col_b", documentId: "doc_3" }),
      ]);
      await store.deleteByCollection(tenant, "col_a");
      expect((await store.query(tenant, { vector: vec(1, 0), topK: 10 })).map((m) => m.id)).toEqual(["b1"]);
      expect(await store.query(tenant, { vector: vec(1, 0), topK: 10, collectionIds: ["col_a"] })).toEqual(
        [],
      );
    });
  });
}
