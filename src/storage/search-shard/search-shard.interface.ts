import type { Language } from "../../lib/text/language";
import type { UnquotableReason } from "../../lib/text/quotable";
import type { IndexMatch } from "../../providers/vector/vector-index.interface";
import type { HitLists } from "./hit-lists";

// The contract of a tenant's search shard: the tenant's SQLite Durable Object (named
// `tenant:<tenantId>`, the vector index object grown into it) that holds the tenant's chunk text,
// its FTS5 index and, with the embedded store, its vectors. What SearchShards calls over RPC.

/** A chunk as ingestion stores it in its tenant's shard (the tenant is the shard itself). */
export interface ShardChunk {
  /** Deterministic: derived from the document, the position and the content hash. */
  id: string;
  collectionId: string;
  documentId: string;
  /** The document's filename, kept once per document in the shard for hits. */
  filename: string;
  position: number;
  text: string;
  /**
   * The language its keyword terms are analysed in: null when unknown; absent (chunks moved from
   * D1 by releases before languages) when the shard is to detect it.
   */
  language?: Language | null;
  pageStart: number | null;
  pageEnd: number | null;
  /** Headings above the chunk, joined with " > ". */
  section: string | null;
  /** Where each page of a chunk spanning several pages starts in its text: [[0, 3], [1520, 4]]. */
  pageOffsets: [number, number][] | null;
  tokenCount: number;
  generation: number;
}

/** A chunk with its document's filename, as search and chat present it. */
export interface ChunkHit {
  id: string;
  documentId: string;
  collectionId: string;
  filename: string;
  text: string;
  /** The language the chunk was analysed in, null when unknown. */
  language: Language | null;
  pageStart: number | null;
  pageEnd: number | null;
  section: string | null;
  /** Where each page starts in `text` when the chunk spans pages. */
  pageOffsets: [number, number][] | null;
}

/** A chunk with its place in its document. */
export interface PlacedChunkHit extends ChunkHit {
  position: number;
}

/** A document's chunks of one ingestion generation (older ones may linger while it is replaced). */
export interface DocumentGeneration {
  documentId: string;
  generation: number;
}

/** What a ranked hit is (services/search/passage-makeup.ts): its kind, and its readable text when that differs. */
export interface PassageView {
  /** "body", or what makes half of the chunk's text or more. */
  kind: "body" | UnquotableReason;
  /** The text without its blocks of symbols (chart and axis labels); absent when that is the whole text. */
  excerpt?: string;
}

export interface ScoredChunkHit extends ChunkHit {
  score: number;
  /** The lists that found it, with its place in each (absent on hits that are not search's). */
  lists?: HitLists;
  /** What the chunk mostly is and its readable text, as search weighed it (absent on hits that are not search's). */
  passage?: PassageView;
}

export type ShardSearchMode = "hybrid" | "vector" | "keyword";

/** One search in one call: keyword (bm25 over the shard's own statistics), vector, or both fused. */
export interface ShardSearch {
  mode: ShardSearchMode;
  /** The query text, for the keyword list. */
  text: string;
  /** The query's language when the caller knows it; otherwise the shard detects it. */
  language?: Language;
  topK: number;
  /** Candidates each list fetches before fusion (hybrid), at least topK. */
  candidates: number;
  collectionIds?: string[];
  /** The query vector, searched in the shard's own vector index (the embedded store). */
  vector?: Float32Array;
  /** Or the matches an external vector store (Qdrant, Vectorize) found, best first. */
  vectorMatches?: IndexMatch[];
  /** Weight of the keyword list in the normalised-score fusion (the vector list weighs the rest). */
  keywordWeight: number;
}

export interface ChunkTotals {
  chunks: number;
  tokens: number;
  characters: number;
}

/** The chunk side of the tenant's shard object. */
export interface SearchShardObject extends Rpc.DurableObjectBranded {
  /**
   * Inserts chunks; a chunk whose id is already stored is left as it is. A chunk of a newer
   * generation than its document's current one makes it current.
   */
  insertChunks(chunks: ShardChunk[]): Promise<void>;
  /**
   * Deletes a document's chunks (and their full-text rows) of one generation or, without one,
   * removes the document (all its chunks, and none shown again); returns how many there were.
   */
  deleteChunksOfDocument(documentId: string, generation?: number): Promise<number>;
  /**
   * Makes `generation` the document's current one, unless a newer one is: search shows only the
   * chunks of a document's current generation. Returns the ids of chunks of older generations.
   */
  advanceDocumentGeneration(documentId: string, generation: number): Promise<string[]>;
  /** Deletes a document's chunks of generations older than `generation`; returns how many there were. */
  deleteChunksOfOlderGenerations(documentId: string, generation: number): Promise<number>;
  /** The ids of a document's chunks of one generation. */
  chunkIdsOfGeneration(documentId: string, generation: number): string[];
  /** Deletes a collection's chunks (and their full-text rows); returns how many there were. */
  deleteChunksOfCollection(collectionId: string): Promise<number>;
  /** Deletes everything the object stores, the tables included (they are made again on next use). */
  deleteAll(): Promise<void>;
  /** Totals of a document's chunks of one generation, counted from the rows. */
  chunkTotals(documentId: string, generation: number): ChunkTotals;
  /** The chunks with these ids, in no particular order; unknown ids are left out. */
  chunkHits(ids: string[]): ChunkHit[];
  search(request: ShardSearch): Promise<ScoredChunkHit[]>;
  /**
   * The chunks that make the text around a cited chunk of a document's current generation: those
   * on `page` (or the cited chunk's first page) for formats with pages or slides; otherwise the
   * cited chunk and up to `around` chunks of its section on either side. In order; empty when
   * the chunk is not one of the document's live chunks.
   */
  passageChunks(documentId: string, chunkId: string, page: number | null, around: number): PlacedChunkHit[];
  /**
   * At most `perDocument` chunks of each document, spread evenly over it (the first of each of
   * `perDocument` equal runs), in the order the documents are given, then by position.
   */
  sampleChunks(documents: DocumentGeneration[], perDocument: number): PlacedChunkHit[];
}
