import { DurableObject } from "cloudflare:workers";
import { log, logged } from "../lib/log";
import { loadStemmers } from "../lib/text/analyzer";
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
import { ChunkIndex } from "../storage/search-shard/chunk-index";
import { ReplicationLog } from "../storage/search-shard/replication-log";
import {
  type CatchUpReply,
  type CopiedTable,
  type CopyPage,
  type LoggedChange,
  type NumberedChange,
  REPLICA_LEASE_MS,
  type ReplicaBatch,
  type ReplicaChange,
  type ShardReplication,
} from "../storage/search-shard/search-replica.interface";
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
import { searchShardCopy } from "./shard-search";
import { isTombstoned, leaveTombstone, TENANT_DELETED } from "./tombstone";

// Bounded so that one alarm stays well within a Durable Object's CPU limit: detecting and stemming
// a 1,400-character abstract took about 3 ms on a loaded machine.
const CHUNKS_ANALYSED_PER_ALARM = 500;

// Clocks of two objects may differ a little: a lease is taken as over this much after it ends.
const LEASE_SKEW_MS = 1_000;
// Rows per copy page: chunks are a few KB, vectors about 2 KB (as the shard's own RPC calls).
const COPY_ROWS = 200;
const COPY_VECTORS = 128;
// Messages a write sends a replica before it gives up on it (each carries what it lacks).
const PUSH_ROUNDS = 20;

/**
 * One per tenant (named `tenant:<tenantId>`), RPC only: the tenant's search shard. It holds the
 * tenant's chunks and their full-text index, the embedded store's vectors and, with the Vectorize
 * store, its ledger of Vectorize ids; each storage module keeps its own tables in the object's SQLite.
 * (The class keeps its first name: renaming a Durable Object class takes a migration.)
 */
