import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SearchShardDurableObject } from "../../src/durable-objects/search-shard.do";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { REPLICA_LEASE_MS, replicaName } from "../../src/storage/search-shard/search-replica.interface";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import {
  clientIn,
  replicaOf,
  replicaRows,
  replicaServes,
  replicaStatus,
  unreachableShards,
  untilReplicaServes,
} from "../helpers/replicas";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const NORWICH = "Which clubs did Iwan Roberts play for?";
const shardOf = (tenantId: string) => env.SEARCH_SHARD.getByName(vectorIndexName(tenantId));

async function tenantWithReplica(region: string) {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const norwich = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
  await waitForDocument(tenant, norwich.id);
  await clientIn(tenant, region).request("POST", "search", { json: { query: NORWICH } });
  await untilReplicaServes(tenant.id, region);
  return { tenant, norwich };
}

const searchFrom = async (tenant: TestTenant, region: string, overrides: Record<string, unknown> = {}) =>
  (
    await clientIn(tenant, region, overrides).expectJson(200, "POST", "search", SearchResponseSchema, {
      json: { query: NORWICH },
    })
  ).results;

const replicaChunkCount = async (tenantId: string, region: string, documentId: string) =>
  (await replicaRows(tenantId, region, "SELECT id FROM chunks WHERE document_id = ?", documentId)).length;

describe("search shard replicas that fall behind", () => {
  it("a replica that missed a change (unreachable, its lease over) is not read until it has caught up", async () => {
    const { tenant, norwich } = await tenantWithReplica("apac");
    const name = replicaName(vectorIndexName(tenant.id), "apac");

    // The replica cannot be reached and its lease has run out (as the shard and the replica see it);
    // the lease the shard grants with its next message lasts nothing, so the write waits only the
    // clocks' margin for it before marking the replica stale.
    await runInDurableObject(replicaOf(tenant.id, "apac"), (_replica, state) => {
      state.storage.sql.exec("UPDATE replica_state SET lease_until = ?", Date.now() - 1);
    });
    await runInDurableObject(shardOf(tenant.id), (shard: SearchShardDurableObject, state) => {
      state.storage.sql.exec("UPDATE replicas SET lease_until = 0 WHERE name = ?", name);
      Object.assign(shard, {
        replicaLeaseMs: 0,
        replica: () => ({
          apply: () => Promise.reject(new Error("the replica is unreachable")),
          deleteAll: () => Promise.reject(new Error("the replica is unreachable")),
        }),
      });
    });

    // The deletion is acknowledged without it (its lease is over): the shard marks it stale.
    await tenant.client.expectNoContent("DELETE", `documents/${norwich.id}`);
    expect(await replicaChunkCount(tenant.id, "apac", norwich.id)).toBeGreaterThan(0);
    expect(await replicaServes(tenant.id, "apac")).toBe(false);
    // A search from its region is answered by the shard: the deleted document is not in it.
    expect((await searchFrom(tenant, "apac")).map((hit) => hit.document_id)).not.toContain(norwich.id);

    // Reachable again: it catches up (its own alarm), then serves, without the document.
    await runInDurableObject(shardOf(tenant.id), (shard: SearchShardDurableObject) => {
      const simulated = shard as unknown as Record<string, unknown>;
      delete simulated.replica;
      simulated.replicaLeaseMs = REPLICA_LEASE_MS;
    });
    await untilReplicaServes(tenant.id, "apac");
    expect(await replicaChunkCount(tenant.id, "apac", norwich.id)).toBe(0);
    const atReplica = await searchFrom(tenant, "apac", { SEARCH_SHARD: unreachableShards });
    expect(atReplica.map((hit) => hit.document_id)).not.toContain(norwich.id);
  });

  it("a replica sent changes past a gap stops serving, applies nothing out of order, and catches up", async () => {
    const { tenant, norwich } = await tenantWithReplica("weur");
    const before = await replicaStatus(tenant.id, "weur");

    // A message whose first change is not the next one (one was lost on the way).
    const reply = await replicaOf(tenant.id, "weur").apply({
      changes: [{ seq: before!.applied + 2, change: { kind: "delete_document", documentId: norwich.id } }],
      through: before!.applied + 2,
      leaseUntil: Date.now() + 60_000,
    });
    expect(reply.applied).toBe(before!.applied);
    expect(await replicaChunkCount(tenant.id, "weur", norwich.id)).toBeGreaterThan(0);
    expect(await replicaServes(tenant.id, "weur")).toBe(false);

    await untilReplicaServes(tenant.id, "weur");
    expect((await replicaStatus(tenant.id, "weur"))!.applied).toBe(before!.applied);
    // The same changes again are applied once: nothing changes.
    const again = await replicaOf(tenant.id, "weur").apply({
      changes: [{ seq: before!.applied, change: { kind: "delete_document", documentId: norwich.id } }],
      through: before!.applied,
      leaseUntil: Date.now() + 60_000,
    });
    expect(again.applied).toBe(before!.applied);
    expect(await replicaChunkCount(tenant.id, "weur", norwich.id)).toBeGreaterThan(0);
    const atReplica = await searchFrom(tenant, "weur", { SEARCH_SHARD: unreachableShards });
    expect(atReplica[0]?.document_id).toBe(norwich.id);
  });
});
