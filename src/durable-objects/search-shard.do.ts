import { DurableObject } from "cloudflare:workers";
import { logged } from "../lib/log";
import { loadLanguageDetector } from "../lib/text/language";
import { EmbeddedIndex } from "../providers/vector/embedded/embedded-index";
import type { VectorQuery } from "../providers/vector/types";
import type {
  IndexedVector,
  IndexMatch,
  IndexStats,
  TrackedScope,
  TrackedVector,
  VectorIndexObject,
} from "../providers/vector/vector-index.interface";
import { VectorizeLedger } from "../providers/vector/vectorize-ledger";
import { fuseByNormalisedScore, withListRanks } from "../services/search/fusion";
import { ChunkIndex } from "../storage/search-shard/chunk-index";
import type {
  ChunkHit,
  ChunkTotals,
  DocumentGeneration,
  PlacedChunkHit,
  ScoredChunkHit,
  SearchShardObject,
  ShardChunk,
  ShardSearch,
} from "../storage/search-shard/search-shard.interface";
import { isTombstoned, leaveTombstone, TENANT_DELETED } from "./tombstone";

// Bounded so that one alarm stays well within a Durable Object's CPU limit: detecting and stemming
// a 1,400-character abstract took about 3 ms on a loaded machine.
const CHUNKS_ANALYSED_PER_ALARM = 500;

/**
 * One per tenant (named `tenant:<tenantId>`), RPC only: the tenant's search shard. It holds the
 * tenant's chunks and their full-text index, the embedded store's vectors and, with the Vectorize
 * store, its ledger of Vectorize ids; each storage module keeps its own tables in the object's SQLite.
 * (The class keeps its first name: renaming a Durable Object class takes a migration.)
 */
