import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { isTombstoned } from "../../src/durable-objects/tombstone";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import {
  clientIn,
  replicaOf,
  replicaRows,
  replicaServes,
  unreachableShards,
  untilReplicaServes,
} from "../helpers/replicas";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const NORWICH = "Which clubs did Iwan Roberts play for?";
const README = "How do I use Readability with jsdom?";

const searchAtReplica = async (tenant: TestTenant, region: string, query: string) =>
  (
    await clientIn(tenant, region, { SEARCH_SHARD: unreachableShards }).expectJson(
      200,
      "POST",
      "search",
      SearchResponseSchema,
      { json: { query } },
    )
  ).results;

async function tenantWith(path: string) {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await uploadCorpus(tenant, collection.id, path);
  await waitForDocument(tenant, document.id);
  await clientIn(tenant, "apac").request("POST", "search", { json: { query: "anything" } });
  await untilReplicaServes(tenant.id, "apac");
  return { tenant, document };
}

describe("search shard replicas across tenants", () => {
  it("a tenant's search in a region reads its own replica only, and a deleted tenant's replicas are tombstoned", async () => {
    const alice = await tenantWith("txt/norwich-city.txt");
    const bob = await tenantWith("md/readability-README.md");

    // Each replica holds its own tenant's chunks only; each search finds its own tenant's documents.
    const aliceDocuments = await replicaRows<{ document_id: string }>(
      alice.tenant.id,
      "apac",
      "SELECT DISTINCT document_id FROM chunks",
    );
    expect(aliceDocuments).toEqual([{ document_id: alice.document.id }]);
    for (const query of [NORWICH, README]) {
      const bobHits = await searchAtReplica(bob.tenant, "apac", query);
      expect(
        bobHits.every((hit) => hit.document_id === bob.document.id),
        query,
      ).toBe(true);
    }
    expect((await searchAtReplica(alice.tenant, "apac", NORWICH))[0]?.document_id).toBe(alice.document.id);

    // Alice's tenant is deleted: its shard's purge tombstones its replicas first; Bob's is untouched.
    await depsFor(env).searchShards.purge(alice.tenant.id);
    const tombstoned = await runInDurableObject(replicaOf(alice.tenant.id, "apac"), (_replica, state) =>
      isTombstoned(state.storage.sql),
    );
    expect(tombstoned).toBe(true);
    expect(await replicaServes(alice.tenant.id, "apac")).toBe(false);
    expect(await replicaRows(alice.tenant.id, "apac", "SELECT id FROM chunks")).toEqual([]);
    // A replica of the deleted tenant in a region it never had cannot copy anything: it tombstones itself.
    expect(await replicaServes(alice.tenant.id, "oc")).toBe(false);
    await untilTombstoned(alice.tenant.id, "oc");
    expect((await searchAtReplica(bob.tenant, "apac", README))[0]?.document_id).toBe(bob.document.id);
  });
});

async function untilTombstoned(tenantId: string, region: string) {
  const { runDurableObjectAlarm } = await import("cloudflare:test");
  for (let step = 0; step < 10; step++) {
    const done = await runInDurableObject(replicaOf(tenantId, region), (_replica, state) =>
      isTombstoned(state.storage.sql),
    );
    if (done) return;
    await runDurableObjectAlarm(replicaOf(tenantId, region));
  }
  expect.fail(`the ${region} replica of the deleted tenant ${tenantId} was not tombstoned`);
}
