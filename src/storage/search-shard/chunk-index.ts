import { batches, rowsPerStatement, SQL_PARAMETER_LIMIT } from "../../lib/batches";
import { analyzeText, withoutStopwords } from "../../lib/text/analyzer";
import { detectLanguage, type Language } from "../../lib/text/language";
import type { ChunkRow, DocumentRow } from "./search-replica.interface";
import type {
  ChunkHit,
  ChunkTotals,
  DocumentGeneration,
  PlacedChunkHit,
  ShardChunk,
} from "./search-shard.interface";

// 13 bound values per chunk row.
const CHUNKS_PER_INSERT = rowsPerStatement(13);
// Query words kept: a pasted paragraph must not become a query of hundreds of terms.
const MAX_QUERY_TERMS = 64;
const DOCUMENTS_PER_INSERT = rowsPerStatement(3);

type ChunkHitRow = {
  id: string;
  document_id: string;
  collection_id: string;
  filename: string;
  text: string;
  language: Language | null;
  page_start: number | null;
  page_end: number | null;
  section: string | null;
  page_offsets: string | null;
};

// A chunk's stored columns, in the order a copied row is inserted.
const ROW_COLUMNS = `id, collection_id, document_id, position, text, page_start, page_end, section,
  page_offsets, token_count, generation, language, terms`;

const HIT_COLUMNS = `c.id, c.document_id, c.collection_id, d.filename, c.text, c.language, c.page_start,
  c.page_end, c.section, c.page_offsets`;

// The chunks search may return (`c` a chunk, `d` its document): those of the document's current
// generation, never of a removed one. A document recorded before generations (null) shows them all.
const LIVE_CHUNK = "d.removed = 0 AND (d.generation IS NULL OR c.generation = d.generation)";

const toHit = (row: ChunkHitRow): ChunkHit => ({
  id: row.id,
  documentId: row.document_id,
  collectionId: row.collection_id,
  filename: row.filename,
  text: row.text,
  language: row.language,
  pageStart: row.page_start,
  pageEnd: row.page_end,
  section: row.section,
  pageOffsets: row.page_offsets ? (JSON.parse(row.page_offsets) as [number, number][]) : null,
});

/**
 * Turns analysed terms into an FTS5 query: every term quoted (so no user input is read as FTS
 * syntax), joined with OR and left to bm25 to rank.
 */
export function toFtsQuery(terms: Iterable<string>): string | null {
  const unique = [...new Set(terms)].slice(0, MAX_QUERY_TERMS);
  return unique.length > 0 ? unique.map((term) => `"${term}"`).join(" OR ") : null;
}

/**
 * A tenant's chunks inside its shard object: the `chunks` table, the `chunks_terms_fts` FTS5 index
 * and `chunk_documents` (each document's filename, current generation and whether it was removed,
 * once). bm25's statistics are those of this tenant alone.
 *
 * Chunks of a generation a reindex overtook, or of a removed document, may stay here a while (a
 * batch that wrote them takes them back, a new generation's first batch clears older ones): hits,
 * searches and samples only ever return chunks of their document's current generation, which the
 * shard knows itself, so that no search needs to ask D1. A removed document keeps its row, so
 * that a late batch's chunks never bring it back. Collection filters bind one JSON array, so no statement nears SQLite's 100 bound
 * parameters.
 *
 * FTS5 here takes no custom tokenizer, so each chunk keeps a shadow column, `terms`: its text
 * analysed in its own language (stop words dropped, Snowball-stemmed, accents folded), which FTS5
 * indexes with a plain tokenizer. Hits and snippets quote `text`, never `terms`.
 *
 * Shards made before languages indexed `text` with SQLite's English porter tokenizer
 * (`chunks_fts`). Opening one adds the columns; `analysePending` then fills `terms` a page at a
 * time, and until the last page is done searches keep using the old index.
 */
