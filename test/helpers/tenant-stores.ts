import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { tenantPrefix } from "../../src/storage/blob-store";

/** How many rows of each D1 table mention the tenant id in any column (tables with none are left out). */
export async function d1RowsMentioning(tenantId: string): Promise<Record<string, number>> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    const mentioning = results.filter((row) => JSON.stringify(row).includes(tenantId)).length;
    if (mentioning > 0) found[name] = mentioning;
  }
  return found;
}

/** The keys R2 holds under the tenant's prefix. */
export async function r2KeysOf(tenantId: string): Promise<string[]> {
  const listed = await env.FILES.list({ prefix: tenantPrefix(tenantId) });
  return listed.objects.map((object) => object.key);
}

export interface ObjectContents {
  /** Rows in all of the object's SQLite tables but its tombstone. */
  rows: number;
  /** Whether the object keeps the tombstone of a deleted tenant (a table of one row, no data). */
  tombstone: boolean;
  /** Key-value entries. */
  keys: number;
  alarm: number | null;
}

/** What a Durable Object stores: its SQL rows, its key-value entries and its alarm. */
export async function contentsOf(stub: DurableObjectStub): Promise<ObjectContents> {
  return runInDurableObject(stub, async (_instance, state: DurableObjectState) => {
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
      )
      .toArray();
    let rows = 0;
    for (const { name } of tables) {
      if (name === "tombstone") continue;
      rows += state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`).one().n;
    }
    return {
      rows,
      tombstone: tables.some((table) => table.name === "tombstone"),
      keys: (await state.storage.list()).size,
      alarm: await state.storage.getAlarm(),
    };
  });
}

/** Everything every store holds of a tenant: D1, R2, and its vector index, quota and conversation objects. */
export async function everythingOf(tenantId: string, conversationIds: string[]) {
  return {
    d1: await d1RowsMentioning(tenantId),
    r2: await r2KeysOf(tenantId),
    vectorIndex: await contentsOf(env.VECTOR_INDEX.getByName(vectorIndexName(tenantId))),
    quota: await contentsOf(env.TENANT_QUOTA.getByName(tenantId)),
    conversations: await Promise.all(conversationIds.map((id) => contentsOf(env.CONVERSATION.getByName(id)))),
  };
}

/**
 * What `everythingOf` finds of a tenant that is entirely gone: its shard and quota objects keep
 * only their tombstones.
 */
export const nothing = (conversationCount: number) => ({
  d1: {},
  r2: [],
  vectorIndex: { rows: 0, tombstone: true, keys: 0, alarm: null },
  quota: { rows: 0, tombstone: true, keys: 0, alarm: null },
  conversations: Array.from({ length: conversationCount }, () => ({
    rows: 0,
    tombstone: false,
    keys: 0,
    alarm: null,
  })),
});
