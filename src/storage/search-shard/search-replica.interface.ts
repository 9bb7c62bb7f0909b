import type { IndexedVector } from "../../providers/vector/vector-index.interface";
import type {
  ChunkHit,
  DocumentGeneration,
  PlacedChunkHit,
  ScoredChunkHit,
  ShardSearch,
} from "./search-shard.interface";

// The contract of a search shard's read replicas: one SQLite Durable Object per tenant and region
// (binding SEARCH_REPLICA, named `tenant:<tenantId>:<region>`, created with that region's location
// hint) holding a copy of the tenant's shard, kept in step by the shard (the primary), which
// numbers every change and forwards it, in order, before it acknowledges the write.

/** How long a replica may serve after the shard last sent it changes or renewed it (its lease). */
export const REPLICA_LEASE_MS = 30_000;

/** The name of a tenant's replica in a region: the tenant's shard name and the region. */
export const replicaName = (shardName: string, region: string) => `${shardName}:${region}`;

/** The shard a replica copies: its own name without the region. */
export const primaryOfReplica = (name: string) => name.slice(0, name.lastIndexOf(":"));

/** A chunk row as the shard stores it, analysed (its language and full-text terms travel with it). */
export type ChunkRow = {
  id: string;
  collection_id: string;
  document_id: string;
  position: number;
  text: string;
  page_start: number | null;
  page_end: number | null;
  section: string | null;
  page_offsets: string | null;
  token_count: number;
  generation: number;
  language: string | null;
  terms: string | null;
};

/** A document's row in the shard: its filename, current generation and whether it was removed. */
export type DocumentRow = {
  id: string;
  filename: string;
  generation: number | null;
  removed: number;
};

/**
 * One change of the shard, as a replica applies it. Rows carry the primary's state of the rows the
 * change wrote (a row deleted since is left out: the later deletion is a later change).
 */
export type ReplicaChange =
  | { kind: "chunks"; chunks: ChunkRow[]; documents: DocumentRow[] }
  | { kind: "vectors"; vectors: IndexedVector[] }
  | { kind: "advance_generation"; documentId: string; generation: number }
  | { kind: "delete_document"; documentId: string; generation?: number }
  | { kind: "delete_older_generations"; documentId: string; generation: number }
  | { kind: "delete_collection"; collectionId: string }
  | { kind: "delete_vectors"; documentId?: string; collectionId?: string; ids?: string[] };

/** A change as the primary's log keeps it: written rows by id, read again when sent. */
export type LoggedChange =
  | { kind: "chunks"; ids: string[] }
  | { kind: "vectors"; ids: string[] }
  | Exclude<ReplicaChange, { kind: "chunks" } | { kind: "vectors" }>;

export interface NumberedChange {
  seq: number;
  change: ReplicaChange;
}

/** Changes sent to a replica: consecutive, up to `through` (the primary's last change when sent). */
export interface ReplicaBatch {
  changes: NumberedChange[];
  through: number;
  /** Until when the replica may serve reads, if it is then caught up (the primary's promise). */
  leaseUntil: number;
}

/** What a replica has applied (a batch starting past it is a gap: the primary sends from there). */
export interface ReplicaApplied {
  applied: number;
  /** The replica was deleted with its tenant: the primary forgets it. */
  gone?: boolean;
}

/** The primary's answer to a replica asking for what it lacks. */
export type CatchUpReply =
  | ({ kind: "changes" } & ReplicaBatch)
  /** The changes it lacks are no longer kept (or it is unknown): it copies the shard again. */
  | { kind: "copy_again" }
  /** The shard is not ready to be copied (chunks from before languages are being analysed). */
  | { kind: "later" }
  /** The tenant is deleted (or being deleted): the replica deletes its copy for good. */
  | { kind: "deleted" };

/** Which of the shard's stores a copy page reads. */
export type CopiedTable = "documents" | "chunks" | "vectors";

/** A page of the shard's rows for a replica's first copy, after `after` (the table's own order). */
export type CopyPage =
  | { table: "documents"; rows: DocumentRow[]; next: string | null }
  | { table: "chunks"; rows: ChunkRow[]; next: number | null }
  | { table: "vectors"; rows: IndexedVector[]; next: number | null };

/** The shard's side of replication (SearchShardObject's, called by its replicas). */
export interface ShardReplication {
  /** Registers a replica (its copy starts now): returns the last change number, which it copies past. */
  attachReplica(name: string): { from: number } | { kind: "later" | "deleted" };
  /** A page of one store's rows, for a replica's first copy. */
  copyPage(table: CopiedTable, after: string | number): CopyPage;
  /** The changes after `applied`; with `copied`, the replica's first copy is complete. */
  catchUp(name: string, applied: number, copied: boolean): CatchUpReply;
}

/** A read answered by a replica, or refused (not caught up): the caller then reads the primary. */
export type Served<T> = { served: true; value: T } | { served: false };

/** A replica's RPC surface. */
export interface SearchReplicaObject extends Rpc.DurableObjectBranded {
  /** Applies the changes past its own, in order, each once; answers what it has applied. */
  apply(batch: ReplicaBatch): ReplicaApplied;
  /** Deletes the copy and leaves a tombstone (the tenant is being deleted). */
  deleteAll(): Promise<void>;
  search(request: ShardSearch): Promise<Served<ScoredChunkHit[]>>;
  chunkHits(ids: string[]): Served<ChunkHit[]>;
  sampleChunks(documents: DocumentGeneration[], perDocument: number): Served<PlacedChunkHit[]>;
  passageChunks(
    documentId: string,
    chunkId: string,
    page: number | null,
    around: number,
  ): Served<PlacedChunkHit[]>;
}
