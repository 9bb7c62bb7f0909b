import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { collections, documents, type StoredDocumentStatus } from "../schema";

export type CollectionRow = typeof collections.$inferSelect;

/**
 * Inserts the collection only while the tenant has fewer than `limit`. The count and the insert
 * are one statement, so concurrent creations cannot overshoot. Returns false when refused.
 */
export async function insertCollectionWithinLimit(
  db: Database,
  row: CollectionRow,
  limit: number,
): Promise<boolean> {
  const result = await db.$client
    .prepare(
      `INSERT INTO collections (id, tenant_id, name, description, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE (SELECT COUNT(*) FROM collections WHERE tenant_id = ?2) < ?7`,
    )
    .bind(row.id, row.tenantId, row.name, row.description, row.createdAt, row.updatedAt, limit)
    .run();
  return result.meta.changes === 1;
}

export async function findCollection(
  db: Database,
  tenantId: string,
  collectionId: string,
): Promise<CollectionRow | undefined> {
  return db.query.collections.findFirst({
    where: and(eq(collections.tenantId, tenantId), eq(collections.id, collectionId)),
  });
}

/** Changes a collection's name or description; undefined when the tenant has no such collection. */
export async function updateCollection(
  db: Database,
  tenantId: string,
  collectionId: string,
  changes: Partial<Pick<CollectionRow, "name" | "description">> & { updatedAt: string },
): Promise<CollectionRow | undefined> {
  const [row] = await db
    .update(collections)
    .set(changes)
    .where(and(eq(collections.tenantId, tenantId), eq(collections.id, collectionId)))
    .returning();
  return row;
}

/** The ids among `collectionIds` that belong to the tenant. */
export async function existingCollectionIds(
  db: Database,
  tenantId: string,
  collectionIds: string[],
): Promise<Set<string>> {
  if (collectionIds.length === 0) return new Set();
  const rows = await db
    .select({ id: collections.id })
    .from(collections)
    .where(and(eq(collections.tenantId, tenantId), inArray(collections.id, collectionIds)));
  return new Set(rows.map((row) => row.id));
}

export async function listCollections(db: Database, tenantId: string, page: PageRequest) {
  return db
    .select()
    .from(collections)
    .where(and(eq(collections.tenantId, tenantId), page.after ? gt(collections.id, page.after) : undefined))
    .orderBy(asc(collections.id))
    .limit(page.limit + 1);
}

/**
 * Deletes the collection and its documents in one batch (chunks, full-text rows and assistant
 * links follow by cascade and triggers). Returns whether the collection existed and the documents
 * this call deleted, so that their files and storage are freed exactly once.
 */
export async function deleteCollectionWithDocuments(
  db: Database,
  tenantId: string,
  collectionId: string,
): Promise<{
  deleted: boolean;
  documents: { id: string; blobKey: string; sizeBytes: number; status: StoredDocumentStatus }[];
}> {
  const [deletedDocuments, deletedCollection] = await db.batch([
    db
      .delete(documents)
      .where(and(eq(documents.tenantId, tenantId), eq(documents.collectionId, collectionId)))
      .returning({
        id: documents.id,
        blobKey: documents.blobKey,
        sizeBytes: documents.sizeBytes,
        status: documents.status,
      }),
    db
      .delete(collections)
      .where(and(eq(collections.tenantId, tenantId), eq(collections.id, collectionId)))
      .returning({ id: collections.id }),
  ]);
  forgetLookups();
  return { deleted: deletedCollection.length > 0, documents: deletedDocuments };
}
