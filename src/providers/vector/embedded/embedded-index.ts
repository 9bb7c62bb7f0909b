import { batches, rowsPerStatement, SQL_PARAMETER_LIMIT } from "../../../lib/batches";
import type { VectorQuery } from "../types";
import type { IndexedVector, IndexMatch, IndexStats } from "../vector-index.interface";
import { dot, normalized, quantize } from "./quantize";
import { ScanIndex } from "./scan-index";

// 6 bound values per stored vector row.
const ROWS_PER_INSERT = rowsPerStatement(6);

/**
 * The embedded index inside its Durable Object: unit float32 vectors in the `vectors` table, and
 * their int8 copy (ScanIndex) in memory for an exact-enough scan whose best candidates are re-scored
 * exactly in float. 100k vectors of 512 dimensions take about 55 MB of memory.
 */
type VectorRow = { id: string; collection_id: string; document_id: string; vector: ArrayBuffer };

// The stored vector is the unit vector: upserting it again stores the same row.
const toRecord = (row: VectorRow): IndexedVector => ({
  id: row.id,
  collectionId: row.collection_id,
  documentId: row.document_id,
  vector: new Float32Array(row.vector),
});

export class EmbeddedIndex {
  private readonly sql: SqlStorage;
  private memory: ScanIndex | undefined;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS vectors (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        collection_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        scale REAL NOT NULL,
        quantized BLOB NOT NULL,
        vector BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS vectors_by_document ON vectors (document_id);
      CREATE INDEX IF NOT EXISTS vectors_by_collection ON vectors (collection_id);
    `);
  }

  upsert(records: IndexedVector[]): void {
    if (records.length === 0) return;
    const dimensions = this.dimensions() ?? records[0]!.vector.length;
    const rows = records.map((record) => {
      if (record.vector.length !== dimensions) {
        throw new Error(
          `vector ${record.id} has ${record.vector.length} dimensions, the index holds ${dimensions}`,
        );
      }
      const unit = normalized(record.vector);
      const { scale, quantized } = quantize(unit);
      return { ...record, unit, scale, quantized };
    });
    const seqOf = new Map<string, number>();
    this.storage.transactionSync(() => {
      for (const batch of batches(rows, ROWS_PER_INSERT)) {
        const cursor = this.sql.exec<{ seq: number; id: string }>(
          `INSERT INTO vectors (id, collection_id, document_id, scale, quantized, vector)
           VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (id) DO UPDATE SET collection_id = excluded.collection_id,
             document_id = excluded.document_id, scale = excluded.scale,
             quantized = excluded.quantized, vector = excluded.vector
           RETURNING seq, id`,
          ...batch.flatMap((row) => [
            row.id,
            row.collectionId,
            row.documentId,
            row.scale,
            row.quantized.buffer,
            row.unit.buffer,
          ]),
        );
        for (const { seq, id } of cursor) seqOf.set(id, seq);
      }
    });
    // Memory follows SQLite only once the write is durable; before the first query there is no copy.
    for (const row of rows) this.memory?.put(seqOf.get(row.id)!, row.collectionId, row.scale, row.quantized);
  }

  query(query: VectorQuery): IndexMatch[] {
    const memory = this.loadedMemory();
    if (memory.count === 0 || query.topK <= 0) return [];
    if (query.vector.length !== memory.dimensions) {
      throw new Error(`query has ${query.vector.length} dimensions, the index holds ${memory.dimensions}`);
    }
    const unit = normalized(query.vector);
    // int8 rounding moves scores by well under 1%: re-scoring a few times k candidates in float
    // recovers the exact order.
    const candidates = memory.scan(unit, query.topK * 4 + 16, query.collectionIds);
    const matches: IndexMatch[] = [];
    for (const seqs of batches(candidates, SQL_PARAMETER_LIMIT)) {
      const cursor = this.sql.exec<{
        id: string;
        collection_id: string;
        document_id: string;
        vector: ArrayBuffer;
      }>(
        `SELECT id, collection_id, document_id, vector FROM vectors WHERE seq IN (${seqs.map(() => "?").join(", ")})`,
        ...seqs,
      );
      for (const row of cursor) {
        matches.push({
          id: row.id,
          collectionId: row.collection_id,
          documentId: row.document_id,
          score: dot(unit, new Float32Array(row.vector)),
        });
      }
    }
    matches.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return matches.slice(0, query.topK);
  }

  deleteByDocument(documentId: string): number {
    return this.deleteWhere("document_id", documentId);
  }

  deleteByCollection(collectionId: string): number {
    return this.deleteWhere("collection_id", collectionId);
  }

  deleteByIds(ids: string[]): number {
    let deleted = 0;
    for (const batch of batches(ids, SQL_PARAMETER_LIMIT)) {
      const seqs = this.sql
        .exec<{ seq: number }>(
          `DELETE FROM vectors WHERE id IN (${batch.map(() => "?").join(", ")}) RETURNING seq`,
          ...batch,
        )
        .toArray();
      for (const { seq } of seqs) this.memory?.remove(seq);
      deleted += seqs.length;
    }
    return deleted;
  }

  /** A page of stored vectors as records, after `seq` in storage order (a replica's first copy). */
  recordsAfter(seq: number, limit: number): { records: IndexedVector[]; last: number | null } {
    const rows = this.sql
      .exec<VectorRow & { seq: number }>(
        "SELECT seq, id, collection_id, document_id, vector FROM vectors WHERE seq > ? ORDER BY seq LIMIT ?",
        seq,
        limit,
      )
      .toArray();
    return { records: rows.map(toRecord), last: rows.length === limit ? rows.at(-1)!.seq : null };
  }

  /** The stored records of these vectors (those since deleted are left out). */
  recordsOf(ids: string[]): IndexedVector[] {
    return batches(ids, SQL_PARAMETER_LIMIT).flatMap((batch) =>
      this.sql
        .exec<VectorRow>(
          `SELECT id, collection_id, document_id, vector FROM vectors WHERE id IN (${batch.map(() => "?").join(", ")})`,
          ...batch,
        )
        .toArray()
        .map(toRecord),
    );
  }

  stats(): IndexStats {
    const count = this.sql.exec<{ count: number }>("SELECT count(*) AS count FROM vectors").one().count;
    return {
      count,
      dimensions: this.dimensions(),
      loaded: this.memory !== undefined,
      memoryBytes: this.memory?.bytes() ?? 0,
    };
  }

  private deleteWhere(column: "document_id" | "collection_id", value: string): number {
    const seqs = this.sql
      .exec<{ seq: number }>(`DELETE FROM vectors WHERE ${column} = ? RETURNING seq`, value)
      .toArray();
    for (const { seq } of seqs) this.memory?.remove(seq);
    return seqs.length;
  }

  private dimensions(): number | null {
    if (this.memory && this.memory.count > 0) return this.memory.dimensions;
    const row = this.sql
      .exec<{ bytes: number }>("SELECT length(vector) AS bytes FROM vectors LIMIT 1")
      .toArray()[0];
    return row ? row.bytes / Float32Array.BYTES_PER_ELEMENT : null;
  }

  private loadedMemory(): ScanIndex {
    if (!this.memory) {
      const memory = new ScanIndex(this.dimensions() ?? 0);
      const cursor = this.sql.exec<{
        seq: number;
        collection_id: string;
        scale: number;
        quantized: ArrayBuffer;
      }>("SELECT seq, collection_id, scale, quantized FROM vectors");
      for (const row of cursor)
        memory.put(row.seq, row.collection_id, row.scale, new Int8Array(row.quantized));
      this.memory = memory;
    }
    return this.memory;
  }
}
