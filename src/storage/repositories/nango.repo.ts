import { and, count, desc, eq, inArray, notExists, sql } from "drizzle-orm";
import { type Database, insertIgnoringDuplicates } from "../db";
import {
  importedDocuments,
  type NangoSyncItemStatus,
  type NangoSyncStatus,
  nangoConnections,
  nangoSyncItems,
  nangoSyncs,
} from "../schema";

export type NangoConnectionRow = typeof nangoConnections.$inferSelect;
export type NangoSyncRow = typeof nangoSyncs.$inferSelect;
export type NangoSyncItemRow = typeof nangoSyncItems.$inferSelect;
export type ImportedDocumentRow = typeof importedDocuments.$inferSelect;

/** Unfinished syncs: at most one runs per connection. */
export const RUNNING_SYNC_STATUSES: NangoSyncStatus[] = ["queued", "listing", "importing", "removing"];

/** Records the tenant's connection to an integration, replacing the one it had. */
export async function saveConnection(db: Database, row: NangoConnectionRow): Promise<void> {
  await db
    .insert(nangoConnections)
    .values(row)
    .onConflictDoUpdate({
      target: [nangoConnections.tenantId, nangoConnections.integrationId],
      set: {
        provider: row.provider,
        connectionId: row.connectionId,
        status: row.status,
        error: row.error,
        updatedAt: row.updatedAt,
      },
    });
}

export async function findConnection(
  db: Database,
  tenantId: string,
  integrationId: string,
): Promise<NangoConnectionRow | undefined> {
  return db.query.nangoConnections.findFirst({
    where: and(eq(nangoConnections.tenantId, tenantId), eq(nangoConnections.integrationId, integrationId)),
  });
}

export async function listConnections(db: Database, tenantId: string): Promise<NangoConnectionRow[]> {
  return db
    .select()
    .from(nangoConnections)
    .where(eq(nangoConnections.tenantId, tenantId))
    .orderBy(nangoConnections.integrationId);
}

/** Deletes the connection row if it still names this Nango connection. */
export async function deleteConnectionRow(db: Database, row: NangoConnectionRow): Promise<void> {
  await db
    .delete(nangoConnections)
    .where(
      and(
        eq(nangoConnections.tenantId, row.tenantId),
        eq(nangoConnections.integrationId, row.integrationId),
        eq(nangoConnections.connectionId, row.connectionId),
      ),
    );
}

export async function insertSync(db: Database, row: NangoSyncRow): Promise<void> {
  await db.insert(nangoSyncs).values(row);
}

export async function findSync(
  db: Database,
  tenantId: string,
  syncId: string,
): Promise<NangoSyncRow | undefined> {
  return db.query.nangoSyncs.findFirst({
    where: and(eq(nangoSyncs.tenantId, tenantId), eq(nangoSyncs.id, syncId)),
  });
}

/** The connection's unfinished sync, or its latest one (`running: false`). */
export async function findLatestSync(
  db: Database,
  tenantId: string,
  integrationId: string,
  options: { running: boolean },
): Promise<NangoSyncRow | undefined> {
  const [row] = await db
    .select()
    .from(nangoSyncs)
    .where(
      and(
        eq(nangoSyncs.tenantId, tenantId),
        eq(nangoSyncs.integrationId, integrationId),
        options.running ? inArray(nangoSyncs.status, RUNNING_SYNC_STATUSES) : undefined,
      ),
    )
    .orderBy(desc(nangoSyncs.id))
    .limit(1);
  return row;
}

/**
 * The latest sync of a Nango connection, in whichever tenant it is still recorded for (Nango's
 * connection ids are unique): what a sync webhook, which names no tenant, is about.
 */
export async function findLatestSyncOfConnection(
  db: Database,
  integrationId: string,
  connectionId: string,
): Promise<NangoSyncRow | undefined> {
  const [row] = await db
    .select({ sync: nangoSyncs })
    .from(nangoSyncs)
    .innerJoin(
      nangoConnections,
      and(
        eq(nangoConnections.tenantId, nangoSyncs.tenantId),
        eq(nangoConnections.integrationId, nangoSyncs.integrationId),
        eq(nangoConnections.connectionId, nangoSyncs.connectionId),
      ),
    )
    .where(and(eq(nangoSyncs.integrationId, integrationId), eq(nangoSyncs.connectionId, connectionId)))
    .orderBy(desc(nangoSyncs.id))
    .limit(1);
  return row?.sync;
}

type SyncChanges = Partial<
  Pick<NangoSyncRow, "status" | "error" | "cursor" | "removed" | "finishedAt" | "updatedAt">
>;

/**
 * Moves a sync from `step` to the next, with `changes`, only if it is still at `step` and running:
 * of two deliveries of one step, one advances it.
 */
export async function advanceSync(
  db: Database,
  sync: Pick<NangoSyncRow, "tenantId" | "id" | "step">,
  changes: SyncChanges,
): Promise<boolean> {
  const updated = await db
    .update(nangoSyncs)
    .set({ ...changes, step: sync.step + 1 })
    .where(
      and(
        eq(nangoSyncs.tenantId, sync.tenantId),
        eq(nangoSyncs.id, sync.id),
        eq(nangoSyncs.step, sync.step),
        inArray(nangoSyncs.status, RUNNING_SYNC_STATUSES),
      ),
    )
    .returning({ id: nangoSyncs.id });
  return updated.length > 0;
}

