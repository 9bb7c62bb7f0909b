import { DurableObject } from "cloudflare:workers";
import { batches, rowsPerStatement, SQL_PARAMETER_LIMIT } from "../lib/batches";
import type {
  IndexedVector,
  IndexMatch,
  IndexStats,
  TrackedVector,
  VectorIndexObject,
} from "../providers/vector/vector-index.interface";

// 6 bound values per stored vector row.
const ROWS_PER_INSERT = rowsPerStatement(6);
// Vectors per memory segment: the scan copy grows segment by segment, never by copying it whole.
const SEGMENT_SHIFT = 12;
const SEGMENT_SIZE = 1 << SEGMENT_SHIFT;
const SEGMENT_MASK = SEGMENT_SIZE - 1;

/**
 * One per tenant (named `tenant:<tenantId>`): the embedded vector store. Float32 vectors live in
 * SQLite; an int8 copy (one scale per vector) lives in memory for an exact-enough scan whose best
 * candidates are re-scored exactly in float. 100k vectors of 512 dimensions take about 55 MB.
 *
 * With the Vectorize store it keeps only the tenant's Vectorize ids with their chunk, document and
 * collection: Vectorize deletes by id but not by metadata, and its ids are shared by all tenants.
 */
export class VectorIndexDurableObject extends DurableObject<Env> implements VectorIndexObject {
  private readonly sql: SqlStorage;
  private memory: MemoryIndex | undefined;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
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

