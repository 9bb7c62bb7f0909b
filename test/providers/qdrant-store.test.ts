import { describe, expect, inject, it } from "vitest";
import { pointId, QdrantVectorStore } from "../../src/providers/vector/qdrant-store";
import type { LoggedQdrantRequest } from "../fakes/qdrant";
import {
  CONTRACT_DIMENSIONS,
  describeVectorStoreContract,
  freshTenant,
  record,
  vec,
} from "./vector-store.contract";

const url = inject("qdrantUrl");
let counter = 0;
const freshCollection = () => `ancre_test_${Date.now().toString(36)}_${++counter}`;
const makeStore = (collection = freshCollection(), dimensions = CONTRACT_DIMENSIONS) =>
  new QdrantVectorStore({ url, collection, dimensions });

async function requestsTo(collection: string): Promise<LoggedQdrantRequest[]> {
  return (await fetch(`${url}/__log/${collection}`)).json();
}

// One collection shared by every contract test, as in production: tenants only meet in it.
const shared = freshCollection();
describeVectorStoreContract("qdrant", () => makeStore(shared));

describe("qdrant store: collection and requests", () => {
  it("creates the collection on first use, with cosine distance, per-tenant graphs and payload indexes", async () => {
    const collection = freshCollection();
    const store = makeStore(collection);
    const tenant = freshTenant();
    await store.upsert(tenant, [record(tenant, "chunk_1", vec(1, 0))]);
    await store.query(tenant, { vector: vec(1, 0), topK: 1 });

    const info = await (await fetch(`${url}/collections/${collection}`)).json<any>();
    expect(info.result.config.params.vectors).toEqual({ size: CONTRACT_DIMENSIONS, distance: "Cosine" });
    expect(info.result.config.hnsw_config).toEqual({ m: 0, payload_m: 16 });
    expect(info.result.payload_schema).toEqual({
      tenant_id: { type: "keyword", is_tenant: true },
      collection_id: { type: "keyword", enable_hnsw: false },
      document_id: { type: "keyword", enable_hnsw: false },
    });
    // Set up once per store instance, not per call.
    const creations = (await requestsTo(collection)).filter((r) => r.method === "PUT" && r.path === "");
    expect(creations).toHaveLength(1);
  });

  it("stores points under deterministic UUIDs with the chunk id in the payload", async () => {
    const collection = freshCollection();
    const store = makeStore(collection);
    const tenant = freshTenant();
    await store.upsert(tenant, [record(tenant, "doc_1:0:abc", vec(1, 0))]);
    await store.upsert(tenant, [record(tenant, "doc_1:0:abc", vec(1, 0))]);
    const upserts = (await requestsTo(collection)).filter((r) => r.method === "PUT" && r.path === "/points");
    const points = upserts.map((r) => (r.body as { points: { id: string; payload: unknown }[] }).points[0]!);
    expect(points[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(points[1]!.id).toBe(points[0]!.id);
    expect(points[0]!.payload).toEqual({
      tenant_id: tenant,
      collection_id: "col_a",
      document_id: "doc_1",
      chunk_id: "doc_1:0:abc",
    });
    // The same chunk id in another tenant is another point: no tenant can overwrite another's.
    expect(await pointId(freshTenant(), "doc_1:0:abc")).not.toBe(points[0]!.id);
  });

  it("filters every query and delete by tenant", async () => {
    const collection = freshCollection();
    const store = makeStore(collection);
    const tenant = freshTenant();
    await store.upsert(tenant, [record(tenant, "c", vec(1, 0))]);
    await store.query(tenant, { vector: vec(1, 0), topK: 3 });
    await store.query(tenant, { vector: vec(1, 0), topK: 3, collectionIds: ["col_a", "col_b"] });
    await store.deleteByDocument(tenant, "doc_1");
    await store.deleteByCollection(tenant, "col_a");
    const filtered = (await requestsTo(collection)).filter((r) => r.path.startsWith("/points/"));
    expect(filtered.map((r) => r.path)).toEqual([
      "/points/query",
      "/points/query",
      "/points/delete",
      "/points/delete",
    ]);
    for (const request of filtered) {
      const must = (request.body as { filter: { must: unknown[] } }).filter.must;
      expect(must[0]).toEqual({ key: "tenant_id", match: { value: tenant } });
    }
    expect((filtered[1]!.body as { filter: { must: unknown[] } }).filter.must[1]).toEqual({
      key: "collection_id",
      match: { any: ["col_a", "col_b"] },
    });
  });

  it("refuses an existing collection of another dimension, permanently", async () => {
    const collection = freshCollection();
    const tenant = freshTenant();
    await makeStore(collection, 8).upsert(tenant, [record(tenant, "a", new Float32Array(8).fill(1))]);
    const error = await makeStore(collection, CONTRACT_DIMENSIONS)
      .query(tenant, { vector: vec(1), topK: 1 })
      .catch((e) => e);
    expect(error).toMatchObject({ name: "ProviderError", transient: false });
    expect(error.message).toMatch(/holds 8-dimension vectors/);
  });

  it("reports Qdrant's 4xx answers as permanent and unreachable servers as transient", async () => {
    const tenant = freshTenant();
    const store = makeStore();
    await store.upsert(tenant, [record(tenant, "a", vec(1))]);
    await expect(store.query(tenant, { vector: new Float32Array(3), topK: 1 })).rejects.toMatchObject({
      name: "ProviderError",
      transient: false,
      upstreamStatus: 400,
    });
    const unreachable = new QdrantVectorStore({ url: "http://127.0.0.1:9", collection: "x", dimensions: 4 });
    await expect(unreachable.query(tenant, { vector: new Float32Array(4), topK: 1 })).rejects.toMatchObject({
      name: "ProviderError",
      transient: true,
    });
  });
});
