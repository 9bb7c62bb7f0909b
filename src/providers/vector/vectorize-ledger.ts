import { batches, rowsPerStatement, SQL_PARAMETER_LIMIT } from "../../lib/batches";
import type { TrackedScope, TrackedVector } from "./vector-index.interface";

// 4 bound values per tracked row.
const ROWS_PER_INSERT = rowsPerStatement(4);

/**
 * The Vectorize store's ledger inside the tenant's vector index object: the `tracked` table maps
 * each Vectorize id written for the tenant to its chunk, document and collection.
 */
export class VectorizeLedger {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS tracked (
        vector_id TEXT PRIMARY KEY,
        chunk_id TEXT NOT NULL,
        collection_id TEXT NOT NULL,
        document_id TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS tracked_by_document ON tracked (document_id);
      CREATE INDEX IF NOT EXISTS tracked_by_collection ON tracked (collection_id);
    `);
  }

  track(entries: TrackedVector[]): void {
    this.storage.transactionSync(() => {
      for (const batch of batches(entries, ROWS_PER_INSERT)) {
        this.sql.exec(
          `INSERT INTO tracked (vector_id, chunk_id, collection_id, document_id)
           VALUES ${batch.map(() => "(?, ?, ?, ?)").join(", ")}
           ON CONFLICT (vector_id) DO UPDATE SET collection_id = excluded.collection_id,
             document_id = excluded.document_id`,
          ...batch.flatMap((entry) => [entry.vectorId, entry.chunkId, entry.collectionId, entry.documentId]),
        );
      }
    });
  }

  trackedIds(where: TrackedScope): string[] {
    const cursor =
      "all" in where
        ? this.sql.exec<{ vector_id: string }>("SELECT vector_id FROM tracked LIMIT ?", where.limit)
        : this.sql.exec<{ vector_id: string }>(
            `SELECT vector_id FROM tracked WHERE ${"documentId" in where ? "document_id" : "collection_id"} = ?`,
            "documentId" in where ? where.documentId : where.collectionId,
          );
    return cursor.toArray().map((row) => row.vector_id);
  }

  resolve(vectorIds: string[]): TrackedVector[] {
    const found: TrackedVector[] = [];
    for (const batch of batches(vectorIds, SQL_PARAMETER_LIMIT)) {
      const cursor = this.sql.exec<{
        vector_id: string;
        chunk_id: string;
        collection_id: string;
        document_id: string;
      }>(
        `SELECT vector_id, chunk_id, collection_id, document_id FROM tracked
         WHERE vector_id IN (${batch.map(() => "?").join(", ")})`,
        ...batch,
      );
      for (const row of cursor) {
        found.push({
          vectorId: row.vector_id,
          chunkId: row.chunk_id,
          collectionId: row.collection_id,
          documentId: row.document_id,
        });
      }
    }
    return found;
  }

  forget(vectorIds: string[]): void {
    this.storage.transactionSync(() => {
      for (const batch of batches(vectorIds, SQL_PARAMETER_LIMIT)) {
        this.sql.exec(
          `DELETE FROM tracked WHERE vector_id IN (${batch.map(() => "?").join(", ")})`,
          ...batch,
        );
      }
    });
  }
}
