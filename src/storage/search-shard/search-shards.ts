import { batches } from "../../lib/batches";
import { log } from "../../lib/log";
import { callVectorIndex, vectorIndexName } from "../../providers/vector/embedded-store";
import { objectInRegion } from "../object-in-region";
import { replicaName, type SearchReplicaObject, type Served } from "./search-replica.interface";
import type {
  ChunkHit,
  ChunkTotals,
  DocumentGeneration,
  PlacedChunkHit,
  ScoredChunkHit,
  SearchShardObject,
  ShardChunk,
  ShardSearch,
} from "./search-shard.interface";

/**
 * Whose shard a read is for, and from where: with the caller's region (its budget lease region,
 * lib/caller-region.ts), the read goes to the tenant's replica in that region.
 */
export interface ShardReader {
  tenantId: string;
  region?: string;
}

// A chunk is a few KB of text: a few hundred keep each RPC message well under its size limit.
const CHUNKS_PER_CALL = 200;

/**
 * The port to the tenants' search shards: each tenant's chunk text, full-text index and (with the
 * embedded store) vectors live in its own SQLite Durable Object, so every call names the tenant
 * and never crosses it. Failures become ProviderErrors (transient when the runtime says so).
 */
export class SearchShards {
  /** Without `replicas`, every read goes to the shard. */
  constructor(
    private readonly namespace: DurableObjectNamespace<SearchShardObject>,
    private readonly replicas?: DurableObjectNamespace<SearchReplicaObject>,
  ) {}

  /** Inserts chunks by id: a re-delivered batch stores nothing twice. */
  async insertChunks(tenantId: string, chunks: ShardChunk[]): Promise<void> {
    const shard = this.shard(tenantId);
    for (const batch of batches(chunks, CHUNKS_PER_CALL)) {
      await call(() => shard.insertChunks(batch));
    }
  }

  /**
   * Deletes a document's chunks of one ingestion generation or, without one, removes the document
   * from the shard (search never shows it again, even if a late batch stores chunks of it).
   */
  deleteByDocument(tenantId: string, documentId: string, generation?: number): Promise<number> {
    return call(() => this.shard(tenantId).deleteChunksOfDocument(documentId, generation));
  }

  /**
   * Makes `generation` the document's current one in the shard (search shows only its chunks);
   * returns the ids of the chunks of older generations still stored.
   */
  advanceGeneration(tenantId: string, documentId: string, generation: number): Promise<string[]> {
    return call(() => this.shard(tenantId).advanceDocumentGeneration(documentId, generation));
  }

  /** Deletes a document's chunks of generations older than `generation`. */
  deleteOlderGenerations(tenantId: string, documentId: string, generation: number): Promise<number> {
    return call(() => this.shard(tenantId).deleteChunksOfOlderGenerations(documentId, generation));
  }

  /** The ids of a document's chunks of one ingestion generation. */
  chunkIdsOfGeneration(tenantId: string, documentId: string, generation: number): Promise<string[]> {
    return call(() => this.shard(tenantId).chunkIdsOfGeneration(documentId, generation));
  }

  deleteByCollection(tenantId: string, collectionId: string): Promise<number> {
    return call(() => this.shard(tenantId).deleteChunksOfCollection(collectionId));
  }

  /** Empties the tenant's shard entirely (the tenant is being deleted): every table of the object goes. */
  purge(tenantId: string): Promise<void> {
    return call(() => this.shard(tenantId).deleteAll());
  }

  chunkTotals(tenantId: string, documentId: string, generation: number): Promise<ChunkTotals> {
    return call(() => this.shard(tenantId).chunkTotals(documentId, generation));
  }

  // RPC types widen the page offsets' [offset, page] tuples to arrays; the values are the tuples.
  async findChunkHits(reader: ShardReader, ids: string[]): Promise<ChunkHit[]> {
    if (ids.length === 0) return [];
    return (await this.read(
      reader,
      (replica) => replica.chunkHits(ids),
      (shard) => shard.chunkHits(ids),
    )) as ChunkHit[];
  }

  /** Chunks spread evenly over each document, in the documents' order then their own. */
  async sampleChunks(
    reader: ShardReader,
    documents: DocumentGeneration[],
    perDocument: number,
  ): Promise<PlacedChunkHit[]> {
    if (documents.length === 0) return [];
    return (await this.read(
      reader,
      (replica) => replica.sampleChunks(documents, perDocument),
      (shard) => shard.sampleChunks(documents, perDocument),
    )) as PlacedChunkHit[];
  }

  /** The chunks around a cited chunk: its page or slide, or its section (see SearchShardObject). */
  async passageChunks(
    reader: ShardReader,
    documentId: string,
    chunkId: string,
    page: number | null,
    around: number,
  ): Promise<PlacedChunkHit[]> {
    return (await this.read(
      reader,
      (replica) => replica.passageChunks(documentId, chunkId, page, around),
      (shard) => shard.passageChunks(documentId, chunkId, page, around),
    )) as PlacedChunkHit[];
  }

  async search(reader: ShardReader, request: ShardSearch): Promise<ScoredChunkHit[]> {
    return (await this.read(
      reader,
      (replica) => replica.search(request),
      (shard) => shard.search(request),
    )) as ScoredChunkHit[];
  }

  /**
   * A read from the caller's region's replica when it is caught up; otherwise (not yet copied,
   * behind, unreachable) from the shard, while the replica catches up by itself.
   */
  private async read<T>(
    reader: ShardReader,
    fromReplica: (replica: DurableObjectStub<SearchReplicaObject>) => Promise<Served<T>>,
    fromShard: (shard: DurableObjectStub<SearchShardObject>) => Promise<T>,
  ): Promise<T> {
    if (this.replicas && reader.region) {
      try {
        const answer = await fromReplica(this.replica(this.replicas, reader.tenantId, reader.region));
        if (answer.served) return answer.value;
      } catch (error) {
        log("warn", "search_replica_read_failed", { region: reader.region }, error);
      }
    }
    return call(() => fromShard(this.shard(reader.tenantId)));
  }

  private shard(tenantId: string) {
    // The shard is the object the embedded vector store already keeps per tenant.
    return this.namespace.getByName(vectorIndexName(tenantId));
  }

  private replica(namespace: DurableObjectNamespace<SearchReplicaObject>, tenantId: string, region: string) {
    return objectInRegion(namespace, replicaName(vectorIndexName(tenantId), region), region);
  }
}

const call = <T>(request: () => Promise<T>) => callVectorIndex("search-shard", request);
