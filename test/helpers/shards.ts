import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { isTombstoned } from "../../src/durable-objects/tombstone";
import type { VectorIndexDurableObject } from "../../src/durable-objects/vector-index.do";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";

/** Runs a read-only SQL query inside a tenant's search shard. */
export function shardRows<Row extends Record<string, SqlStorageValue>>(
  tenantId: string,
  query: string,
  ...bindings: SqlStorageValue[]
): Promise<Row[]> {
  const stub = env.VECTOR_INDEX.getByName(vectorIndexName(tenantId));
  return runInDurableObject(stub, (shard: VectorIndexDurableObject, state) => {
    // A deleted tenant's shard has no tables left, only its tombstone: it holds no rows.
    if (isTombstoned(state.storage.sql)) return [];
    // The object makes its tables on first use: any call makes them.
    shard.chunkTotals("", 0);
    return state.storage.sql.exec<Row>(query, ...bindings).toArray();
  });
}

/** The ids of a document's chunks in its tenant's shard, sorted. */
export async function shardChunkIds(tenantId: string, documentId: string): Promise<string[]> {
  const rows = await shardRows<{ id: string }>(
    tenantId,
    "SELECT id FROM chunks WHERE document_id = ? ORDER BY id",
    documentId,
  );
  return rows.map((row) => row.id);
}
