import { describe, expect, it } from "vitest";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { search, uploadCorpus, waitForDocument } from "../helpers/documents";
import {
  clientIn,
  replicaRows,
  replicaStatus,
  unreachableShards,
  untilReplicaServes,
} from "../helpers/replicas";
import { shardRows } from "../helpers/shards";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const NORWICH = "Which clubs did Iwan Roberts play for?";
const README = "How do I use Readability with jsdom?";

/** A search from a caller in `region`, answered by that region's replica alone (the shard is unreachable). */
async function searchAtReplica(tenant: TestTenant, region: string, query: string) {
  const body = await clientIn(tenant, region, { SEARCH_SHARD: unreachableShards }).expectJson(
    200,
    "POST",
    "search",
    SearchResponseSchema,
    { json: { query } },
  );
  return body.results;
}

const chunkIdsIn = async (tenantId: string, region: string, documentId: string) =>
  (
    await replicaRows<{ id: string }>(
      tenantId,
      region,
      "SELECT id FROM chunks WHERE document_id = ? ORDER BY id",
      documentId,
    )
  ).map((row) => row.id);

const shardChunkIdsOf = async (tenantId: string, documentId: string) =>
  (
    await shardRows<{ id: string }>(
      tenantId,
      "SELECT id FROM chunks WHERE document_id = ? ORDER BY id",
      documentId,
    )
  ).map((row) => row.id);

describe("search shard replicas", () => {
  it("a search from a second region is answered at once by the shard, then by that region's replica once it has copied it", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const norwich = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    expect((await waitForDocument(tenant, norwich.id)).status).toBe("ready");

    // The first search from Tokyo's region: its replica does not exist yet, the shard answers.
    const tokyo = clientIn(tenant, "apac");
    const first = await tokyo.expectJson(200, "POST", "search", SearchResponseSchema, {
      json: { query: NORWICH },
    });
    expect(first.results[0]?.document_id).toBe(norwich.id);
    expect(await replicaStatus(tenant.id, "apac")).not.toBeNull();

    // Its copy, in pages from its alarm, then its catching up: it serves alone.
    await untilReplicaServes(tenant.id, "apac");
    expect(await chunkIdsIn(tenant.id, "apac", norwich.id)).toEqual(
      await shardChunkIdsOf(tenant.id, norwich.id),
    );
    const atReplica = await searchAtReplica(tenant, "apac", NORWICH);
    expect(atReplica.map((hit) => hit.chunk_id)).toEqual(first.results.map((hit) => hit.chunk_id));
  });

  it("a document ingested after the copy is in every replica by the time it is ready", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const norwich = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, norwich.id);
    await search(tenant, NORWICH);
    await clientIn(tenant, "apac").request("POST", "search", { json: { query: NORWICH } });
    await untilReplicaServes(tenant.id, "wnam");
    await untilReplicaServes(tenant.id, "apac");

    const readme = await uploadCorpus(tenant, collection.id, "md/readability-README.md");
    expect((await waitForDocument(tenant, readme.id)).status).toBe("ready");
    const stored = await shardChunkIdsOf(tenant.id, readme.id);
    expect(stored.length).toBeGreaterThan(0);
    for (const region of ["wnam", "apac"]) {
      expect(await chunkIdsIn(tenant.id, region, readme.id)).toEqual(stored);
      const hits = await searchAtReplica(tenant, region, README);
      expect(hits[0]?.document_id).toBe(readme.id);
    }
  });

  it("a deleted document and a deleted collection are gone from every replica, and never come back", async () => {
    const tenant = await createTenant();
    const kept = await createCollection(tenant, "Kept");
    const doomed = await createCollection(tenant, "Doomed");
    const norwich = await uploadCorpus(tenant, kept.id, "txt/norwich-city.txt");
    const readme = await uploadCorpus(tenant, doomed.id, "md/readability-README.md");
    await waitForDocument(tenant, norwich.id);
    await waitForDocument(tenant, readme.id);
    for (const region of ["wnam", "apac"]) {
      await clientIn(tenant, region).request("POST", "search", { json: { query: NORWICH } });
      await untilReplicaServes(tenant.id, region);
      expect((await searchAtReplica(tenant, region, NORWICH))[0]?.document_id).toBe(norwich.id);
    }

    await tenant.client.expectNoContent("DELETE", `documents/${norwich.id}`);
    await tenant.client.expectNoContent("DELETE", `collections/${doomed.id}`);

    for (const region of ["wnam", "apac"]) {
      expect(await chunkIdsIn(tenant.id, region, norwich.id)).toEqual([]);
      expect(await chunkIdsIn(tenant.id, region, readme.id)).toEqual([]);
      const hits = [
        ...(await searchAtReplica(tenant, region, NORWICH)),
        ...(await searchAtReplica(tenant, region, README)),
      ];
      expect(hits.map((hit) => hit.document_id)).not.toContain(norwich.id);
      expect(hits.map((hit) => hit.document_id)).not.toContain(readme.id);
      // Recorded as removed: a late batch of the document would not show it again.
      const removed = await replicaRows<{ removed: number }>(
        tenant.id,
        region,
        "SELECT removed FROM chunk_documents WHERE id = ?",
        norwich.id,
      );
      expect(removed).toEqual([{ removed: 1 }]);
    }
  });
});
