import { DurableObject } from "cloudflare:workers";
import { log, logged } from "../lib/log";
import { loadStemmers } from "../lib/text/analyzer";
import { loadLanguageDetector } from "../lib/text/language";
import { EmbeddedIndex } from "../providers/vector/embedded/embedded-index";
import { ChunkIndex } from "../storage/search-shard/chunk-index";
import { ReplicaState } from "../storage/search-shard/replica-state";
import {
  type CopiedTable,
  primaryOfReplica,
  REPLICA_LEASE_MS,
  type ReplicaApplied,
  type ReplicaBatch,
  type ReplicaChange,
  type SearchReplicaObject,
  type Served,
} from "../storage/search-shard/search-replica.interface";
import type {
  ChunkHit,
  DocumentGeneration,
  PlacedChunkHit,
  ScoredChunkHit,
  ShardSearch,
} from "../storage/search-shard/search-shard.interface";
import { searchShardCopy } from "./shard-search";
import { isTombstoned, leaveTombstone, TENANT_DELETED } from "./tombstone";

// Copy pages one alarm fetches (each a few hundred rows): the alarm stays well within a Durable
// Object's CPU and memory limits, and the next alarm goes on.
const PAGES_PER_ALARM = 5;
// Messages one alarm asks the shard for while catching up.
const CATCH_UP_ROUNDS = 10;
// When the shard cannot be reached (or is not ready to be copied), the replica asks again after this.
const RETRY_MS = 5_000;

const NOT_SERVED = { served: false } as const;
const NEXT_TABLE: Record<CopiedTable, CopiedTable | null> = {
  documents: "chunks",
  chunks: "vectors",
  vectors: null,
};

/**
 * A read replica of a tenant's search shard: one per tenant and region (named
 * `tenant:<tenantId>:<region>`, created with that region's location hint), so that search and chat
 * read next to their caller. It copies the shard in pages from its alarm, then applies the shard's
 * numbered changes in order, each once; it answers reads only while it holds a lease from the
 * shard (every write the shard acknowledged is then applied here), and otherwise says so, for the
 * caller to read the shard, while its alarm catches up. Never written to except by its shard.
 */
export class SearchReplicaDurableObject extends DurableObject<Env> implements SearchReplicaObject {
  private modules: { index: EmbeddedIndex; chunks: ChunkIndex; state: ReplicaState } | undefined;
  private tombstoned: boolean | undefined;
  /** Whether an alarm is known to be set (not asked again on every read). */
  private alarmSet = false;

  private get deleted(): boolean {
    this.tombstoned ??= isTombstoned(this.ctx.storage.sql);
    return this.tombstoned;
  }

  private open() {
    if (this.deleted) throw new Error(TENANT_DELETED);
    this.modules ??= {
      index: new EmbeddedIndex(this.ctx.storage),
      chunks: new ChunkIndex(this.ctx.storage),
      state: new ReplicaState(this.ctx.storage),
    };
    return this.modules;
  }

  private get name(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("a search replica must be addressed by `tenant:<tenantId>:<region>`");
    return name;
  }

  private primary() {
    return this.env.SEARCH_SHARD.getByName(primaryOfReplica(this.name));
  }

  /**
   * Whether reads may be answered now: caught up, under a lease. A replica that is not (or whose
   * lease is past its half) has its alarm bring it there.
   */
  private serving(): boolean {
    if (this.deleted) return false;
    const { state } = this.open();
    const left = state.phase.phase === "live" ? state.leaseUntil - Date.now() : 0;
    if (left < REPLICA_LEASE_MS / 2) this.wake(0);
    return left > 0;
  }

  private wake(delayMs: number): void {
    if (this.alarmSet) return;
    this.alarmSet = true;
    void this.ctx.storage.setAlarm(Date.now() + delayMs);
  }

  /** One step of the copy or the catching up; sets the next alarm while there is more to do. */
  override async alarm(): Promise<void> {
    this.alarmSet = false;
    if (this.deleted) return;
    await logged("search_replica_alarm", { replica: this.name }, async (add) => {
      try {
        const next = await this.advance();
        add({ next });
        if (next === "more") this.wake(0);
        if (next === "later") this.wake(RETRY_MS);
      } catch (error) {
        log("warn", "search_replica_behind", { replica: this.name }, error);
        this.wake(RETRY_MS);
      }
    });
  }

