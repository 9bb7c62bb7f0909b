import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import type { VectorStore } from "../../src/providers/vector/types";
import { fuseByNormalisedScore, searchChunks } from "../../src/services/search/search.service";
import { fieldsOf } from "../helpers/api";
import { search, upload, uploadCorpus, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";

describe("search", () => {
  it("finds by keyword, by vector and hybrid, with filename and score", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "md/readability-README.md");
    await waitForDocument(tenant, document.id);
    for (const mode of ["keyword", "vector", "hybrid"]) {
      const [best] = await search(tenant, "How do I use Readability with jsdom?", { mode });
      expect(best, mode).toMatchObject({ document_id: document.id, filename: "readability-README.md" });
      expect(best!.score).toBeGreaterThan(0);
      expect(best!.text.length).toBeGreaterThan(0);
      // The hit's rank in each list that found it; a list not searched is absent.
      expect(best!.lists.keyword?.rank, mode).toBe(mode === "vector" ? undefined : 1);
      expect(best!.lists.vector?.rank, mode).toBe(mode === "keyword" ? undefined : 1);
    }
  });

  it("stays within the tenant and the named collections", async () => {
    const alice = await createTenant();
    const bob = await createTenant();
    const aliceDocs = await createCollection(alice);
    const aliceOther = await createCollection(alice, "Other");
    const bobDocs = await createCollection(bob);
    const aliceDoc = await uploadCorpus(alice, aliceDocs.id, "txt/norwich-city.txt");
    const bobDoc = await uploadCorpus(bob, bobDocs.id, "md/readability-README.md");
    await waitForDocument(alice, aliceDoc.id);
    await waitForDocument(bob, bobDoc.id);

    for (const mode of ["keyword", "vector", "hybrid"]) {
      const bobSees = await search(bob, "Norwich City football club", { mode, top_k: 50 });
      expect(bobSees.map((h) => h.document_id)).not.toContain(aliceDoc.id);
    }
    const problem = await bob.client.expectProblem(404, "POST", "search", {
      json: { query: "Norwich", collection_ids: [aliceDocs.id] },
    });
    expect(problem.code).toBe("not_found");
    expect(await search(alice, "Norwich City", { collection_ids: [aliceOther.id] })).toEqual([]);
  });

  it("validates the request", async () => {
    const tenant = await createTenant();
    const problem = await tenant.client.expectProblem(400, "POST", "search", {
      json: { query: "", mode: "fuzzy", top_k: 0 },
    });
    expect(fieldsOf(problem).sort()).toEqual(["json.mode", "json.query", "json.top_k"]);
  });

  it("keeps a clear keyword leader first when the vector list missed it and prefers a weak match", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const texts = {
      leader: "Quokkas live on Rottnest Island off Perth: the quokka is a small marsupial.",
      weak: "An island is land surrounded by water on every side.",
      other: "Seals rest on the rocks of the island at low tide.",
      vectorOnly: "Wallabies and kangaroos hop across the plains of Australia.",
    };
    const ids: Record<string, string> = {};
    const documentIds: Record<string, string> = {};
    for (const [name, text] of Object.entries(texts)) {
      const document = await upload(tenant, collection.id, `${name}.txt`, new TextEncoder().encode(text));
      await waitForDocument(tenant, document.id);
      const [hit] = await search(tenant, text, { mode: "keyword", top_k: 1 });
      ids[name] = hit!.chunk_id;
      documentIds[name] = document.id;
    }
    const match = (name: string, score: number) => ({
      id: ids[name]!,
      documentId: documentIds[name]!,
      collectionId: collection.id,
      score,
    });
    const query = "quokka marsupial on Rottnest Island";
    const byKeyword = await search(tenant, query, { mode: "keyword", top_k: 10 });
    expect(byKeyword.map((hit) => hit.chunk_id).slice(0, 1)).toEqual([ids.leader]);

    // An embedder that ranks the weak match first and never saw the leader: as a word-based
    // embedder can, when 20 other chunks share more of the query's letters than the leader.
    const vectorStore: VectorStore = {
      ...depsFor(env).vectorStore,
      query: async () => [match("weak", 0.62), match("vectorOnly", 0.55), match("other", 0.41)],
    };
    const ctx = {
      tenantId: tenant.id,
      actor: { type: "dev", userId: "dev" },
      role: "owner",
      requestId: "test",
    } as const;
    const hybrid = await searchChunks({
      ctx,
      deps: { ...depsFor(env), vectorStore },
      input: { query, topK: 5, mode: "hybrid" },
    });
    expect(hybrid[0]!.id).toBe(ids.leader);
    // The vector list still adds what keyword search missed.
    expect(hybrid.map((hit) => hit.id)).toContain(ids.vectorOnly);
    // Each hit says which lists found it and where: what the extractive answerer weighs.
    expect(hybrid[0]!.lists?.keyword).toEqual({ rank: 1, score: expect.any(Number) });
    for (const hit of hybrid) expect(hit.lists?.keyword ?? hit.lists?.vector).toBeDefined();
  });

  it("fuses normalised scores with the keyword list's weight", () => {
    const keyword = [
      { id: "a", score: 12 },
      { id: "b", score: 4 },
      { id: "c", score: 2 },
    ];
    const vector = [
      { id: "c", score: 0.9 },
      { id: "b", score: 0.8 },
      { id: "d", score: 0.4 },
    ];
    const fused = fuseByNormalisedScore(keyword, vector, 0.9);
    // a: 0.9 × 1; b: 0.9 × 0.2 + 0.1 × 0.8; c: 0.9 × 0 + 0.1 × 1; d: 0.1 × 0.
    expect(fused.map((hit) => [hit.id, Number(hit.score.toFixed(6))])).toEqual([
      ["a", 0.9],
      ["b", 0.26],
      ["c", 0.1],
      ["d", 0],
    ]);
    // All weight on the vector list gives its order.
    expect(
      fuseByNormalisedScore(keyword, vector, 0)
        .map((hit) => hit.id)
        .slice(0, 2),
    ).toEqual(["c", "b"]);
    // A list of one (or of equal scores) counts in full.
    expect(fuseByNormalisedScore([{ id: "x", score: 3 }], [], 0.9)).toEqual([
      { id: "x", score: 0.9, lists: { keyword: { rank: 1, score: 3 } } },
    ]);
  });

  it("keeps each fused hit's rank and raw score in the lists that found it", () => {
    const keyword = [
      { id: "a", score: 12 },
      { id: "b", score: 4 },
    ];
    const vector = [
      { id: "c", score: 0.9 },
      { id: "b", score: 0.8 },
    ];
    const lists = Object.fromEntries(
      fuseByNormalisedScore(keyword, vector, 0.5).map((hit) => [hit.id, hit.lists]),
    );
    expect(lists).toEqual({
      a: { keyword: { rank: 1, score: 12 } },
      b: { keyword: { rank: 2, score: 4 }, vector: { rank: 2, score: 0.8 } },
      c: { vector: { rank: 1, score: 0.9 } },
    });
  });
});
