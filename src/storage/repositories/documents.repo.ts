import {
  and,
  asc,
  count,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Database } from "../db";
import {
  chunks,
  collections,
  type DocumentStatus,
  documentListCounters,
  documents,
  type StoredDocumentStatus,
} from "../schema";

export type DocumentRow = typeof documents.$inferSelect;

/** The condition naming one document of a tenant, narrowed by any further conditions. */
function whereDocument(tenantId: string, documentId: string, ...also: SQL[]): SQL | undefined {
  return and(eq(documents.tenantId, tenantId), eq(documents.id, documentId), ...also);
}

/** The tenant's next listing position, taken in the batch that gives it to a document. */
const nextListPosition = (db: Database, tenantId: string) =>
  db
    .insert(documentListCounters)
    .values({ tenantId, lastPosition: 1 })
    .onConflictDoUpdate({
      target: documentListCounters.tenantId,
      set: { lastPosition: sql`${documentListCounters.lastPosition} + 1` },
    });

/** The position the batch's nextListPosition took. */
const takenListPosition = (tenantId: string) =>
  sql`(SELECT ${documentListCounters.lastPosition} FROM ${documentListCounters} WHERE ${documentListCounters.tenantId} = ${tenantId})`;

/**
 * Inserts an `uploading` document with the tenant's next listing position, in one batch, only if
 * its collection still exists and holds no identical content. Returns undefined when the
 * collection is gone, else the row that holds the content (`duplicate` when another upload's).
 */
export async function insertUploadingDocument(
  db: Database,
  row: DocumentRow,
): Promise<{ document: DocumentRow; duplicate: boolean } | undefined> {
  // INSERT … SELECT with the row's values in the table's column order, each encoded by its column.
  const values = Object.entries(getTableColumns(documents)).map(([key, column]) =>
    key === "listPosition"
      ? takenListPosition(row.tenantId)
      : sql.param(row[key as keyof DocumentRow], column),
  );
  const [, inserted] = await db.batch([
    nextListPosition(db, row.tenantId),
    db
      .insert(documents)
      .select(
        sql`SELECT ${sql.join(values, sql`, `)} WHERE EXISTS (SELECT 1 FROM ${collections} WHERE ${and(
          eq(collections.tenantId, row.tenantId),
          eq(collections.id, row.collectionId),
        )})`,
      )
      .onConflictDoNothing({ target: [documents.tenantId, documents.collectionId, documents.sha256] })
      .returning(),
  ]);
  if (inserted[0]) return { document: inserted[0], duplicate: false };
  const existing = await findDocumentByContent(db, row.tenantId, row.collectionId, row.sha256);
  return existing ? { document: existing, duplicate: true } : undefined;
}

/**
 * Turns an uploading document into a queued one, in one transaction; one inserted before uploads
 * took their listing position at insertion gets the tenant's next one. Returns undefined when no
 * uploading row is left (published already, or gone with its collection).
 */
export async function publishUploadedDocument(
  db: Database,
  tenantId: string,
  documentId: string,
  at: string,
): Promise<DocumentRow | undefined> {
  const [, published] = await db.batch([
    nextListPosition(db, tenantId),
    db
      .update(documents)
      .set({
        status: "queued",
        listPosition: sql`COALESCE(${documents.listPosition}, ${takenListPosition(tenantId)})`,
        updatedAt: at,
      })
      .where(whereDocument(tenantId, documentId, eq(documents.status, "uploading")))
      .returning(),
  ]);
  return published[0];
}

/** Deletes a document that is still uploading (an upload undoing itself); a published one is left alone. */
export async function deleteUploadingDocument(
  db: Database,
  tenantId: string,
  documentId: string,
): Promise<void> {
  await db.delete(documents).where(whereDocument(tenantId, documentId, eq(documents.status, "uploading")));
}

/** The collection's document of the given content (one at most: the content is unique per collection). */
const sameContent = (tenantId: string, collectionId: string, sha256: string) =>
  and(
    eq(documents.tenantId, tenantId),
    eq(documents.collectionId, collectionId),
    eq(documents.sha256, sha256),
  );

export async function findDocumentByContent(
  db: Database,
  tenantId: string,
  collectionId: string,
  sha256: string,
): Promise<DocumentRow | undefined> {
  return db.query.documents.findFirst({ where: sameContent(tenantId, collectionId, sha256) });
}

/**
 * Whether the tenant's collection exists, and its document of identical content if any, in one
 * round trip (an upload's reads before its reservation).
 */
