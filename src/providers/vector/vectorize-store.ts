import { batches } from "../../lib/batches";
import { ProviderError } from "../errors";
import { callVectorIndex, vectorIndexName } from "./embedded-store";
import { assertRecordsOfTenant } from "./records";
import type { VectorMatch, VectorQuery, VectorRecord, VectorStore } from "./types";
import type { TrackedScope, VectorizeLedgerObject } from "./vector-index.interface";

/** The part of a Vectorize binding (V2 `Vectorize` or the older `VectorizeIndex`) this store uses. */
export interface VectorizeBinding {
  query(vector: number[] | Float32Array, options?: VectorizeQueryOptions): Promise<VectorizeMatches>;
  upsert(vectors: VectorizeVector[]): Promise<unknown>;
  deleteByIds(ids: string[]): Promise<unknown>;
}

// Vectorize limits: 1000 vectors per upsert from a Worker (500 is the documented safe batch),
// topK ≤ 100 when neither values nor full metadata are returned.
const VECTORS_PER_UPSERT = 500;
const IDS_PER_DELETE = 500;
const MAX_TOP_K = 100;
// Pages of ids deleted per purge call: a few dozen subrequests, well within a Worker's budget.
const PAGES_PER_PURGE = 20;

/**
 * Cloudflare Vectorize: one namespace per tenant, `collection_id` metadata for the collection
 * filter (create its metadata index before the first insert). Vectorize ids are unique across the
 * whole index and limited to 64 bytes, so each vector's id is a hash of tenant and chunk id, and
 * a ledger in the tenant's vector index object (vectorize-ledger.ts) maps it back to the chunk,
 * document and collection; that mapping is also how deletion by document or collection finds ids
 * (Vectorize deletes by id only).
 * Vectorize applies writes asynchronously: a query may miss vectors upserted seconds ago.
 */
export class VectorizeVectorStore implements VectorStore {
  readonly kind = "vectorize";

  constructor(
    private readonly vectorize: VectorizeBinding,
    private readonly ledger: DurableObjectNamespace<VectorizeLedgerObject>,
  ) {}

  async upsert(tenantId: string, records: VectorRecord[]): Promise<void> {
    assertRecordsOfTenant(this.kind, tenantId, records);
    const vectorIds = await Promise.all(records.map((record) => vectorId(tenantId, record.id)));
    const ledger = this.ledgerOf(tenantId);
    // Track first: an id tracked but never written costs nothing at delete time; the reverse leaks a vector.
    await callVectorIndex(this.kind, () =>
      ledger.track(
        records.map((record, i) => ({
          vectorId: vectorIds[i]!,
          chunkId: record.id,
          collectionId: record.collectionId,
          documentId: record.documentId,
        })),
      ),
    );
    for (const batch of batches(
      records.map((record, i) => ({ record, id: vectorIds[i]! })),
      VECTORS_PER_UPSERT,
    )) {
      await call(() =>
        this.vectorize.upsert(
          batch.map(({ record, id }) => ({
            id,
            values: record.vector,
            namespace: tenantId,
            metadata: { collection_id: record.collectionId },
          })),
        ),
      );
    }
  }

  async query(tenantId: string, query: VectorQuery): Promise<VectorMatch[]> {
    if (query.collectionIds?.length === 0 || query.topK <= 0) return [];
    const result = await call(() =>
      this.vectorize.query(query.vector, {
        topK: Math.min(query.topK, MAX_TOP_K),
        namespace: tenantId,
        returnMetadata: "none",
        ...(query.collectionIds ? { filter: { collection_id: { $in: query.collectionIds } } } : {}),
      }),
    );
    if (result.matches.length === 0) return [];
    const ledger = this.ledgerOf(tenantId);
    const tracked = await callVectorIndex(this.kind, () =>
      ledger.resolve(result.matches.map((match) => match.id)),
    );
    const byVectorId = new Map(tracked.map((entry) => [entry.vectorId, entry]));
    return result.matches.flatMap((match) => {
      const entry = byVectorId.get(match.id);
      return entry
        ? [
            {
              id: entry.chunkId,
              documentId: entry.documentId,
              collectionId: entry.collectionId,
              score: match.score,
            },
          ]
        : [];
    });
  }

  async deleteByDocument(tenantId: string, documentId: string): Promise<void> {
    await this.deleteTracked(tenantId, { documentId });
  }

  async deleteByCollection(tenantId: string, collectionId: string): Promise<void> {
    await this.deleteTracked(tenantId, { collectionId });
  }

  async deleteByIds(tenantId: string, ids: string[]): Promise<void> {
    const ledger = this.ledgerOf(tenantId);
    const vectorIds = await Promise.all(ids.map((id) => vectorId(tenantId, id)));
    for (const batch of batches(vectorIds, IDS_PER_DELETE)) await this.deleteIds(ledger, batch);
  }

  /** Deletes the tenant's vectors page by page; once the ledger is empty, wipes the tenant's object. */
  async purgeTenant(tenantId: string): Promise<boolean> {
    const ledger = this.ledgerOf(tenantId);
    for (let page = 0; page < PAGES_PER_PURGE; page++) {
      const ids = await callVectorIndex(this.kind, () =>
        ledger.trackedIds({ all: true, limit: IDS_PER_DELETE }),
      );
      if (ids.length === 0) {
        await callVectorIndex(this.kind, () => ledger.deleteAll());
        return true;
      }
      await this.deleteIds(ledger, ids);
    }
    return false;
  }

  private async deleteTracked(tenantId: string, where: TrackedScope) {
    const ledger = this.ledgerOf(tenantId);
    const ids = await callVectorIndex(this.kind, () => ledger.trackedIds(where));
    for (const batch of batches(ids, IDS_PER_DELETE)) await this.deleteIds(ledger, batch);
  }

  // Forgotten only once Vectorize has deleted them: an id still tracked is retried, never leaked.
  private async deleteIds(ledger: DurableObjectStub<VectorizeLedgerObject>, ids: string[]) {
    await call(() => this.vectorize.deleteByIds(ids));
    await callVectorIndex(this.kind, () => ledger.forget(ids));
  }

  private ledgerOf(tenantId: string) {
    return this.ledger.getByName(vectorIndexName(tenantId));
  }
}

/** The Vectorize id of a tenant's chunk: base64url SHA-256 of both (43 bytes, within the 64 allowed). */
export async function vectorId(tenantId: string, chunkId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${tenantId}\n${chunkId}`));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Vectorize binding errors carry no status: treat them as transient unless the input was at fault. */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = /dimension|invalid|too (long|large|many)|exceed|not found|no such/i.test(message);
    throw new ProviderError("vectorize", !permanent, message, { cause: error });
  }
}
