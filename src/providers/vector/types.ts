/** A chunk's vector and the fields every query filters on. */
export interface VectorRecord {
  /** The chunk id (deterministic: document, position, content hash). */
  id: string;
  tenantId: string;
  collectionId: string;
  documentId: string;
  vector: Float32Array;
}

export interface VectorMatch {
  id: string;
  documentId: string;
  collectionId: string;
  /** Cosine similarity, higher is closer. */
  score: number;
}

export interface VectorQuery {
  vector: Float32Array;
  topK: number;
  /** Restrict to these collections; every query is always restricted to the tenant. */
  collectionIds?: string[];
}

/** A vector index partitioned by tenant. Every method takes the tenant and never crosses it. */
export interface VectorStore {
  readonly kind: "embedded" | "qdrant" | "vectorize";
  /** Inserts or replaces records by id (re-delivery of a batch is harmless). */
  upsert(tenantId: string, records: VectorRecord[]): Promise<void>;
  query(tenantId: string, query: VectorQuery): Promise<VectorMatch[]>;
  deleteByDocument(tenantId: string, documentId: string): Promise<void>;
  /** Deletes records by id (ingestion takes back what it wrote for a document deleted meanwhile). */
  deleteByIds(tenantId: string, ids: string[]): Promise<void>;
  deleteByCollection(tenantId: string, collectionId: string): Promise<void>;
  /**
   * Deletes the tenant's vectors, a bounded amount per call (the tenant's deletion calls it until
   * done). Returns true once nothing of the tenant is left in the store.
   */
  purgeTenant(tenantId: string): Promise<boolean>;
}