export async function findCollectionAndContent(
  db: Database,
  tenantId: string,
  collectionId: string,
  sha256: string,
): Promise<{ collectionFound: boolean; existing: DocumentRow | undefined }> {
  const [found, existing] = await db.batch([
    db
      .select({ id: collections.id })
      .from(collections)
      .where(and(eq(collections.tenantId, tenantId), eq(collections.id, collectionId))),
    db
      .select()
      .from(documents)
      .where(sameContent(tenantId, collectionId, sha256))
      .limit(1),
  ]);
  return { collectionFound: found.length > 0, existing: existing[0] };
}

export async function findDocument(
  db: Database,
  tenantId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  return db.query.documents.findFirst({
    where: whereDocument(tenantId, documentId),
  });
}

/** The format and size of the tenant's documents among `documentIds` (those that exist). */
export async function documentSizes(
  db: Database,
  tenantId: string,
  documentIds: string[],
): Promise<Pick<DocumentRow, "id" | "format" | "sizeBytes">[]> {
  if (documentIds.length === 0) return [];
  return db
    .select({ id: documents.id, format: documents.format, sizeBytes: documents.sizeBytes })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), inArray(documents.id, documentIds)));
}

/**
 * Listed documents in listing order, after the position `afterPosition`: those being deleted left
 * out, and uploading ones unless touched since `uploadingSince` (an upload under way, not one that
 * died half-way).
 */
export async function listDocuments(
  db: Database,
  tenantId: string,
  filter: { collectionId?: string; statuses?: DocumentStatus[]; uploadingSince: string },
  page: { limit: number; afterPosition?: number },
) {
  return db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        isNotNull(documents.listPosition),
        ne(documents.status, "deleting"),
        or(ne(documents.status, "uploading"), gte(documents.updatedAt, filter.uploadingSince)),
        filter.collectionId ? eq(documents.collectionId, filter.collectionId) : undefined,
        filter.statuses ? inArray(documents.status, filter.statuses) : undefined,
        page.afterPosition !== undefined ? gt(documents.listPosition, page.afterPosition) : undefined,
      ),
    )
    .orderBy(asc(documents.listPosition))
    .limit(page.limit + 1);
}

/**
 * A tenant's ready documents in these collections (only those of `documentIds` when given), in
 * listing order, at most `limit`: what a summary reads.
 */
export async function readyDocuments(
  db: Database,
  tenantId: string,
  filter: { collectionIds: string[]; documentIds?: string[] },
  limit: number,
): Promise<Pick<DocumentRow, "id" | "filename" | "generation">[]> {
  if (filter.collectionIds.length === 0 || filter.documentIds?.length === 0) return [];
  return db
    .select({ id: documents.id, filename: documents.filename, generation: documents.generation })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.status, "ready"),
        inArray(documents.collectionId, filter.collectionIds),
        filter.documentIds ? inArray(documents.id, filter.documentIds) : undefined,
      ),
    )
    .orderBy(asc(documents.listPosition))
    .limit(limit);
}

type DocumentChanges = Partial<
  Pick<
    DocumentRow,
    | "status"
    | "error"
    | "errorCode"
    | "pageCount"
    | "language"
    | "pagesDone"
    | "pagesTotal"
    | "unreadablePages"
    | "chunkCount"
    | "tokenCount"
    | "leaseExpiresAt"
    | "sweeps"
    | "updatedAt"
  >
>;

/**
 * Updates a document only while it is at `generation` and not being deleted: a reindex or a
 * deletion makes older workers' writes no-ops.
 */
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
      whereDocument(
        tenantId,
        documentId,
        eq(documents.generation, generation),
        ne(documents.status, "deleting"),
      ),
    )
    .returning({ id: documents.id });
  return updated.length > 0;
}

/**
 * Documents, of every tenant, whose ingestion shows no sign of life: `queued` or `processing` with
 * a lease that expired before `now`, or with no lease and untouched since `unleasedBefore`. The
 * sweeper's query, across tenants by nature; each document found is then handled in its tenant.
 */
export async function findStalledDocuments(
  db: Database,
  bounds: { now: string; unleasedBefore: string; limit: number },
): Promise<DocumentRow[]> {
  return db
    .select()
    .from(documents)
    .where(
      and(
        inArray(documents.status, ["queued", "processing"]),
        or(
          lt(documents.leaseExpiresAt, bounds.now),
          and(isNull(documents.leaseExpiresAt), lt(documents.updatedAt, bounds.unleasedBefore)),
        ),
      ),
    )
    .orderBy(asc(documents.updatedAt))
    .limit(bounds.limit);
}

/**
 * Updates a document found stalled, unless it changed since it was read (a batch took or renewed
 * its lease, a reindex, another sweep): every such write moves `updated_at`.
 */
export async function updateStalledDocument(
  db: Database,
  stalled: DocumentRow,
  changes: DocumentChanges,
): Promise<boolean> {
  const updated = await db
    .update(documents)
    .set(changes)
    .where(
      whereDocument(
        stalled.tenantId,
        stalled.id,
        eq(documents.generation, stalled.generation),
        inArray(documents.status, ["queued", "processing"]),
        eq(documents.updatedAt, stalled.updatedAt),
      ),
    )
    .returning({ id: documents.id });
  return updated.length > 0;
}

