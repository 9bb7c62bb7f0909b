import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { isTombstoned } from "../../src/durable-objects/tombstone";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { replicaName } from "../../src/storage/search-shard/search-replica.interface";
import { apiWithEnv } from "./api";
import type { TestTenant } from "./tenants";

/** The tenant's search shard replica in a region (as the port addresses it). */
export const replicaOf = (tenantId: string, region: string) =>
  env.SEARCH_REPLICA.getByName(replicaName(vectorIndexName(tenantId), region));

/** The tenant's client as seen from a caller in another region (its replica is that region's). */
export const clientIn = (tenant: TestTenant, region: string, overrides: Record<string, unknown> = {}) =>
  apiWithEnv({ QUOTA_LEASE_REGION: region, ...overrides }, { "x-tenant-id": tenant.id });

/** A shard namespace whose every call fails: a read that succeeds was served by a replica. */
export const unreachableShards = {
  idFromName: (name: string) => env.SEARCH_SHARD.idFromName(name),
  getByName: () => unreachable(),
  get: () => unreachable(),
};

function unreachable(): never {
  throw new Error("the search shard is unreachable in this test: the read must come from the replica");
}

/** Runs a read-only SQL query inside a replica (nothing when it was never made or was deleted). */
export function replicaRows<Row extends Record<string, SqlStorageValue>>(
  tenantId: string,
  region: string,
  query: string,
  ...bindings: SqlStorageValue[]
): Promise<Row[]> {
  return runInDurableObject(replicaOf(tenantId, region), (_replica, state) => {
    if (isTombstoned(state.storage.sql)) return [];
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'chunks'")
      .toArray();
    if (tables.length === 0) return [];
    return state.storage.sql.exec<Row>(query, ...bindings).toArray();
  });
}

/** The replica's phase and lease (null before its first read). */
export function replicaStatus(tenantId: string, region: string) {
  return runInDurableObject(replicaOf(tenantId, region), (_replica, state) => {
    const sql = state.storage.sql;
    if (sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'replica_state'").toArray().length === 0)
      return null;
    return sql
      .exec<{ phase: string; applied: number; lease_until: number }>(
        "SELECT phase, applied, lease_until FROM replica_state",
      )
      .one();
  });
}

/** Whether the replica serves reads now (a read through it, which also wakes it when it does not). */
export async function replicaServes(tenantId: string, region: string): Promise<boolean> {
  const answer = await replicaOf(tenantId, region).chunkHits(["none"]);
  return answer.served;
}

/**
 * Drives the replica's alarm (its copy, its catching up) until it serves: what its own alarms do in
 * the background, run here one after the other so that the test waits on nothing else.
 */
export async function untilReplicaServes(tenantId: string, region: string): Promise<void> {
  for (let step = 0; step < 50; step++) {
    if (await replicaServes(tenantId, region)) return;
    await runDurableObjectAlarm(replicaOf(tenantId, region));
  }
  expect.fail(`the ${region} replica of ${tenantId} never caught up`);
}
