import type { VectorQuery } from "./types";

// The contract of the per-tenant vector index object (SearchShardDurableObject, named
// `tenant:<tenantId>`): what the stores below call over RPC and what the object implements.

/** A chunk's vector as the index stores it (the tenant is the object itself). */
export interface IndexedVector {
  id: string;
  collectionId: string;
  documentId: string;
  vector: Float32Array;
}

export interface IndexMatch {
  id: string;
  collectionId: string;
  documentId: string;
  score: number;
}

export interface IndexStats {
  count: number;
  dimensions: number | null;
  /** Whether the in-memory scan copy is loaded (it is loaded by the first query). */
  loaded: boolean;
  /** Bytes held by the in-memory scan copy (typed arrays; the id map is estimated). */
  memoryBytes: number;
}

/** A vector Vectorize holds for the tenant: its Vectorize id and the chunk it stands for. */
export interface TrackedVector {
  vectorId: string;
  chunkId: string;
  collectionId: string;
  documentId: string;
}

/** A document's, a collection's, or (with a page size) all of the tenant's tracked ids. */
export type TrackedScope = { documentId: string } | { collectionId: string } | { all: true; limit: number };

/** Both uses of the object end alike: the tenant's deletion wipes its storage and its alarm. */
interface DeletableObject {
  /** Deletes everything the object stores; the object is the tenant's and the tenant is gone. */
  deleteAll(): Promise<void>;
}

/** The embedded store's index: float vectors in SQLite, an int8 scan copy in memory. */
export interface EmbeddedIndexObject extends Rpc.DurableObjectBranded, DeletableObject {
  /** Inserts or replaces vectors by id. Every vector must have the index's dimension. */
  upsert(records: IndexedVector[]): Promise<void>;
  /** Exact cosine top-k, optionally within some collections. */
  query(query: VectorQuery): IndexMatch[];
  /** Deletes a document's vectors; returns how many there were. */
  deleteByDocument(documentId: string): Promise<number>;
  /** Deletes vectors by id; returns how many there were. */
  deleteByIds(ids: string[]): Promise<number>;
  /** Deletes a collection's vectors; returns how many there were. */
  deleteByCollection(collectionId: string): Promise<number>;
  stats(): IndexStats;
}

/**
 * The Vectorize store's ledger: which chunk, document and collection each of the tenant's
 * Vectorize ids stands for (Vectorize deletes by id, not by metadata, and its ids span all tenants).
 */
export interface VectorizeLedgerObject extends Rpc.DurableObjectBranded, DeletableObject {
  track(entries: TrackedVector[]): void;
  /** The Vectorize ids tracked for a document, a collection, or a page of all of them. */
  trackedIds(where: TrackedScope): string[];
  /** What the given Vectorize ids stand for; ids this tenant never wrote are left out. */
  resolve(vectorIds: string[]): TrackedVector[];
  /** Forgets ids once Vectorize has deleted them. */
  forget(vectorIds: string[]): void;
}

/** The object serves both stores (a class of its own for the ledger would need a migration). */
export interface VectorIndexObject extends EmbeddedIndexObject, VectorizeLedgerObject {}