/**
 * A batch takes the document's ingestion lease: `processing` until `leaseExpiresAt`, while the
 * document is at `generation` and not finished (a late copy of a batch never reopens it). Returns
 * the document as the lease leaves it (one statement reads and leases it), undefined when refused.
 */
export async function takeIngestionLease(
  db: Database,
  at: { tenantId: string; documentId: string; generation: number },
  leaseExpiresAt: string,
  now: string,
): Promise<DocumentRow | undefined> {
  const [taken] = await db
    .update(documents)
    .set({ status: "processing", leaseExpiresAt, updatedAt: now })
    .where(
      whereDocument(
        at.tenantId,
        at.documentId,
        eq(documents.generation, at.generation),
        inArray(documents.status, ["queued", "processing"]),
      ),
    )
    .returning();
  return taken;
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
  /** A new original, when the file itself was replaced. */
  original?: Pick<DocumentRow, "filename" | "format" | "contentType" | "sizeBytes" | "sha256" | "metadata">,
): Promise<DocumentRow | undefined> {
  const [, restarted] = await db.batch([
    db.delete(chunks).where(and(eq(chunks.tenantId, tenantId), eq(chunks.documentId, documentId))),
    db
      .update(documents)
      .set({
        ...original,
        status: "queued",
        error: null,
        errorCode: null,
        chunkCount: 0,
        tokenCount: 0,
        pagesDone: 0,
        unreadablePages: [],
        leaseExpiresAt: null,
        sweeps: 0,
        generation: sql`${documents.generation} + 1`,
        updatedAt: at,
      })
      // An upload still on its way has no file to ingest yet; a deletion under way goes on.
      .where(whereDocument(tenantId, documentId, notInArray(documents.status, ["uploading", "deleting"])))
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
): Promise<{ id: string; sizeBytes: number; status: StoredDocumentStatus }[]> {
  if (documentIds.length === 0) return [];
  // One statement per document keeps each under D1's bound-parameter limit.
  const deleted = await db.batch(
    documentIds.map((id) =>
      db
        .delete(documents)
        .where(whereDocument(tenantId, id))
        .returning({ id: documents.id, sizeBytes: documents.sizeBytes, status: documents.status }),
    ) as [any, ...any[]],
  );
  return (deleted as { id: string; sizeBytes: number; status: StoredDocumentStatus }[][]).flat();
}

/**
 * Marks a published document `deleting` (again, when it already is), until `leaseExpiresAt`: the
 * sweeper finishes a deletion whose lease has passed. Undefined when there is no such document (or
 * it is still uploading).
 */
export async function markDocumentDeleting(
  db: Database,
  tenantId: string,
  documentId: string,
  leaseExpiresAt: string,
  at: string,
): Promise<DocumentRow | undefined> {
  const [marked] = await db
    .update(documents)
    .set({ status: "deleting", leaseExpiresAt, updatedAt: at })
    .where(whereDocument(tenantId, documentId, ne(documents.status, "uploading")))
    .returning();
  return marked;
}

/** Documents, of every tenant, whose deletion is under way with a lease that expired before `now`. */
export async function findStalledDeletions(
  db: Database,
  bounds: { now: string; limit: number },
): Promise<DocumentRow[]> {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.status, "deleting"), lt(documents.leaseExpiresAt, bounds.now)))
    .orderBy(asc(documents.updatedAt))
    .limit(bounds.limit);
}

/** Renews the lease of a deletion found stalled, unless it changed since it was read (another sweep). */
export async function claimStalledDeletion(
  db: Database,
  stalled: DocumentRow,
  leaseExpiresAt: string,
  at: string,
): Promise<boolean> {
  const claimed = await db
    .update(documents)
    .set({ leaseExpiresAt, updatedAt: at })
    .where(
      whereDocument(
        stalled.tenantId,
        stalled.id,
        eq(documents.status, "deleting"),
        eq(documents.updatedAt, stalled.updatedAt),
      ),
    )
    .returning({ id: documents.id });
  return claimed.length > 0;
}

export interface DocumentStatusCount {
  status: StoredDocumentStatus;
  documents: number;
  chunks: number;
}

/**
 * How many of the tenant's documents are in each status, with their chunks (uploads in flight and
 * deletions under way left out).
 */
export async function countDocumentsByStatus(db: Database, tenantId: string): Promise<DocumentStatusCount[]> {
  return db
    .select({
      status: documents.status,
      documents: count(),
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}), 0)`.mapWith(Number),
    })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), notInArray(documents.status, ["uploading", "deleting"])))
    .groupBy(documents.status);
}
