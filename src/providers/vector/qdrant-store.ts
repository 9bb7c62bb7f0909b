import type { QdrantClient } from "@qdrant/js-client-rest";
import { batches } from "../../lib/batches";
import { isTransientStatus, ProviderError } from "../errors";
import { assertRecordsOfTenant } from "./records";
import type { VectorMatch, VectorQuery, VectorRecord, VectorStore } from "./types";

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string;
  collection: string;
  dimensions: number;
  timeoutMs?: number;
}

interface ChunkPayload {
  tenant_id: string;
  collection_id: string;
  document_id: string;
  chunk_id: string;
}

const POINTS_PER_UPSERT = 256;
// Any fixed UUID works: it makes point ids a pure function of (tenant, chunk id).
const POINT_ID_NAMESPACE = "6f1c2a0e-8e55-4c1e-9a7b-3d5f0c2b9e41";

/**
 * All tenants in one Qdrant collection, partitioned by a `tenant_id` payload that every query and
 * delete filters on, as Qdrant advises for multi-tenancy (tenant index, per-tenant HNSW graphs).
 */
export class QdrantVectorStore implements VectorStore {
  readonly kind = "qdrant";
  private client: Promise<QdrantClient> | undefined;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: QdrantStoreOptions) {}

  // The client is imported by the first call, so that an isolate configured for Qdrant loads it
  // where it is used, and one configured otherwise never evaluates it at start-up.
  private qdrant(): Promise<QdrantClient> {
    this.client ??= import("@qdrant/js-client-rest").then(
      ({ QdrantClient }) =>
        new QdrantClient({
          url: this.options.url,
          apiKey: this.options.apiKey,
          timeout: this.options.timeoutMs ?? 30_000,
          // The version probe fires a request on construction and only logs; it also fails against fakes.
          checkCompatibility: false,
        }),
    );
    return this.client;
  }

  async upsert(tenantId: string, records: VectorRecord[]): Promise<void> {
    assertRecordsOfTenant(this.kind, tenantId, records);
    await this.ensureCollection();
    for (const batch of batches(records, POINTS_PER_UPSERT)) {
      const points = await Promise.all(
        batch.map(async (record) => ({
          id: await pointId(tenantId, record.id),
          vector: Array.from(record.vector),
          payload: {
            tenant_id: tenantId,
            collection_id: record.collectionId,
            document_id: record.documentId,
            chunk_id: record.id,
          } satisfies ChunkPayload,
        })),
      );
      await this.call((client) => client.upsert(this.options.collection, { wait: true, points }));
    }
  }

  async query(tenantId: string, query: VectorQuery): Promise<VectorMatch[]> {
    if (query.collectionIds?.length === 0 || query.topK <= 0) return [];
    await this.ensureCollection();
    const must: Record<string, unknown>[] = [{ key: "tenant_id", match: { value: tenantId } }];
    if (query.collectionIds) must.push({ key: "collection_id", match: { any: query.collectionIds } });
    const result = await this.call((client) =>
      client.query(this.options.collection, {
        query: Array.from(query.vector),
        limit: query.topK,
        filter: { must },
        with_payload: ["chunk_id", "document_id", "collection_id"],
      }),
    );
    return result.points.map((point) => {
      const payload = point.payload as unknown as ChunkPayload;
      return {
        id: payload.chunk_id,
        documentId: payload.document_id,
        collectionId: payload.collection_id,
        score: point.score,
      };
    });
  }

  async deleteByDocument(tenantId: string, documentId: string): Promise<void> {
    await this.deleteWhere(tenantId, "document_id", documentId);
  }

  async deleteByCollection(tenantId: string, collectionId: string): Promise<void> {
    await this.deleteWhere(tenantId, "collection_id", collectionId);
  }

  async deleteByIds(tenantId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ensureCollection();
    for (const batch of batches(ids, POINTS_PER_UPSERT)) {
      const points = await Promise.all(batch.map((id) => pointId(tenantId, id)));
      await this.call((client) => client.delete(this.options.collection, { wait: true, points }));
    }
  }

  async purgeTenant(tenantId: string): Promise<boolean> {
    await this.deleteWhere(tenantId);
    return true;
  }

  /** Deletes the tenant's points, or only those whose `key` is `value`. */
  private async deleteWhere(tenantId: string, key?: "document_id" | "collection_id", value?: string) {
    await this.ensureCollection();
    await this.call((client) =>
      client.delete(this.options.collection, {
        wait: true,
        filter: {
          must: [
            { key: "tenant_id", match: { value: tenantId } },
            ...(key && value !== undefined ? [{ key, match: { value } }] : []),
          ],
        },
      }),
    );
  }

  /** Creates the collection and its payload indexes once per isolate (all calls are idempotent). */
  private ensureCollection(): Promise<void> {
    this.ready ??= this.setUp().catch((error) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async setUp(): Promise<void> {
    const { collection, dimensions } = this.options;
    const { exists } = await this.call((client) => client.collectionExists(collection));
    if (exists) {
      const info = await this.call((client) => client.getCollection(collection));
      const size = (info.config.params.vectors as { size?: number } | undefined)?.size;
      if (size !== undefined && size !== dimensions) {
        throw new ProviderError(
          this.kind,
          false,
          `collection ${collection} holds ${size}-dimension vectors, the embedder makes ${dimensions}`,
        );
      }
    } else {
      await this.call((client) =>
        client.createCollection(collection, {
          vectors: { size: dimensions, distance: "Cosine" },
          // No global graph, one per tenant: every search is filtered by tenant anyway.
          hnsw_config: { m: 0, payload_m: 16 },
        }),
      ).catch((error) => {
        // Another isolate may have created it in between.
        if (!(error instanceof ProviderError && /already exists/i.test(error.message))) throw error;
      });
    }
    await this.call((client) =>
      client.createPayloadIndex(collection, {
        field_name: "tenant_id",
        field_schema: { type: "keyword", is_tenant: true },
        wait: true,
      }),
    );
    for (const field_name of ["collection_id", "document_id"]) {
      await this.call((client) =>
        client.createPayloadIndex(collection, {
          field_name,
          field_schema: { type: "keyword", enable_hnsw: false },
          wait: true,
        }),
      );
    }
  }

  /** Runs a client call, turning its failures into ProviderErrors marked transient or permanent. */
  /** A request through the client (imported by the first), its errors as ProviderErrors. */
  private async call<T>(request: (client: QdrantClient) => Promise<T>): Promise<T> {
    try {
      return await request(await this.qdrant());
    } catch (error) {
      throw toProviderError(error);
    }
  }
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = error as {
    name?: string;
    message?: string;
    status?: unknown;
    data?: { status?: { error?: string } };
  };
  if (typeof failure.status === "number") {
    const detail = failure.data?.status?.error ?? failure.message ?? "";
    return new ProviderError(
      "qdrant",
      isTransientStatus(failure.status),
      `HTTP ${failure.status} ${detail}`,
      {
        cause: error,
        status: failure.status,
      },
    );
  }
  // No HTTP answer: a timeout, rate limiting or the network ("Network connection lost"), which
  // may pass; only a bad client setup or an unexpected answer will not.
  const transient =
    failure.name !== "QdrantClientConfigError" && failure.name !== "QdrantClientUnexpectedResponseError";
  return new ProviderError("qdrant", transient, failure.message ?? String(error), { cause: error });
}

/** A name-based (version 5) UUID of tenant and chunk id: Qdrant ids must be UUIDs or integers. */
export async function pointId(tenantId: string, chunkId: string): Promise<string> {
  const namespace = POINT_ID_NAMESPACE.replaceAll("-", "");
  const name = new TextEncoder().encode(`${tenantId}/${chunkId}`);
  const input = new Uint8Array(16 + name.length);
  for (let i = 0; i < 16; i++) input[i] = Number.parseInt(namespace.slice(i * 2, i * 2 + 2), 16);
  input.set(name, 16);
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-1", input)).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
