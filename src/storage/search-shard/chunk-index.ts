import { batches, rowsPerStatement } from "../../lib/batches";
import type {
  ChunkHit,
  ChunkTotals,
  DocumentGeneration,
  PlacedChunkHit,
  ShardChunk,
} from "./search-shard.interface";

// 11 bound values per chunk row.
const CHUNKS_PER_INSERT = rowsPerStatement(11);
const DOCUMENTS_PER_INSERT = rowsPerStatement(2);

type ChunkHitRow = {
  id: string;
  document_id: string;
  collection_id: string;
  filename: string;
  text: string;
  page_start: number | null;
  page_end: number | null;
  section: string | null;
  page_offsets: string | null;
};

const HIT_COLUMNS = `c.id, c.document_id, c.collection_id, d.filename, c.text, c.page_start, c.page_end,
  c.section, c.page_offsets`;

const toHit = (row: ChunkHitRow): ChunkHit => ({
  id: row.id,
  documentId: row.document_id,
  collectionId: row.collection_id,
  filename: row.filename,
  text: row.text,
  pageStart: row.page_start,
  pageEnd: row.page_end,
  section: row.section,
  pageOffsets: row.page_offsets ? (JSON.parse(row.page_offsets) as [number, number][]) : null,
});

/**
 * Turns free text into an FTS5 query: every word quoted (so no user input is read as FTS
 * syntax), joined with OR and left to bm25 to rank.
 */
export function toFtsQuery(text: string): string | null {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 64);
  return words.length > 0 ? words.map((word) => `"${word}"`).join(" OR ") : null;
}

/**
 * A tenant's chunks inside its shard object: the `chunks` table, the `chunks_fts` FTS5 index over
 * their text (external content, kept in step by triggers) and `chunk_documents` (each document's
 * filename, once). bm25's statistics are those of this tenant alone. Collection filters bind one
 * JSON array, so no statement nears SQLite's 100 bound parameters.
 */