export class ChunkIndex {
  private readonly sql: SqlStorage;
  private legacyIndex: boolean;
  // The languages of the stored chunks (null: unknown), which a query is analysed in.
  private languages: Set<Language | null> | undefined;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
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
        generation INTEGER NOT NULL,
        language TEXT,
        terms TEXT
      );
      CREATE TABLE IF NOT EXISTS chunk_documents (
        id TEXT PRIMARY KEY,
        filename TEXT NOT NULL,
        generation INTEGER,
        removed INTEGER NOT NULL DEFAULT 0
      );
    `);
    const columns = this.sql.exec<{ name: string }>("PRAGMA table_info(chunks)").toArray();
    if (!columns.some((column) => column.name === "terms")) {
      this.sql.exec("ALTER TABLE chunks ADD COLUMN language TEXT; ALTER TABLE chunks ADD COLUMN terms TEXT;");
    }
    const documentColumns = this.sql.exec<{ name: string }>("PRAGMA table_info(chunk_documents)").toArray();
    if (!documentColumns.some((column) => column.name === "generation")) {
      // A shard from before generations: its documents' generations are learnt from their next chunks.
      this.sql.exec(
        `ALTER TABLE chunk_documents ADD COLUMN generation INTEGER;
         ALTER TABLE chunk_documents ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;`,
      );
    }
    // Chunks are never updated in place (their id derives from their content); only `terms` is,
    // once, when an old shard is analysed. Rows stored before the index have no terms and are not
    // in it: deleting them from it would corrupt its statistics.
    this.sql.exec(`
      CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (document_id, generation);
      CREATE INDEX IF NOT EXISTS chunks_by_collection ON chunks (collection_id);
      CREATE INDEX IF NOT EXISTS chunks_by_language ON chunks (language);
      CREATE INDEX IF NOT EXISTS chunks_to_analyse ON chunks (seq) WHERE terms IS NULL;
      CREATE VIRTUAL TABLE IF NOT EXISTS chunks_terms_fts USING fts5(
        terms, content='chunks', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER IF NOT EXISTS chunks_terms_after_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_terms_fts (rowid, terms) VALUES (new.seq, new.terms);
      END;
      CREATE TRIGGER IF NOT EXISTS chunks_terms_after_delete AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_terms_fts (chunks_terms_fts, rowid, terms)
          SELECT 'delete', old.seq, old.terms WHERE old.terms IS NOT NULL;
      END;
      CREATE TRIGGER IF NOT EXISTS chunks_terms_after_update AFTER UPDATE OF terms ON chunks BEGIN
        INSERT INTO chunks_terms_fts (chunks_terms_fts, rowid, terms)
          SELECT 'delete', old.seq, old.terms WHERE old.terms IS NOT NULL;
        INSERT INTO chunks_terms_fts (rowid, terms) VALUES (new.seq, new.terms);
      END;
    `);
    this.legacyIndex =
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chunks_fts'").toArray()
        .length > 0;
  }

  /** Whether chunks stored before languages are still to be analysed (see `analysePending`). */
  get upgrading(): boolean {
    return this.legacyIndex;
  }

  /**
   * Analyses up to `limit` chunks stored before languages (detecting their language), then, once
   * none is left, drops the old porter index. Idempotent: it only takes chunks without terms.
   * Returns whether some remain.
   */
  analysePending(limit: number): boolean {
    if (!this.legacyIndex) return false;
    const rows = this.sql
      .exec<{ seq: number; text: string; language: Language | null }>(
        "SELECT seq, text, language FROM chunks WHERE terms IS NULL ORDER BY seq LIMIT ?",
        limit,
      )
      .toArray();
    this.storage.transactionSync(() => {
      for (const row of rows) {
        const { language, terms } = analyseChunk(row.text, row.language ?? undefined);
        this.sql.exec("UPDATE chunks SET language = ?, terms = ? WHERE seq = ?", language, terms, row.seq);
        this.languages?.add(language);
      }
      if (rows.length < limit) {
        this.sql.exec(`
          DROP TRIGGER IF EXISTS chunks_fts_after_insert;
          DROP TRIGGER IF EXISTS chunks_fts_after_delete;
          DROP TABLE IF EXISTS chunks_fts;
        `);
      }
    });
    this.legacyIndex = rows.length === limit;
    return this.legacyIndex;
  }

  /**
   * Stores chunks (a chunk whose id is stored is left as it is). A chunk of a newer generation than
   * its document's makes it the document's current one (hiding older chunks at once); the filename
   * is the newest generation's.
   */
  insert(chunks: ShardChunk[]): void {
    const documents = new Map<string, [string, string, number]>();
    for (const chunk of chunks) {
      const known = documents.get(chunk.documentId);
      if (!known || known[2] < chunk.generation)
        documents.set(chunk.documentId, [chunk.documentId, chunk.filename, chunk.generation]);
    }
    // Chunks from D1 (stored before languages) come without one: detected here.
    const analysed = chunks.map((chunk) => ({
      chunk,
      ...analyseChunk(chunk.text, chunk.language),
    }));
    for (const { language } of analysed) this.languages?.add(language);
    this.storage.transactionSync(() => {
      for (const batch of batches([...documents.values()], DOCUMENTS_PER_INSERT)) {
        this.sql.exec(
          `INSERT INTO chunk_documents (id, filename, generation) VALUES ${batch.map(() => "(?, ?, ?)").join(", ")}
           ON CONFLICT (id) DO UPDATE SET
             filename = CASE WHEN excluded.generation >= coalesce(generation, 0)
               THEN excluded.filename ELSE filename END,
             generation = max(coalesce(generation, 0), excluded.generation)`,
          ...batch.flat(),
        );
      }
      // DO NOTHING rather than REPLACE: a replace would bypass the full-text delete trigger.
      for (const batch of batches(analysed, CHUNKS_PER_INSERT)) {
        this.sql.exec(
          `INSERT INTO chunks (id, collection_id, document_id, position, text, page_start, page_end,
             section, page_offsets, token_count, generation, language, terms)
           VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (id) DO NOTHING`,
          ...batch.flatMap(({ chunk, language, terms }) => [
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
            language,
            terms,
          ]),
        );
      }
    });
  }

  /** A page of stored chunks as rows, after `seq` in storage order (a replica's first copy). */
  chunkRowsAfter(seq: number, limit: number): { rows: ChunkRow[]; last: number | null } {
    const rows = this.sql
      .exec<ChunkRow & { seq: number }>(
        `SELECT seq, ${ROW_COLUMNS} FROM chunks WHERE seq > ? ORDER BY seq LIMIT ?`,
        seq,
        limit,
      )
      .toArray();
    return {
      rows: rows.map(({ seq: _seq, ...row }) => row),
      last: rows.length === limit ? rows.at(-1)!.seq : null,
    };
  }

  /** The stored rows of these chunks (those since deleted are left out). */
  chunkRowsOf(ids: string[]): ChunkRow[] {
    return batches(ids, SQL_PARAMETER_LIMIT).flatMap((batch) =>
      this.sql
        .exec<ChunkRow>(
          `SELECT ${ROW_COLUMNS} FROM chunks WHERE id IN (${batch.map(() => "?").join(", ")})`,
          ...batch,
        )
        .toArray(),
    );
  }

  /** A page of the documents' rows, after `id`. */
  documentRowsAfter(id: string, limit: number): DocumentRow[] {
    return this.sql
      .exec<DocumentRow>(
        "SELECT id, filename, generation, removed FROM chunk_documents WHERE id > ? ORDER BY id LIMIT ?",
        id,
        limit,
      )
      .toArray();
  }

  /** The rows of these documents. */
  documentRowsOf(ids: string[]): DocumentRow[] {
    return batches(ids, SQL_PARAMETER_LIMIT).flatMap((batch) =>
      this.sql
        .exec<DocumentRow>(
          `SELECT id, filename, generation, removed FROM chunk_documents WHERE id IN (${batch.map(() => "?").join(", ")})`,
          ...batch,
        )
        .toArray(),
    );
  }

  /**
   * Stores rows copied from another shard as they are (analysed there). A document's row only
   * moves forward (generation up, removed for good, the newest generation's filename), so rows
   * applied in any order agree with the shard they come from.
   */
  importRows(chunks: ChunkRow[], documents: DocumentRow[]): void {
    for (const chunk of chunks) this.languages?.add(chunk.language as Language | null);
    this.storage.transactionSync(() => {
      for (const batch of batches(documents, rowsPerStatement(4))) {
        this.sql.exec(
          `INSERT INTO chunk_documents (id, filename, generation, removed) VALUES ${batch.map(() => "(?, ?, ?, ?)").join(", ")}
           ON CONFLICT (id) DO UPDATE SET
             filename = CASE WHEN coalesce(excluded.generation, 0) >= coalesce(generation, 0)
               THEN excluded.filename ELSE filename END,
             generation = CASE WHEN excluded.generation IS NULL AND generation IS NULL THEN NULL
               ELSE max(coalesce(generation, 0), coalesce(excluded.generation, 0)) END,
             removed = max(removed, excluded.removed)`,
          ...batch.flatMap((row) => [row.id, row.filename, row.generation, row.removed]),
        );
      }
      for (const batch of batches(chunks, CHUNKS_PER_INSERT)) {
        this.sql.exec(
          `INSERT INTO chunks (${ROW_COLUMNS})
           VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (id) DO NOTHING`,
          ...batch.flatMap((row) => [
            row.id,
            row.collection_id,
            row.document_id,
            row.position,
            row.text,
            row.page_start,
            row.page_end,
            row.section,
            row.page_offsets,
            row.token_count,
            row.generation,
            row.language,
            row.terms,
          ]),
        );
      }
    });
  }

  /**
   * Deletes a document's chunks of one generation or, without one, removes the document: all its
   * chunks go, and it stays recorded as removed (search never shows chunks a late batch brings).
   */
  deleteByDocument(documentId: string, generation?: number): number {
    if (generation === undefined) {
      return this.storage.transactionSync(() => {
        // Recorded even before its first chunk: a batch still on its way must not bring it back.
        this.sql.exec(
          `INSERT INTO chunk_documents (id, filename, removed) VALUES (?, '', 1)
           ON CONFLICT (id) DO UPDATE SET removed = 1`,
          documentId,
        );
        return this.deleteChunksWhere("document_id", documentId);
      });
    }
    return this.sql
      .exec(
        "DELETE FROM chunks WHERE document_id = ? AND generation = ? RETURNING seq",
        documentId,
        generation,
      )
      .toArray().length;
  }

  /**
   * Makes `generation` the document's current one unless a newer one is (older chunks are hidden
   * at once); returns the ids of its chunks of older generations, still stored, for their vectors
   * to go before `deleteOlderGenerations` deletes them.
   */
  advanceGeneration(documentId: string, generation: number): string[] {
    return this.storage.transactionSync(() => {
      // Recorded even before its first chunk (its filename comes with them): a batch of an older
      // generation still on its way must not show its chunks.
      this.sql.exec(
        `INSERT INTO chunk_documents (id, filename, generation) VALUES (?, '', ?)
         ON CONFLICT (id) DO UPDATE SET generation = max(coalesce(generation, 0), excluded.generation)`,
        documentId,
        generation,
      );
      return this.sql
        .exec<{ id: string }>(
          "SELECT id FROM chunks WHERE document_id = ? AND generation < ?",
          documentId,
          generation,
        )
        .toArray()
        .map((row) => row.id);
    });
  }

  /** Deletes a document's chunks of generations older than `generation`; returns how many there were. */
  deleteOlderGenerations(documentId: string, generation: number): number {
    return this.sql
      .exec(
        "DELETE FROM chunks WHERE document_id = ? AND generation < ? RETURNING seq",
        documentId,
        generation,
      )
      .toArray().length;
  }

  /** The ids of a document's chunks of one generation. */
  chunkIds(documentId: string, generation: number): string[] {
    return this.sql
      .exec<{ id: string }>(
        "SELECT id FROM chunks WHERE document_id = ? AND generation = ?",
        documentId,
        generation,
      )
      .toArray()
      .map((row) => row.id);
  }

  deleteByCollection(collectionId: string): number {
    return this.storage.transactionSync(() => {
      this.sql.exec(
        `UPDATE chunk_documents SET removed = 1
         WHERE id IN (SELECT DISTINCT document_id FROM chunks WHERE collection_id = ?)`,
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
         WHERE c.id IN (SELECT value FROM json_each(?)) AND ${LIVE_CHUNK}`,
        JSON.stringify(ids),
      )
      .toArray()
      .map(toHit);
  }

  /** See SearchShardObject.passageChunks. */
  passageChunks(documentId: string, chunkId: string, page: number | null, around: number): PlacedChunkHit[] {
    type Row = ChunkHitRow & { position: number };
    const cited = this.sql
      .exec<Row>(
        `SELECT ${HIT_COLUMNS}, c.position FROM chunks c JOIN chunk_documents d ON d.id = c.document_id
         WHERE c.id = ? AND c.document_id = ? AND ${LIVE_CHUNK}`,
        chunkId,
        documentId,
      )
      .toArray()[0];
    if (!cited) return [];
    const place = (row: Row) => ({ ...toHit(row), position: row.position });
    const onPage = page ?? cited.page_start;
    if (onPage !== null) {
      return this.sql
        .exec<Row>(
          `SELECT ${HIT_COLUMNS}, c.position FROM chunks c JOIN chunk_documents d ON d.id = c.document_id
           WHERE c.document_id = ?1 AND ${LIVE_CHUNK}
             AND c.page_start <= ?2 AND coalesce(c.page_end, c.page_start) >= ?2
           ORDER BY c.position`,
          documentId,
          onPage,
        )
        .toArray()
        .map(place);
    }
    // Without pages: up to `around` chunks of its section on either side of it.
    const side = (comparison: "<" | ">", order: "DESC" | "ASC") =>
      this.sql
        .exec<Row>(
          `SELECT ${HIT_COLUMNS}, c.position FROM chunks c JOIN chunk_documents d ON d.id = c.document_id
           WHERE c.document_id = ?1 AND ${LIVE_CHUNK} AND c.section IS ?2 AND c.position ${comparison} ?3
           ORDER BY c.position ${order} LIMIT ?4`,
          documentId,
          cited.section,
          cited.position,
          around,
        )
        .toArray()
        .map(place);
    return [...side("<", "DESC").reverse(), place(cited), ...side(">", "ASC")];
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
         WHERE ${LIVE_CHUNK} AND (c.k = 0 OR CAST(c.k * ?2 / c.n AS INTEGER) > CAST((c.k - 1) * ?2 / c.n AS INTEGER))
         ORDER BY c.rank, c.position`,
        JSON.stringify(wanted),
        perDocument,
      )
      .toArray()
      .map((row) => ({ ...toHit(row), position: row.position }));
  }

  /**
   * The chunks that best match `text` by bm25, best first, scored as a positive relevance. The
   * query is analysed in its language (given, or detected) and in each language of the stored
   * chunks, its own stop words dropped first: a French question meets French chunks through the
   * French stemmer, and English chunks through the English one.
   */
  searchText(
    text: string,
    limit: number,
    collectionIds?: string[],
    language?: Language,
  ): (ChunkHit & { score: number })[] {
    if (limit <= 0) return [];
    const index = this.legacyIndex ? "chunks_fts" : "chunks_terms_fts";
    const query = toFtsQuery(
      this.legacyIndex
        ? (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
        : this.queryTerms(text, language),
    );
    if (!query) return [];
    const inCollections = collectionIds ? " AND c.collection_id IN (SELECT value FROM json_each(?))" : "";
    const cursor = this.sql.exec<ChunkHitRow & { bm25: number }>(
      `SELECT ${HIT_COLUMNS}, bm25(${index}) AS bm25
       FROM ${index} JOIN chunks c ON c.seq = ${index}.rowid JOIN chunk_documents d ON d.id = c.document_id
       WHERE ${index} MATCH ? AND ${LIVE_CHUNK}${inCollections}
       ORDER BY bm25 LIMIT ?`,
      query,
      ...(collectionIds ? [JSON.stringify(collectionIds)] : []),
      limit,
    );
    // bm25() is lower-is-better and negative.
    return cursor.toArray().map((row) => ({ ...toHit(row), score: -row.bm25 }));
  }

  private queryTerms(text: string, language: Language | undefined): string[] {
    const detected = language ?? detectLanguage(text);
    const content = detected ? withoutStopwords(text, detected) : text;
    this.languages ??= new Set(
      this.sql
        .exec<{ language: Language | null }>("SELECT DISTINCT language FROM chunks")
        .toArray()
        .map((row) => row.language),
    );
    const languages = new Set(this.languages);
    if (detected) languages.add(detected);
    // The question's own language first: its terms are the ones kept when the query is cut short.
    const ordered = detected ? [detected, ...[...languages].filter((l) => l !== detected)] : [...languages];
    return ordered.flatMap((each) => analyzeText(content, each ?? undefined));
  }
}

/** A chunk's language (detected when not given) and its analysed terms, as the index stores them. */
function analyseChunk(text: string, language: Language | null | undefined) {
  const known = language === undefined ? (detectLanguage(text) ?? null) : language;
  return { language: known, terms: analyzeText(text, known ?? undefined).join(" ") };
}
