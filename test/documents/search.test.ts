import { describe, expect, it } from "vitest";
import { fuseByReciprocalRank } from "../../src/services/search";
import { fieldsOf } from "../helpers/api";
import { search, uploadCorpus, waitForDocument } from "../helpers/documents";
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

  it("fuses ranked lists by reciprocal rank", () => {
    const hit = (id: string) => ({
      id,
      documentId: "d",
      collectionId: "c",
      filename: "f",
      text: id,
      pageStart: null,
      pageEnd: null,
      section: null,
      pageOffsets: null,
    });
    const fused = fuseByReciprocalRank(
      [
        [hit("a"), hit("b"), hit("c")],
        [hit("c"), hit("b")],
      ],
      3,
    );
    // c: 1/63 + 1/61 edges out b: 1/62 + 1/62; a appears once.
    expect(fused.map((h) => h.id)).toEqual(["c", "b", "a"]);
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 1 / 61, 10);
    // Weighting the second list down lets the first list's order win.
    const weighted = fuseByReciprocalRank(
      [
        [hit("a"), hit("b"), hit("c")],
        [hit("c"), hit("b")],
      ],
      3,
      [1, 0.01],
    );
    expect(weighted.map((h) => h.id)).toEqual(["a", "b", "c"]);
  });
});
