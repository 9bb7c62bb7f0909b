import { and, eq, inArray } from "drizzle-orm";
import { batches, SQL_PARAMETER_LIMIT, STATEMENTS_PER_BATCH } from "../../lib/batches";
import type { Database } from "../db";
import { chunks, documents } from "../schema";

// Chunks now live in each tenant's search shard. These read and clear what earlier releases left
// in D1, for the job that moves it (services/search/legacy-chunks.ts); the tables go with it.

export type LegacyChunkRow = typeof chunks.$inferSelect & {
  filename: string;
  /** The document's current generation: a chunk of an older one is stale. */
  documentGeneration: number;
};

/** Some tenants that still have chunks in D1. */
export async function tenantsWithLegacyChunks(db: Database, limit: number): Promise<string[]> {
  const rows = await db.selectDistinct({ tenantId: chunks.tenantId }).from(chunks).limit(limit);
  return rows.map((row) => row.tenantId);
}

/** The first `limit` of a tenant's chunks still in D1, by id, with their document's filename. */
export async function legacyChunks(db: Database, tenantId: string, limit: number): Promise<LegacyChunkRow[]> {
  return db
    .select({
      ...chunkColumns,
      filename: documents.filename,
      documentGeneration: documents.generation,
    })
    .from(chunks)
    .innerJoin(documents, eq(documents.id, chunks.documentId))
    .where(eq(chunks.tenantId, tenantId))
    .orderBy(chunks.id)
    .limit(limit);
}

/** Deletes a tenant's chunks from D1 (their full-text rows follow by trigger). */
export async function deleteLegacyChunks(db: Database, tenantId: string, ids: string[]): Promise<void> {
  // The tenant id takes one bound parameter, the ids the rest.
  const statements = batches(ids, SQL_PARAMETER_LIMIT - 1).map((group) =>
    db.delete(chunks).where(and(eq(chunks.tenantId, tenantId), inArray(chunks.id, group))),
  );
  for (const group of batches(statements, STATEMENTS_PER_BATCH)) {
    await db.batch(group as [(typeof group)[number], ...typeof group]);
  }
}

const chunkColumns = {
  id: chunks.id,
  tenantId: chunks.tenantId,
  collectionId: chunks.collectionId,
  documentId: chunks.documentId,
  position: chunks.position,
  text: chunks.text,
  pageStart: chunks.pageStart,
  pageEnd: chunks.pageEnd,
  section: chunks.section,
  pageOffsets: chunks.pageOffsets,
  tokenCount: chunks.tokenCount,
  generation: chunks.generation,
};
