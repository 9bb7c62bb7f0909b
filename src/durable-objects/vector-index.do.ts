import { DurableObject } from "cloudflare:workers";
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

/**
 * One per tenant (named `tenant:<tenantId>`), RPC only: the embedded store's index and, with the
 * Vectorize store, its ledger of Vectorize ids. Each keeps its own tables in the object's SQLite.
 */
export class VectorIndexDurableObject extends DurableObject<Env> implements VectorIndexObject {
  // Opened on first use (each creates its tables), and again after deleteAll has dropped them.
  private modules: { index: EmbeddedIndex; ledger: VectorizeLedger } | undefined;

  private get index(): EmbeddedIndex {
    return this.open().index;
  }

  private get ledger(): VectorizeLedger {
    return this.open().ledger;
  }

  private open() {
    this.modules ??= {
      index: new EmbeddedIndex(this.ctx.storage),
      ledger: new VectorizeLedger(this.ctx.storage),
    };
    return this.modules;
  }

  upsert(records: IndexedVector[]): void {
    this.index.upsert(records);
  }

  query(query: VectorQuery): IndexMatch[] {
    return this.index.query(query);
  }

  deleteByDocument(documentId: string): number {
    return this.index.deleteByDocument(documentId);
  }

  deleteByCollection(collectionId: string): number {
    return this.index.deleteByCollection(collectionId);
  }

  deleteByIds(ids: string[]): number {
    return this.index.deleteByIds(ids);
  }

  /** The tenant is being deleted: its vectors, its ledger and the tables themselves go. */
  async deleteAll(): Promise<void> {
    this.modules = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  stats(): IndexStats {
    return this.index.stats();
  }

  track(entries: TrackedVector[]): void {
    this.ledger.track(entries);
  }

  trackedIds(where: TrackedScope): string[] {
    return this.ledger.trackedIds(where);
  }

  resolve(vectorIds: string[]): TrackedVector[] {
    return this.ledger.resolve(vectorIds);
  }

  forget(vectorIds: string[]): void {
    this.ledger.forget(vectorIds);
  }
}
