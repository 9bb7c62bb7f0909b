/**
 * The contract of the vector index Durable Object (one per tenant): what the embedded and Vectorize
 * stores ask of it. The object implements it; the stores type its namespace with it, so nothing
 * below the entry points imports the object's class.
 */

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

/** A vector Vectorize holds for the tenant: its Vectorize id and the chunk it stands for. */
export interface TrackedVector {
  vectorId: string;
  chunkId: string;
  collectionId: string;
  documentId: string;
}

export interface IndexStats {
  count: number;
  dimensions: number | null;
  /** Whether the in-memory scan copy is loaded (it is loaded by the first query). */
  loaded: boolean;
  /** Bytes held by the in-memory scan copy (typed arrays; the id map is estimated). */
  memoryBytes: number;
}

/** The RPC methods of the per-tenant vector index object; over RPC every call is awaited. */
export interface VectorIndexObject extends Rpc.DurableObjectBranded {
  /** Inserts or replaces vectors by id. Every vector must have the index's dimension. */
  upsert(records: IndexedVector[]): void;
  /** Exact cosine top-k, optionally within some collections. */
  query(query: { vector: Float32Array; topK: number; collectionIds?: string[] }): IndexMatch[];
  /** Deletes a document's vectors; returns how many there were. */
  deleteByDocument(documentId: string): number;
  /** Deletes a collection's vectors; returns how many there were. */
  deleteByCollection(collectionId: string): number;
  stats(): IndexStats;
  /** Vectorize store: remembers which chunk, document and collection each Vectorize id stands for. */
  track(entries: TrackedVector[]): void;
  /** Vectorize store: the Vectorize ids tracked for a document or a collection. */
  trackedIds(where: { documentId: string } | { collectionId: string }): string[];
  /** Vectorize store: what the given Vectorize ids stand for; ids this tenant never wrote are left out. */
  resolve(vectorIds: string[]): TrackedVector[];
  /** Vectorize store: forgets ids once Vectorize has deleted them. */
  forget(vectorIds: string[]): void;
}