export class SearchShardDurableObject
  extends DurableObject<Env>
  implements VectorIndexObject, SearchShardObject, ShardReplication
{
  // Opened on first use (each creates its tables); never again once deleteAll left the tombstone.
  private modules:
    | { index: EmbeddedIndex; ledger: VectorizeLedger; chunks: ChunkIndex; replication: ReplicationLog }
    | undefined;

  /** The leases it grants its replicas (a test simulating an unreachable one shortens them). */
  private replicaLeaseMs = REPLICA_LEASE_MS;

  /** Changes are sent to the replicas one write after another, so that each arrives in order. */
  private forwarding: Promise<void> = Promise.resolve();

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

  private get replication(): ReplicationLog {
    return this.open().replication;
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
        replication: new ReplicationLog(this.ctx.storage),
      };
      // A shard from before languages: its chunks are analysed from alarms, a page at a time.
      if (this.modules.chunks.upgrading) void this.ctx.storage.setAlarm(Date.now());
    }
    return this.modules;
  }

  /** Analyses a page of chunks stored before languages, and asks for the next page while any remain. */
  override async alarm(): Promise<void> {
    if (this.deleted) return;
    await Promise.all([loadLanguageDetector(), loadStemmers()]);
    await logged("search_shard_alarm", {}, async (add) => {
      const more = this.chunks.analysePending(CHUNKS_ANALYSED_PER_ALARM);
      add({ more });
      if (more) await this.ctx.storage.setAlarm(Date.now());
    });
  }

  async upsert(records: IndexedVector[]): Promise<void> {
    this.index.upsert(records);
    await this.changed({ kind: "vectors", ids: records.map((record) => record.id) });
  }

  query(query: VectorQuery): IndexMatch[] {
    if (this.deleted) return [];
    return this.index.query(query);
  }

  async deleteByDocument(documentId: string): Promise<number> {
    if (this.deleted) return 0;
    const deleted = this.index.deleteByDocument(documentId);
    await this.changed({ kind: "delete_vectors", documentId });
    return deleted;
  }

  async deleteByCollection(collectionId: string): Promise<number> {
    if (this.deleted) return 0;
    const deleted = this.index.deleteByCollection(collectionId);
    await this.changed({ kind: "delete_vectors", collectionId });
    return deleted;
  }

  async deleteByIds(ids: string[]): Promise<number> {
    if (this.deleted) return 0;
    const deleted = this.index.deleteByIds(ids);
    await this.changed({ kind: "delete_vectors", ids });
    return deleted;
  }

  /**
   * The tenant is being deleted: its chunks, full-text index, vectors, ledger and the tables
   * themselves go, and a tombstone stays, so that every later call is refused (see open).
   */
  async deleteAll(): Promise<void> {
    if (!this.deleted) {
      // The replicas go first (no new one may attach meanwhile): a failure leaves the shard as it
      // is, so that the tenant's deletion, which retries, still knows them.
      this.replication.close();
      for (const replica of this.replication.replicas()) await this.replica(replica.name).deleteAll();
    }
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
    await Promise.all([loadLanguageDetector(), loadStemmers()]);
    this.chunks.insert(chunks);
    await this.changed({ kind: "chunks", ids: chunks.map((chunk) => chunk.id) });
  }

  async deleteChunksOfDocument(documentId: string, generation?: number): Promise<number> {
    if (this.deleted) return 0;
    const deleted = this.chunks.deleteByDocument(documentId, generation);
    await this.changed({ kind: "delete_document", documentId, generation });
    return deleted;
  }

  async advanceDocumentGeneration(documentId: string, generation: number): Promise<string[]> {
    const older = this.chunks.advanceGeneration(documentId, generation);
    await this.changed({ kind: "advance_generation", documentId, generation });
    return older;
  }

  async deleteChunksOfOlderGenerations(documentId: string, generation: number): Promise<number> {
    const deleted = this.chunks.deleteOlderGenerations(documentId, generation);
    await this.changed({ kind: "delete_older_generations", documentId, generation });
    return deleted;
  }

  chunkIdsOfGeneration(documentId: string, generation: number): string[] {
    return this.chunks.chunkIds(documentId, generation);
  }

  async deleteChunksOfCollection(collectionId: string): Promise<number> {
    if (this.deleted) return 0;
    const deleted = this.chunks.deleteByCollection(collectionId);
    await this.changed({ kind: "delete_collection", collectionId });
    return deleted;
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
    await Promise.all([loadLanguageDetector(), loadStemmers()]);
    return searchShardCopy(this.chunks, this.index, request);
  }

  // ---- Replication (the shard's read replicas, see search-replica.interface.ts) ----------------

  /** Registers a replica starting its copy; refused while chunks from before languages are analysed. */
  attachReplica(name: string): { from: number } | { kind: "later" | "deleted" } {
    if (this.tenantDeleted) return { kind: "deleted" };
    if (this.chunks.upgrading) return { kind: "later" };
    return { from: this.replication.attach(name) };
  }

  copyPage(table: CopiedTable, after: string | number): CopyPage {
    // A deleted tenant's replica copies nothing: its next question is told the tenant is gone.
    if (this.tenantDeleted) return { table, rows: [], next: null } as CopyPage;
    if (table === "documents") {
      const rows = this.chunks.documentRowsAfter(String(after), COPY_ROWS);
      return { table, rows, next: rows.length === COPY_ROWS ? rows.at(-1)!.id : null };
    }
    if (table === "chunks") {
      const page = this.chunks.chunkRowsAfter(Number(after), COPY_ROWS);
      return { table, rows: page.rows, next: page.last };
    }
    const page = this.index.recordsAfter(Number(after), COPY_VECTORS);
    return { table, rows: page.records, next: page.last };
  }

  /**
   * The changes a replica lacks after `applied`. Once its copy is complete and this brings it to
   * the last change, it gets a lease and every later write waits for it.
   */
  catchUp(name: string, applied: number, copied: boolean): CatchUpReply {
    if (this.tenantDeleted) return { kind: "deleted" };
    const replication = this.replication;
    if (!replication.replica(name)) return { kind: "copy_again" };
    replication.acknowledge(name, applied);
    const changes = replication.changesAfter(applied, loggedRows);
    if (changes === null) return { kind: "copy_again" };
    const through = changes.at(-1)?.seq ?? applied;
    let leaseUntil = 0;
    if (copied && through >= replication.lastSeq) {
      leaseUntil = Date.now() + this.replicaLeaseMs;
      replication.lease(name, leaseUntil);
    }
    return { kind: "changes", changes: this.materialize(changes), through, leaseUntil };
  }

  /** The tenant is deleted, or being deleted (its replicas go first): no replica may copy it. */
  private get tenantDeleted(): boolean {
    return this.deleted || this.replication.closing;
  }

  /** Numbers a change and sends it to the live replicas; resolves once each applied it. */
  private changed(change: LoggedChange): Promise<void> {
    this.replication.record(change);
    const run = this.forwarding.then(() => this.pushToReplicas());
    this.forwarding = run.catch(() => undefined);
    return run;
  }

  private async pushToReplicas(): Promise<void> {
    if (this.deleted) return;
    const live = this.replication.replicas().filter((replica) => replica.live);
    if (live.length === 0) return;
    await Promise.all(live.map((replica) => this.pushTo(replica.name, replica.acked)));
    this.replication.prune();
  }

  /** Sends a replica what it lacks until it has every change, or stops waiting for it (stale). */
  private async pushTo(name: string, acked: number): Promise<void> {
    const replication = this.replication;
    for (let round = 0; acked < replication.lastSeq; round++) {
      const changes = replication.changesAfter(acked, loggedRows);
      if (changes === null || round === PUSH_ROUNDS) return this.dropAfterLease(name);
      const leaseUntil = Date.now() + this.replicaLeaseMs;
      // Recorded before it is sent: from now on the replica may serve until then.
      replication.lease(name, leaseUntil);
      const batch: ReplicaBatch = {
        changes: this.materialize(changes),
        through: changes.at(-1)!.seq,
        leaseUntil,
      };
      try {
        const reply = await this.replica(name).apply(batch);
        if (reply.gone) return replication.forget(name);
        acked = reply.applied;
        replication.acknowledge(name, acked);
      } catch (error) {
        log("warn", "search_replica_unreachable", { replica: name }, error);
        return this.dropAfterLease(name);
      }
    }
  }

  /**
   * A replica that cannot be brought up to date: the write waits until its lease is over (it stops
   * serving then), and later writes stop waiting for it until it catches up by itself.
   */
  private async dropAfterLease(name: string): Promise<void> {
    const wait = (this.replication.replica(name)?.leaseUntil ?? 0) + LEASE_SKEW_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.replication.markStale(name);
  }

  /** Logged changes as a replica applies them: written rows read again (those deleted since go). */
  private materialize(changes: { seq: number; change: LoggedChange }[]): NumberedChange[] {
    return changes.map(({ seq, change }) => ({ seq, change: this.rowsOf(change) }));
  }

  private rowsOf(change: LoggedChange): ReplicaChange {
    if (change.kind === "vectors") return { kind: "vectors", vectors: this.index.recordsOf(change.ids) };
    if (change.kind !== "chunks") return change;
    const chunks = this.chunks.chunkRowsOf(change.ids);
    const documents = this.chunks.documentRowsOf([...new Set(chunks.map((chunk) => chunk.document_id))]);
    return { kind: "chunks", chunks, documents };
  }

  private replica(name: string) {
    return this.env.SEARCH_REPLICA.getByName(name);
  }
}

/** How many rows a logged change carries (a message to a replica is bounded by rows). */
const loggedRows = (change: LoggedChange): number =>
  change.kind === "chunks" || change.kind === "vectors"
    ? change.ids.length
    : change.kind === "delete_vectors"
      ? (change.ids?.length ?? 1)
      : 1;
