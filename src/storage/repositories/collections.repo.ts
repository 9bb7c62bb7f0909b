import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { collections } from "../schema";

export type CollectionRow = typeof collections.$inferSelect;

export async function insertCollection(db: Database, row: CollectionRow): Promise<void> {
  await db.insert(collections).values(row);
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

/** Deletes the collection row; assistant links go with it (ON DELETE CASCADE). */
export async function deleteCollectionRow(
  db: Database,
  tenantId: string,
  collectionId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(collections)
    .where(and(eq(collections.tenantId, tenantId), eq(collections.id, collectionId)))
    .returning({ id: collections.id });
  return deleted.length > 0;
}
