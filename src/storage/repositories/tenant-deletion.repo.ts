import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import {
  answerRetrievals,
  apiKeys,
  assistantCollections,
  assistants,
  auditEvents,
  chunks,
  collections,
  conversations,
  documentListCounters,
  documents,
  importedDocuments,
  invitations,
  memberships,
  messageFeedback,
  messages,
  nangoConnections,
  nangoSyncItems,
  nangoSyncs,
  stripeEvents,
  tenantBilling,
  tenants,
  usageEvents,
  webhookDeliveries,
  webhookEndpoints,
  widgets,
} from "../schema";

type TenantTable = SQLiteTable & { tenantId: SQLiteColumn };

/**
 * Every table holding a tenant's rows, children before parents, so that deleting in this order
 * never cascades into an unbounded delete. Memberships and API keys come last: they go with the
 * tenant row itself. A table with `tenant_id` missing here fails test/storage/tenant-tables.test.ts.
 */
export const TENANT_DATA_TABLES = {
  webhook_deliveries: webhookDeliveries,
  webhook_endpoints: webhookEndpoints,
  message_feedback: messageFeedback,
  answer_retrievals: answerRetrievals,
  messages,
  conversations,
  chunks,
  imported_documents: importedDocuments,
  documents,
  nango_sync_items: nangoSyncItems,
  nango_syncs: nangoSyncs,
  nango_connections: nangoConnections,
  document_list_counters: documentListCounters,
  widgets,
  assistant_collections: assistantCollections,
  assistants,
  collections,
  tenant_billing: tenantBilling,
  usage_events: usageEvents,
  stripe_events: stripeEvents,
  audit_events: auditEvents,
  invitations,
  api_keys: apiKeys,
  memberships,
} satisfies Record<string, TenantTable>;

export type TenantDataTable = keyof typeof TENANT_DATA_TABLES;

const tableEntries = Object.entries(TENANT_DATA_TABLES) as [TenantDataTable, TenantTable][];

/** The tables emptied page by page; memberships and API keys go in the last batch, with the tenant. */
const pagedTables = tableEntries.filter(([, table]) => table !== memberships && table !== apiKeys);

/** Marks the tenant as being deleted (keeping the first request's time); returns that time. */
export async function markTenantDeleting(db: Database, tenantId: string, at: string): Promise<string | null> {
  const [row] = await db
    .update(tenants)
    .set({ deletionRequestedAt: sql`COALESCE(${tenants.deletionRequestedAt}, ${at})` })
    .where(eq(tenants.id, tenantId))
    .returning({ at: tenants.deletionRequestedAt });
  forgetLookups();
  return row?.at ?? null;
}

/** How many rows of the tenant each table still holds. */
export async function countTenantRows(
  db: Database,
  tenantId: string,
): Promise<Record<TenantDataTable, number>> {
  const [first, ...rest] = tableEntries.map(([, table]) =>
    db.select({ n: count() }).from(table).where(eq(table.tenantId, tenantId)),
  );
  const counts = await db.batch([first!, ...rest]);
  return Object.fromEntries(tableEntries.map(([name], i) => [name, counts[i]?.[0]?.n ?? 0])) as Record<
    TenantDataTable,
    number
  >;
}

/** A page of the tenant's conversation ids, oldest first. */
export async function conversationIdsPage(db: Database, tenantId: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.tenantId, tenantId))
    .orderBy(asc(conversations.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Deletes conversations of the tenant with their messages. */
export async function deleteConversations(db: Database, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.batch([
    db.delete(messages).where(and(eq(messages.tenantId, tenantId), inArray(messages.conversationId, ids))),
    db.delete(conversations).where(and(eq(conversations.tenantId, tenantId), inArray(conversations.id, ids))),
  ]);
}

/** Deletes a page of the tenant's documents with their chunks; returns how many documents went. */
export async function deleteDocumentsPage(db: Database, tenantId: string, limit: number): Promise<number> {
  // The page as a subquery, not a list of ids: D1 binds at most 100 parameters per statement.
  const page = db
    .select({ id: documents.id })
    .from(documents)
    .where(eq(documents.tenantId, tenantId))
    .orderBy(asc(documents.id))
    .limit(limit);
  const [, deleted] = await db.batch([
    db.delete(chunks).where(and(eq(chunks.tenantId, tenantId), inArray(chunks.documentId, page))),
    db
      .delete(documents)
      .where(and(eq(documents.tenantId, tenantId), inArray(documents.id, page)))
      .returning({ id: documents.id }),
  ]);
  return deleted.length;
}

/**
 * Deletes up to `limit` of the tenant's rows, table after table in TENANT_DATA_TABLES order; once
 * they are all empty, and if `withTenant`, deletes the memberships, the API keys and the tenant row
 * together. Returns whether every row asked for is gone.
 */
export async function deleteTenantRowsPage(
  db: Database,
  tenantId: string,
  limit: number,
  withTenant: boolean,
): Promise<boolean> {
  let budget = limit;
  for (const [, table] of pagedTables) {
    // Counted by RETURNING: D1's `changes` also counts the rows that triggers touch (chunks_fts).
    const deleted = await db.all(
      sql`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE tenant_id = ${tenantId} LIMIT ${budget}) RETURNING 1`,
    );
    budget -= deleted.length;
    if (budget <= 0) return false;
  }
  if (!withTenant) return true;
  await db.batch([
    db.delete(memberships).where(eq(memberships.tenantId, tenantId)),
    db.delete(apiKeys).where(eq(apiKeys.tenantId, tenantId)),
    db.delete(tenants).where(eq(tenants.id, tenantId)),
  ]);
  return true;
}

/**
 * Whether the tenant may be written to: it exists and its deletion was not requested. One read by
 * primary key, made by work that runs apart from a request (ingestion, imports, webhooks) just
 * before it writes.
 */
export async function tenantAcceptsWrites(db: Database, tenantId: string): Promise<boolean> {
  const row = await db.query.tenants.findFirst({
    columns: { deletionRequestedAt: true },
    where: eq(tenants.id, tenantId),
  });
  return row !== undefined && row.deletionRequestedAt === null;
}

/** The tenant if it is being deleted (a deletion step of any other tenant does nothing). */
export async function findTenantBeingDeleted(db: Database, tenantId: string) {
  const row = await db.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
  return row?.deletionRequestedAt ? row : undefined;
}