  private async advance(): Promise<"more" | "later" | "done"> {
    const { state, chunks, index } = this.open();
    const primary = this.primary();
    const phase = state.phase;
    if (phase.phase === "new") {
      const attached = await primary.attachReplica(this.name);
      if (!("from" in attached)) return this.unless(attached.kind);
      state.startCopy(attached.from);
      return "more";
    }
    if (phase.phase === "copying") {
      let { table, after } = phase;
      for (let page = 0; page < PAGES_PER_ALARM; page++) {
        const copied = await primary.copyPage(table, after);
        if (copied.table === "documents") chunks.importRows([], copied.rows);
        else if (copied.table === "chunks") chunks.importRows(copied.rows, []);
        else index.upsert(copied.rows);
        if (copied.next !== null) {
          after = copied.next;
          state.copied(table, after);
          continue;
        }
        const following = NEXT_TABLE[table];
        if (!following) {
          state.copyComplete();
          return "more";
        }
        table = following;
        after = following === "documents" ? "" : 0;
        state.copied(table, after);
      }
      return "more";
    }
    for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
      const reply = await primary.catchUp(this.name, state.applied, true);
      if (reply.kind === "later" || reply.kind === "deleted") return this.unless(reply.kind);
      if (reply.kind === "copy_again") {
        await this.copyAgain();
        return "more";
      }
      this.apply(reply as ReplicaBatch);
      if (reply.leaseUntil > 0 && state.applied >= reply.through) return "done";
    }
    return "more";
  }

  /** The shard cannot be copied yet (later), or the tenant is gone: the copy goes for good. */
  private async unless(kind: "later" | "deleted"): Promise<"later" | "done"> {
    if (kind === "later") return "later";
    await this.deleteAll();
    return "done";
  }

  /** The shard no longer keeps what this copy lacks: it starts over. */
  private async copyAgain(): Promise<void> {
    this.modules = undefined;
    await this.ctx.storage.deleteAll();
    this.alarmSet = false;
  }

  apply(batch: ReplicaBatch): ReplicaApplied {
    if (this.deleted) return { applied: batch.through, gone: true };
    const { state } = this.open();
    const phase = state.phase.phase;
    if (phase === "new" || phase === "copying") return { applied: state.applied };
    const first = batch.changes[0]?.seq;
    if (first !== undefined && first > state.applied + 1) {
      // A gap: changes the shard thinks sent never arrived. Not served until they have.
      state.revoke();
      this.wake(0);
      return { applied: state.applied };
    }
    for (const { seq, change } of batch.changes) {
      if (seq <= state.applied) continue;
      this.applyChange(change);
      state.setApplied(seq);
    }
    if (batch.leaseUntil > 0 && state.applied >= batch.through) state.lease(batch.leaseUntil);
    return { applied: state.applied };
  }

  private applyChange(change: ReplicaChange): void {
    const { chunks, index } = this.open();
    switch (change.kind) {
      case "chunks":
        chunks.importRows(change.chunks, change.documents);
        return;
      case "vectors":
        index.upsert(change.vectors);
        return;
      case "advance_generation":
        chunks.advanceGeneration(change.documentId, change.generation);
        return;
      case "delete_document":
        chunks.deleteByDocument(change.documentId, change.generation);
        return;
      case "delete_older_generations":
        chunks.deleteOlderGenerations(change.documentId, change.generation);
        return;
      case "delete_collection":
        chunks.deleteByCollection(change.collectionId);
        return;
      case "delete_vectors":
        if (change.ids) index.deleteByIds(change.ids);
        else if (change.documentId) index.deleteByDocument(change.documentId);
        else if (change.collectionId) index.deleteByCollection(change.collectionId);
        return;
    }
  }

  /** The tenant is being deleted: the copy goes, and a tombstone stays (it never serves again). */
  async deleteAll(): Promise<void> {
    this.modules = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    leaveTombstone(this.ctx.storage.sql);
    this.tombstoned = true;
  }

  async search(request: ShardSearch): Promise<Served<ScoredChunkHit[]>> {
    await Promise.all([loadLanguageDetector(), loadStemmers()]);
    if (!this.serving()) return NOT_SERVED;
    const { chunks, index } = this.open();
    return { served: true, value: searchShardCopy(chunks, index, request) };
  }

  chunkHits(ids: string[]): Served<ChunkHit[]> {
    if (!this.serving()) return NOT_SERVED;
    return { served: true, value: this.open().chunks.hits(ids) };
  }

  sampleChunks(documents: DocumentGeneration[], perDocument: number): Served<PlacedChunkHit[]> {
    if (!this.serving()) return NOT_SERVED;
    return { served: true, value: this.open().chunks.sampleChunks(documents, perDocument) };
  }

  passageChunks(
    documentId: string,
    chunkId: string,
    page: number | null,
    around: number,
  ): Served<PlacedChunkHit[]> {
    if (!this.serving()) return NOT_SERVED;
    return { served: true, value: this.open().chunks.passageChunks(documentId, chunkId, page, around) };
  }
}