export type NewSyncItem = Pick<NangoSyncItemRow, "externalId" | "name" | "revision" | "kind">;

/** Adds the files a listing page found (a page listed twice adds nothing new). */
export async function addSyncItems(
  db: Database,
  sync: Pick<NangoSyncRow, "tenantId" | "id">,
  items: NewSyncItem[],
): Promise<void> {
  await insertIgnoringDuplicates(
    db,
    nangoSyncItems,
    items.map((item) => ({ ...item, tenantId: sync.tenantId, syncId: sync.id, status: "pending" as const })),
  );
}

export async function pendingSyncItems(
  db: Database,
  sync: Pick<NangoSyncRow, "tenantId" | "id">,
  limit: number,
): Promise<NangoSyncItemRow[]> {
  return db
    .select()
    .from(nangoSyncItems)
    .where(
      and(
        eq(nangoSyncItems.tenantId, sync.tenantId),
        eq(nangoSyncItems.syncId, sync.id),
        eq(nangoSyncItems.status, "pending"),
      ),
    )
    .orderBy(nangoSyncItems.externalId)
    .limit(limit);
}

export async function settleSyncItem(
  db: Database,
  item: Pick<NangoSyncItemRow, "tenantId" | "syncId" | "externalId">,
  outcome: { status: NangoSyncItemStatus; error?: string | null; documentId?: string | null },
): Promise<void> {
  await db
    .update(nangoSyncItems)
    .set({ status: outcome.status, error: outcome.error ?? null, documentId: outcome.documentId ?? null })
    .where(
      and(
        eq(nangoSyncItems.tenantId, item.tenantId),
        eq(nangoSyncItems.syncId, item.syncId),
        eq(nangoSyncItems.externalId, item.externalId),
      ),
    );
}

/** How many of the sync's files are in each status. */
export async function countSyncItems(
  db: Database,
  sync: Pick<NangoSyncRow, "tenantId" | "id">,
): Promise<Partial<Record<NangoSyncItemStatus, number>>> {
  const rows = await db
    .select({ status: nangoSyncItems.status, n: count() })
    .from(nangoSyncItems)
    .where(and(eq(nangoSyncItems.tenantId, sync.tenantId), eq(nangoSyncItems.syncId, sync.id)))
    .groupBy(nangoSyncItems.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** The sync's files that failed or were skipped, with why. */
export async function unimportedSyncItems(
  db: Database,
  sync: Pick<NangoSyncRow, "tenantId" | "id">,
  limit: number,
): Promise<NangoSyncItemRow[]> {
  return db
    .select()
    .from(nangoSyncItems)
    .where(
      and(
        eq(nangoSyncItems.tenantId, sync.tenantId),
        eq(nangoSyncItems.syncId, sync.id),
        inArray(nangoSyncItems.status, ["failed", "skipped"]),
      ),
    )
    .orderBy(nangoSyncItems.externalId)
    .limit(limit);
}

/** The document imported into the collection from this source file, if any. */
export async function findImportedDocument(
  db: Database,
  source: Pick<ImportedDocumentRow, "tenantId" | "collectionId" | "integrationId" | "externalId">,
): Promise<ImportedDocumentRow | undefined> {
  return db.query.importedDocuments.findFirst({
    where: and(
      eq(importedDocuments.tenantId, source.tenantId),
      eq(importedDocuments.collectionId, source.collectionId),
      eq(importedDocuments.integrationId, source.integrationId),
      eq(importedDocuments.externalId, source.externalId),
    ),
  });
}

/** Remembers (or updates) where an imported document came from and at which revision. */
export async function saveImportedDocument(db: Database, row: ImportedDocumentRow): Promise<void> {
  await db
    .insert(importedDocuments)
    .values(row)
    .onConflictDoUpdate({
      target: [
        importedDocuments.tenantId,
        importedDocuments.collectionId,
        importedDocuments.integrationId,
        importedDocuments.externalId,
      ],
      set: { documentId: row.documentId, revision: row.revision, syncedAt: row.syncedAt },
    });
}

/** Documents imported into the sync's collection from its integration whose source the sync did not list. */
export async function importedDocumentsGoneFromSource(
  db: Database,
  sync: Pick<NangoSyncRow, "tenantId" | "id" | "collectionId" | "integrationId">,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ documentId: importedDocuments.documentId })
    .from(importedDocuments)
    .where(
      and(
        eq(importedDocuments.tenantId, sync.tenantId),
        eq(importedDocuments.collectionId, sync.collectionId),
        eq(importedDocuments.integrationId, sync.integrationId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(nangoSyncItems)
            .where(
              and(
                eq(nangoSyncItems.syncId, sync.id),
                eq(nangoSyncItems.externalId, importedDocuments.externalId),
              ),
            ),
        ),
      ),
    )
    .limit(limit);
  return rows.map((row) => row.documentId);
}
