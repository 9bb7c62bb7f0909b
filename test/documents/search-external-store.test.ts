import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps, TenantContext } from "../../src/context";
import { depsFor } from "../../src/deps";
import type { VectorQuery, VectorStore } from "../../src/providers/vector/types";
import { passageMakeup } from "../../src/services/search/passage-makeup";
import { searchChunks } from "../../src/services/search/search.service";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { shardChunkIds } from "../helpers/shards";
import { createCollection, createTenant } from "../helpers/tenants";

describe("search with an external vector store (Qdrant, Vectorize)", () => {
  it("passes the store's matches to the shard, which resolves them, drops the gone ones and fuses", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "md/readability-README.md");
    await waitForDocument(tenant, document.id);
    const [first, second] = await shardChunkIds(tenant.id, document.id);
    const queries: VectorQuery[] = [];
    const external: VectorStore = {
      kind: "qdrant",
      upsert: async () => {},
      deleteByDocument: async () => {},
      deleteByCollection: async () => {},
      deleteByIds: async () => {},
      purgeTenant: async () => true,
      query: async (tenantId, query) => {
        expect(tenantId).toBe(tenant.id);
        queries.push(query);
        // A match whose chunk is gone from the shard (deleted a moment ago) must be dropped.
        return [
          { id: "chk_gone", documentId: document.id, collectionId: collection.id, score: 0.99 },
          { id: second!, documentId: document.id, collectionId: collection.id, score: 0.9 },
          { id: first!, documentId: document.id, collectionId: collection.id, score: 0.8 },
        ];
      },
    };
    const deps: Deps = { ...depsFor(env), vectorStore: external };
    const ctx: TenantContext = {
      tenantId: tenant.id,
      actor: { type: "dev", userId: "t" },
      role: "member",
      requestId: "r",
    };

    const byVector = await searchChunks({ ctx, deps, input: { query: "jsdom", topK: 5, mode: "vector" } });
    // The store's scores, each weighed by how much of its chunk is body prose (search's ranking prior).
    const storeScores = new Map([
      [second, 0.9],
      [first, 0.8],
    ]);
    expect(byVector.map((hit) => hit.id)).toEqual([second, first]);
    for (const hit of byVector) {
      const { prior } = passageMakeup(hit.text, hit.section);
      expect(hit.score).toBeCloseTo(storeScores.get(hit.id)! * prior, 12);
    }
    expect(byVector[0]).toMatchObject({ filename: "readability-README.md", documentId: document.id });

    const hybrid = await searchChunks({
      ctx,
      deps,
      input: { query: "jsdom", topK: 5, mode: "hybrid", collectionIds: [collection.id] },
    });
    expect(queries.at(-1)).toMatchObject({ topK: 20, collectionIds: [collection.id] });
    expect(hybrid.map((hit) => hit.id)).toContain(second);
    expect(hybrid.map((hit) => hit.id)).not.toContain("chk_gone");
  });
});