  /** Inserts or replaces vectors by id. Every vector must have the index's dimension. */
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
    this.ctx.storage.transactionSync(() => {
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

  /** Exact cosine top-k, optionally within some collections. */
  query(query: { vector: Float32Array; topK: number; collectionIds?: string[] }): IndexMatch[] {
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

  /** Deletes a document's vectors; returns how many there were. */
  deleteByDocument(documentId: string): number {
    return this.deleteWhere("document_id", documentId);
  }

  /** Deletes a collection's vectors; returns how many there were. */
  deleteByCollection(collectionId: string): number {
    return this.deleteWhere("collection_id", collectionId);
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

  /** Vectorize store: remembers which chunk, document and collection each Vectorize id stands for. */
  track(entries: TrackedVector[]): void {
    this.ctx.storage.transactionSync(() => {
      for (const batch of batches(entries, Math.floor(SQL_PARAMETER_LIMIT / 4))) {
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

  /** Vectorize store: the Vectorize ids tracked for a document or a collection. */
  trackedIds(where: { documentId: string } | { collectionId: string }): string[] {
    const [column, value] =
      "documentId" in where ? ["document_id", where.documentId] : ["collection_id", where.collectionId];
    return this.sql
      .exec<{ vector_id: string }>(`SELECT vector_id FROM tracked WHERE ${column} = ?`, value)
      .toArray()
      .map((row) => row.vector_id);
  }

  /** Vectorize store: what the given Vectorize ids stand for; ids this tenant never wrote are left out. */
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

  /** Vectorize store: forgets ids once Vectorize has deleted them. */
  forget(vectorIds: string[]): void {
    this.ctx.storage.transactionSync(() => {
      for (const batch of batches(vectorIds, SQL_PARAMETER_LIMIT)) {
        this.sql.exec(
          `DELETE FROM tracked WHERE vector_id IN (${batch.map(() => "?").join(", ")})`,
          ...batch,
        );
      }
    });
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

  private loadedMemory(): MemoryIndex {
    if (!this.memory) {
      const dimensions = this.dimensions() ?? 0;
      const memory = new MemoryIndex(dimensions);
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

/**
 * The scan copy: int8 vectors in fixed-size segments, with per-vector scale, SQLite row number and
 * collection code in parallel typed arrays. Slots are dense: a removal moves the last slot into the hole.
 */
class MemoryIndex {
  count = 0;
  private segments: Int8Array[] = [];
  private scales = new Float32Array(SEGMENT_SIZE);
  private seqs = new Float64Array(SEGMENT_SIZE);
  private collections = new Uint32Array(SEGMENT_SIZE);
  private readonly slotOfSeq = new Map<number, number>();
  private readonly codeOfCollection = new Map<string, number>();

  constructor(public dimensions: number) {}

  put(seq: number, collectionId: string, scale: number, quantized: Int8Array): void {
    if (this.count === 0 && quantized.length !== this.dimensions) {
      // Emptied, then refilled by another embedder: start over at the new dimension.
      this.dimensions = quantized.length;
      this.segments = [];
    }
    let slot = this.slotOfSeq.get(seq);
    if (slot === undefined) {
      slot = this.count++;
      this.ensureCapacity(this.count);
      this.slotOfSeq.set(seq, slot);
      this.seqs[slot] = seq;
    }
    this.segments[slot >> SEGMENT_SHIFT]!.set(quantized, (slot & SEGMENT_MASK) * this.dimensions);
    this.scales[slot] = scale;
    this.collections[slot] = this.codeOf(collectionId);
  }

  remove(seq: number): void {
    const slot = this.slotOfSeq.get(seq);
    if (slot === undefined) return;
    this.slotOfSeq.delete(seq);
    const last = --this.count;
    if (slot !== last) {
      const from = this.segments[last >> SEGMENT_SHIFT]!;
      const offset = (last & SEGMENT_MASK) * this.dimensions;
      this.segments[slot >> SEGMENT_SHIFT]!.set(
        from.subarray(offset, offset + this.dimensions),
        (slot & SEGMENT_MASK) * this.dimensions,
      );
      this.scales[slot] = this.scales[last]!;
      this.collections[slot] = this.collections[last]!;
      this.seqs[slot] = this.seqs[last]!;
      this.slotOfSeq.set(this.seqs[slot]!, slot);
    }
    // Give back a segment once the one before it has room to spare.
    while (this.segments.length > 1 && (this.segments.length - 2) * SEGMENT_SIZE >= this.count)
      this.segments.pop();
  }

  /** Row numbers of the best `limit` vectors by approximate cosine, in no particular order. */
  scan(unit: Float32Array, limit: number, collectionIds?: string[]): number[] {
    const allowed = this.allowedCodes(collectionIds);
    if (allowed === null) return [];
    const { dimensions } = this;
    const query = Float64Array.from(unit);
    const heap = new TopHeap(Math.min(limit, this.count));
    for (let slot = 0; slot < this.count; slot++) {
      if (allowed && !allowed[this.collections[slot]!]) continue;
      const segment = this.segments[slot >> SEGMENT_SHIFT]!;
      const offset = (slot & SEGMENT_MASK) * dimensions;
      let sum = 0;
      for (let d = 0; d < dimensions; d++) sum += segment[offset + d]! * query[d]!;
      heap.offer(sum * this.scales[slot]!, slot);
    }
    return heap.slots().map((slot) => this.seqs[slot]!);
  }

  bytes(): number {
    // A Map entry of two small numbers costs about 40 bytes in V8; collection names are few.
    return (
      this.segments.length * SEGMENT_SIZE * this.dimensions +
      this.scales.byteLength +
      this.seqs.byteLength +
      this.collections.byteLength +
      this.slotOfSeq.size * 40
    );
  }

  /** undefined: no filter; null: no allowed collection exists; otherwise a mask by collection code. */
  private allowedCodes(collectionIds?: string[]): Uint8Array | undefined | null {
    if (!collectionIds) return undefined;
    const mask = new Uint8Array(this.codeOfCollection.size);
    let any = false;
    for (const id of collectionIds) {
      const code = this.codeOfCollection.get(id);
      if (code !== undefined) {
        mask[code] = 1;
        any = true;
      }
    }
    return any ? mask : null;
  }

  private codeOf(collectionId: string): number {
    let code = this.codeOfCollection.get(collectionId);
    if (code === undefined) {
      code = this.codeOfCollection.size;
      this.codeOfCollection.set(collectionId, code);
    }
    return code;
  }

  private ensureCapacity(count: number): void {
    while (this.segments.length * SEGMENT_SIZE < count) {
      this.segments.push(new Int8Array(SEGMENT_SIZE * this.dimensions));
    }
    if (this.scales.length < count) {
      const capacity = this.segments.length * SEGMENT_SIZE;
      this.scales = grown(this.scales, new Float32Array(capacity));
      this.seqs = grown(this.seqs, new Float64Array(capacity));
      this.collections = grown(this.collections, new Uint32Array(capacity));
    }
  }
}

/** A fixed-size min-heap keeping the `size` highest scores seen. */
class TopHeap {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  private length = 0;

  constructor(private readonly size: number) {
    this.scores = new Float64Array(size);
    this.ids = new Int32Array(size);
  }

  offer(score: number, id: number): void {
    if (this.size === 0) return;
    if (this.length < this.size) {
      let i = this.length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[i] = this.scores[parent]!;
        this.ids[i] = this.ids[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.ids[i] = id;
    } else if (score > this.scores[0]!) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= this.size) break;
        const right = left + 1;
        const child = right < this.size && this.scores[right]! < this.scores[left]! ? right : left;
        if (this.scores[child]! >= score) break;
        this.scores[i] = this.scores[child]!;
        this.ids[i] = this.ids[child]!;
        i = child;
      }
      this.scores[i] = score;
      this.ids[i] = id;
    }
  }

  slots(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }
}

function grown<T extends Float32Array | Float64Array | Uint32Array>(old: T, bigger: T): T {
  bigger.set(old as never);
  return bigger;
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const unit = new Float32Array(vector.length);
  if (norm === 0) return unit;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! * scale;
  return unit;
}

/** Symmetric int8 quantisation with one scale per vector: value ≈ quantized × scale. */
function quantize(unit: Float32Array): { scale: number; quantized: Int8Array } {
  let max = 0;
  for (const value of unit) max = Math.max(max, Math.abs(value));
  const scale = max === 0 ? 1 : max / 127;
  const quantized = new Int8Array(unit.length);
  for (let i = 0; i < unit.length; i++) quantized[i] = Math.round(unit[i]! / scale);
  return { scale, quantized };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