export class ChunkIndex {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    // Chunks are never updated in place (their id derives from their content): no UPDATE trigger.
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS chunks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        collection_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        page_start INTEGER,
        page_end INTEGER,
        section TEXT,
        page_offsets TEXT,
        token_count INTEGER NOT NULL,
        generation INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (document_id, generation);
      CREATE INDEX IF NOT EXISTS chunks_by_collection ON chunks (collection_id);
      CREATE TABLE IF NOT EXISTS chunk_documents (id TEXT PRIMARY KEY, filename TEXT NOT NULL);
      CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
        text, content='chunks', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER IF NOT EXISTS chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts (rowid, text) VALUES (new.seq, new.text);
      END;
      CREATE TRIGGER IF NOT EXISTS chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END;
    `);
  }

  insert(chunks: ShardChunk[]): void {
    const documents = new Map(chunks.map((chunk) => [chunk.documentId, chunk.filename]));
    this.storage.transactionSync(() => {
      for (const batch of batches([...documents], DOCUMENTS_PER_INSERT)) {
        this.sql.exec(
          `INSERT INTO chunk_documents (id, filename) VALUES ${batch.map(() => "(?, ?)").join(", ")}
           ON CONFLICT (id) DO UPDATE SET filename = excluded.filename`,
          ...batch.flat(),
        );
      }
      // DO NOTHING rather than REPLACE: a replace would bypass the full-text delete trigger.
      for (const batch of batches(chunks, CHUNKS_PER_INSERT)) {
        this.sql.exec(
          `INSERT INTO chunks (id, collection_id, document_id, position, text, page_start, page_end,
             section, page_offsets, token_count, generation)
           VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (id) DO NOTHING`,
          ...batch.flatMap((chunk) => [
            chunk.id,
            chunk.collectionId,
            chunk.documentId,
            chunk.position,
            chunk.text,
            chunk.pageStart,
            chunk.pageEnd,
            chunk.section,
            chunk.pageOffsets ? JSON.stringify(chunk.pageOffsets) : null,
            chunk.tokenCount,
            chunk.generation,
          ]),
        );
      }
    });
  }

  deleteByDocument(documentId: string, generation?: number): number {
    if (generation === undefined) {
      return this.storage.transactionSync(() => {
        this.sql.exec("DELETE FROM chunk_documents WHERE id = ?", documentId);
        return this.deleteChunksWhere("document_id", documentId);
      });
    }
    return this.storage.transactionSync(() => {
      const deleted = this.sql
        .exec(
          "DELETE FROM chunks WHERE document_id = ? AND generation = ? RETURNING seq",
          documentId,
          generation,
        )
        .toArray().length;
      // A stale batch of a deleted document brought its filename back: it goes with its last chunk.
      this.sql.exec(
        "DELETE FROM chunk_documents WHERE id = ? AND NOT EXISTS (SELECT 1 FROM chunks WHERE document_id = ?)",
        documentId,
        documentId,
      );
      return deleted;
    });
  }

  deleteByCollection(collectionId: string): number {
    return this.storage.transactionSync(() => {
      this.sql.exec(
        `DELETE FROM chunk_documents WHERE id IN (SELECT DISTINCT document_id FROM chunks WHERE collection_id = ?)`,
        collectionId,
      );
      return this.deleteChunksWhere("collection_id", collectionId);
    });
  }

  // Counted from RETURNING: rowsWritten would count the trigger's full-text writes too.
  private deleteChunksWhere(column: "document_id" | "collection_id", value: string): number {
    return this.sql.exec(`DELETE FROM chunks WHERE ${column} = ? RETURNING seq`, value).toArray().length;
  }

  totals(documentId: string, generation: number): ChunkTotals {
    return this.sql
      .exec<{ chunks: number; tokens: number; characters: number }>(
        `SELECT count(*) AS chunks, coalesce(sum(token_count), 0) AS tokens,
           coalesce(sum(length(text)), 0) AS characters
         FROM chunks WHERE document_id = ? AND generation = ?`,
        documentId,
        generation,
      )
      .one();
  }

  hits(ids: string[]): ChunkHit[] {
    if (ids.length === 0) return [];
    return this.sql
      .exec<ChunkHitRow>(
        `SELECT ${HIT_COLUMNS} FROM chunks c JOIN chunk_documents d ON d.id = c.document_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
        JSON.stringify(ids),
      )
      .toArray()
      .map(toHit);
  }

  /** See SearchShardObject.sampleChunks. One statement, whatever the documents' lengths. */
  sampleChunks(wanted: DocumentGeneration[], perDocument: number): PlacedChunkHit[] {
    if (wanted.length === 0 || perDocument <= 0) return [];
    // Row k of n is kept when it opens one of `perDocument` equal runs: floor(k·p/n) steps up.
    // (Numbers are bound as reals: the casts make the floors.)
    return this.sql
      .exec<ChunkHitRow & { position: number }>(
        `WITH wanted AS (
           SELECT key AS rank, json_extract(value, '$.documentId') AS document_id,
             json_extract(value, '$.generation') AS generation
           FROM json_each(?1)
         ),
         numbered AS (
           SELECT c.*, w.rank,
             row_number() OVER (PARTITION BY c.document_id ORDER BY c.position) - 1 AS k,
             count(*) OVER (PARTITION BY c.document_id) AS n
           FROM chunks c JOIN wanted w ON w.document_id = c.document_id AND w.generation = c.generation
         )
         SELECT ${HIT_COLUMNS}, c.position FROM numbered c JOIN chunk_documents d ON d.id = c.document_id
         WHERE c.k = 0 OR CAST(c.k * ?2 / c.n AS INTEGER) > CAST((c.k - 1) * ?2 / c.n AS INTEGER)
         ORDER BY c.rank, c.position`,
        JSON.stringify(wanted),
        perDocument,
      )
      .toArray()
      .map((row) => ({ ...toHit(row), position: row.position }));
  }

  /** The chunks that best match `text` by bm25, best first, scored as a positive relevance. */
  searchText(text: string, limit: number, collectionIds?: string[]): (ChunkHit & { score: number })[] {
    const query = toFtsQuery(text);
    if (!query || limit <= 0) return [];
    const inCollections = collectionIds ? " AND c.collection_id IN (SELECT value FROM json_each(?))" : "";
    const cursor = this.sql.exec<ChunkHitRow & { bm25: number }>(
      `SELECT ${HIT_COLUMNS}, bm25(chunks_fts) AS bm25
       FROM chunks_fts JOIN chunks c ON c.seq = chunks_fts.rowid JOIN chunk_documents d ON d.id = c.document_id
       WHERE chunks_fts MATCH ?${inCollections}
       ORDER BY bm25 LIMIT ?`,
      query,
      ...(collectionIds ? [JSON.stringify(collectionIds)] : []),
      limit,
    );
    // bm25() is lower-is-better and negative.
    return cursor.toArray().map((row) => ({ ...toHit(row), score: -row.bm25 }));
  }
}
