import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { chunks, type DocumentStatus, documents } from "../schema";

export type DocumentRow = typeof documents.$inferSelect;

/** Inserts the document unless the collection already holds the same content; returns the row that holds it. */
export async function insertDocumentOrGetDuplicate(
  db: Database,
  row: DocumentRow,
): Promise<{ document: DocumentRow; duplicate: boolean }> {
  const inserted = await db
    .insert(documents)
    .values(row)
    .onConflictDoNothing({ target: [documents.tenantId, documents.collectionId, documents.sha256] })
    .returning();
  if (inserted[0]) return { document: inserted[0], duplicate: false };
  const existing = await findDocumentByContent(db, row.tenantId, row.collectionId, row.sha256);
  if (!existing) throw new Error(`document with content ${row.sha256} vanished during upload`);
  return { document: existing, duplicate: true };
}

export async function findDocumentByContent(
  db: Database,
  tenantId: string,
  collectionId: string,
  sha256: string,
): Promise<DocumentRow | undefined> {
  return db.query.documents.findFirst({
    where: and(
      eq(documents.tenantId, tenantId),
      eq(documents.collectionId, collectionId),
      eq(documents.sha256, sha256),
    ),
  });
}

export async function findDocument(
  db: Database,
  tenantId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  return db.query.documents.findFirst({
    where: and(eq(documents.tenantId, tenantId), eq(documents.id, documentId)),
  });
}

export async function listDocuments(
  db: Database,
  tenantId: string,
  filter: { collectionId?: string; status?: DocumentStatus },
  page: PageRequest,
) {
  return db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        filter.collectionId ? eq(documents.collectionId, filter.collectionId) : undefined,
        filter.status ? eq(documents.status, filter.status) : undefined,
        page.after ? gt(documents.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(documents.id))
    .limit(page.limit + 1);
}

type DocumentChanges = Partial<
  Pick<
    DocumentRow,
    "status" | "error" | "pageCount" | "pagesDone" | "pagesTotal" | "chunkCount" | "tokenCount" | "updatedAt"
  >
>;

/** Updates a document only while it is at `generation`: a reindex makes older workers' writes no-ops. */
export async function updateDocumentAtGeneration(
  db: Database,
  tenantId: string,
  documentId: string,
  generation: number,
  changes: DocumentChanges,
): Promise<boolean> {
  const updated = await db
    .update(documents)
    .set(changes)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.id, documentId),
        eq(documents.generation, generation),
      ),
    )
    .returning({ id: documents.id });
  return updated.length > 0;
}

/**
 * Starts a new ingestion generation: the document is queued again, and any chunks an earlier
 * release left for it in D1 are dropped (the service clears its chunks in the tenant's shard).
 */
export async function restartDocument(
  db: Database,
  tenantId: string,
  documentId: string,
  at: string,
): Promise<DocumentRow | undefined> {
  const [, restarted] = await db.batch([
    db.delete(chunks).where(and(eq(chunks.tenantId, tenantId), eq(chunks.documentId, documentId))),
    db
      .update(documents)
      .set({
        status: "queued",
        error: null,
        chunkCount: 0,
        tokenCount: 0,
        pagesDone: 0,
        generation: sql`${documents.generation} + 1`,
        updatedAt: at,
      })
      .where(and(eq(documents.tenantId, tenantId), eq(documents.id, documentId)))
      .returning(),
  ]);
  return restarted[0];
}

/**
 * Deletes documents (and chunks earlier releases left in D1, by cascade). Returns the
 * documents this call deleted: a concurrent delete of the same one sees nothing to free.
 */
export async function deleteDocumentRows(
  db: Database,
  tenantId: string,
  documentIds: string[],
): Promise<{ id: string; sizeBytes: number }[]> {
  if (documentIds.length === 0) return [];
  // One statement per document keeps each under D1's bound-parameter limit.
  const deleted = await db.batch(
    documentIds.map((id) =>
      db
        .delete(documents)
        .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
        .returning({ id: documents.id, sizeBytes: documents.sizeBytes }),
    ) as [any, ...any[]],
  );
  return (deleted as { id: string; sizeBytes: number }[][]).flat();
}
