import { batches } from "../../lib/batches";
import { ProviderError } from "../errors";
import { assertRecordsOfTenant } from "./records";
import type { VectorMatch, VectorQuery, VectorRecord, VectorStore } from "./types";
import type { EmbeddedIndexObject } from "./vector-index.interface";

// About 2 KB per 512-dimension record: a few hundred keep each RPC message small.
const RECORDS_PER_CALL = 256;

/** The name of a tenant's vector index object. */
export const vectorIndexName = (tenantId: string) => `tenant:${tenantId}`;

/** The default store: each tenant's vectors in its own vector index object (see embedded/). */
export class EmbeddedVectorStore implements VectorStore {
  readonly kind = "embedded";

  constructor(private readonly namespace: DurableObjectNamespace<EmbeddedIndexObject>) {}

  async upsert(tenantId: string, records: VectorRecord[]): Promise<void> {
    assertRecordsOfTenant(this.kind, tenantId, records);
    const index = this.index(tenantId);
    for (const batch of batches(records, RECORDS_PER_CALL)) {
      await callVectorIndex(this.kind, () =>
        index.upsert(
          batch.map(({ id, collectionId, documentId, vector }) => ({ id, collectionId, documentId, vector })),
        ),
      );
    }
  }

  async query(tenantId: string, query: VectorQuery): Promise<VectorMatch[]> {
    if (query.collectionIds?.length === 0) return [];
    return callVectorIndex(this.kind, () => this.index(tenantId).query(query));
  }

  async deleteByDocument(tenantId: string, documentId: string): Promise<void> {
    await callVectorIndex(this.kind, () => this.index(tenantId).deleteByDocument(documentId));
  }

  async deleteByCollection(tenantId: string, collectionId: string): Promise<void> {
    await callVectorIndex(this.kind, () => this.index(tenantId).deleteByCollection(collectionId));
  }

  async deleteByIds(tenantId: string, ids: string[]): Promise<void> {
    const index = this.index(tenantId);
    for (const batch of batches(ids, RECORDS_PER_CALL)) {
      await callVectorIndex(this.kind, () => index.deleteByIds(batch));
    }
  }

  async purgeTenant(tenantId: string): Promise<boolean> {
    await callVectorIndex(this.kind, () => this.index(tenantId).deleteAll());
    return true;
  }

  private index(tenantId: string) {
    return this.namespace.getByName(vectorIndexName(tenantId));
  }
}

/**
 * Calls the object, turning its failures into ProviderErrors: transient when the runtime marks
 * them retryable (object reset, overloaded), permanent otherwise (e.g. a dimension mismatch).
 */
export async function callVectorIndex<T>(store: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const flags = error as { retryable?: boolean; overloaded?: boolean; message?: string };
    throw new ProviderError(store, Boolean(flags.retryable || flags.overloaded), String(flags.message), {
      cause: error,
    });
  }
}