export class SearchShardDurableObject
  extends DurableObject<Env>
  implements VectorIndexObject, SearchShardObject
{
  // Opened on first use (each creates its tables); never again once deleteAll left the tombstone.
  private modules: { index: EmbeddedIndex; ledger: VectorizeLedger; chunks: ChunkIndex } | undefined;

  // Whether the tenant was deleted (the tombstone), read once per instance.
  private tombstoned: boolean | undefined;

  /** A deleted tenant's shard: writes are refused, reads find nothing, deletes have nothing to do. */
  private get deleted(): boolean {
    this.tombstoned ??= isTombstoned(this.ctx.storage.sql);
    return this.tombstoned;
  }

  private get index(): EmbeddedIndex {
    return this.open().index;
  }

  private get ledger(): VectorizeLedger {
    return this.open().ledger;
  }

  private get chunks(): ChunkIndex {
    return this.open().chunks;
  }

  private open() {
    // A deleted tenant's shard stays empty: a late write (a batch in flight when the deletion ran)
    // must not bring back its tables, chunks or full-text index.
    if (this.deleted) throw new Error(TENANT_DELETED);
    if (!this.modules) {
      this.modules = {
        index: new EmbeddedIndex(this.ctx.storage),
        ledger: new VectorizeLedger(this.ctx.storage),
        chunks: new ChunkIndex(this.ctx.storage),
      };
      // A shard from before languages: its chunks are analysed from alarms, a page at a time.
      if (this.modules.chunks.upgrading) void this.ctx.storage.setAlarm(Date.now());
    }
    return this.modules;
  }

  /** Analyses a page of chunks stored before languages, and asks for the next page while any remain. */
  override async alarm(): Promise<void> {
    if (this.deleted) return;
    await loadLanguageDetector();
    await logged("search_shard_alarm", {}, async (add) => {
      const more = this.chunks.analysePending(CHUNKS_ANALYSED_PER_ALARM);
      add({ more });
      if (more) await this.ctx.storage.setAlarm(Date.now());
    });
  }

  upsert(records: IndexedVector[]): void {
    this.index.upsert(records);
  }

  query(query: VectorQuery): IndexMatch[] {
    if (this.deleted) return [];
    return this.index.query(query);
  }

  deleteByDocument(documentId: string): number {
    if (this.deleted) return 0;
    return this.index.deleteByDocument(documentId);
  }

  deleteByCollection(collectionId: string): number {
    if (this.deleted) return 0;
    return this.index.deleteByCollection(collectionId);
  }

  deleteByIds(ids: string[]): number {
    if (this.deleted) return 0;
    return this.index.deleteByIds(ids);
  }

  /**
   * The tenant is being deleted: its chunks, full-text index, vectors, ledger and the tables
   * themselves go, and a tombstone stays, so that every later call is refused (see open).
   */
  async deleteAll(): Promise<void> {
    this.modules = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    leaveTombstone(this.ctx.storage.sql);
    this.tombstoned = true;
  }

  stats(): IndexStats {
    if (this.deleted) return { count: 0, dimensions: null, loaded: false, memoryBytes: 0 };
    return this.index.stats();
  }

  track(entries: TrackedVector[]): void {
    this.ledger.track(entries);
  }

  trackedIds(where: TrackedScope): string[] {
    if (this.deleted) return [];
    return this.ledger.trackedIds(where);
  }

  resolve(vectorIds: string[]): TrackedVector[] {
    if (this.deleted) return [];
    return this.ledger.resolve(vectorIds);
  }

  forget(vectorIds: string[]): void {
    if (this.deleted) return;
    this.ledger.forget(vectorIds);
  }

  async insertChunks(chunks: ShardChunk[]): Promise<void> {
    await loadLanguageDetector();
    this.chunks.insert(chunks);
  }

  deleteChunksOfDocument(documentId: string, generation?: number): number {
    if (this.deleted) return 0;
    return this.chunks.deleteByDocument(documentId, generation);
  }

  advanceDocumentGeneration(documentId: string, generation: number): string[] {
    return this.chunks.advanceGeneration(documentId, generation);
  }

  deleteChunksOfOlderGenerations(documentId: string, generation: number): number {
    return this.chunks.deleteOlderGenerations(documentId, generation);
  }

  chunkIdsOfGeneration(documentId: string, generation: number): string[] {
    return this.chunks.chunkIds(documentId, generation);
  }

  deleteChunksOfCollection(collectionId: string): number {
    if (this.deleted) return 0;
    return this.chunks.deleteByCollection(collectionId);
  }

  chunkTotals(documentId: string, generation: number): ChunkTotals {
    if (this.deleted) return { chunks: 0, tokens: 0, characters: 0 };
    return this.chunks.totals(documentId, generation);
  }

  chunkHits(ids: string[]): ChunkHit[] {
    if (this.deleted) return [];
    return this.chunks.hits(ids);
  }

  sampleChunks(documents: DocumentGeneration[], perDocument: number): PlacedChunkHit[] {
    if (this.deleted) return [];
    return this.chunks.sampleChunks(documents, perDocument);
  }

  passageChunks(documentId: string, chunkId: string, page: number | null, around: number): PlacedChunkHit[] {
    if (this.deleted) return [];
    return this.chunks.passageChunks(documentId, chunkId, page, around);
  }

  /**
   * Keyword, vector or hybrid search in one call: bm25 over this tenant's own full-text index,
   * cosine over its own vectors (or the matches of an external store, passed in), fused here.
   */
  async search(request: ShardSearch): Promise<ScoredChunkHit[]> {
    if (this.deleted) return [];
    // Keyword search detects the query's language when the request does not say it.
    await loadLanguageDetector();
    const { mode, topK, collectionIds } = request;
    const limit = mode === "hybrid" ? Math.max(request.candidates, topK) : topK;
    const byText =
      mode === "vector" ? [] : this.chunks.searchText(request.text, limit, collectionIds, request.language);
    if (mode === "keyword") return withListRanks(byText, "keyword");
    const matches =
      request.vectorMatches ??
      (request.vector ? this.index.query({ vector: request.vector, topK: limit, collectionIds }) : []);
    const hits = new Map(this.chunks.hits(matches.map((match) => match.id)).map((hit) => [hit.id, hit]));
    // Vectors whose chunks are gone (a document deleted a moment ago) are dropped.
    const byVector = matches.flatMap((match) => {
      const hit = hits.get(match.id);
      return hit ? [{ ...hit, score: match.score }] : [];
    });
    if (mode === "vector") return withListRanks(byVector.slice(0, topK), "vector");
    return fuseByNormalisedScore(byText, byVector, request.keywordWeight).slice(0, topK);
  }
}
