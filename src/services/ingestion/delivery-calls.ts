import type { Deps } from "../../context";
import { STATEMENTS_PER_BATCH } from "../../lib/batches";
import type { VectorRecord } from "../../providers/vector/types";
import { databaseOver } from "../../storage/db";
import { gatheredD1 } from "../../storage/gathered-d1";
import type { ShardChunk } from "../../storage/search-shard/search-shard.interface";
import type { SearchShards } from "../../storage/search-shard/search-shards";
import type { AdmitInput, CommitInput, TenantQuotaObject } from "../quotas/quota-object.interface";

/** One call a document made, waiting for the delivery's shared call of its kind. */
interface Waiting {
  /** The shared call it joins: the embedder's kind, or the tenant of a shard or vector write. */
  key: string;
  items: unknown[];
  resolve: (results: unknown[]) => void;
  reject: (error: unknown) => void;
}

type Run = (key: string, items: unknown[]) => Promise<unknown[]>;

type SharedDeps = Pick<Deps, "db" | "embedder" | "searchShards" | "vectorStore" | "quotas">;

/**
 * The embedder, shard, vector, ledger and D1 calls of the documents a queue delivery ingests side
 * by side, gathered: each document's call waits until every document still running waits on one
 * too, then the calls go out once per kind (texts embedded in one call, chunks and vectors written
 * in one call per tenant, the pages' reservations and their commits in one call to the tenant's
 * quota object, D1 statements in one batch) and each document takes back its own share. What
 * the calls do stays the document's own (its lease, status, usage, webhook and failure: its own
 * statements, in its own order); a shared call that fails fails each of the calls it held, and each
 * document's message then retries or fails on its own, except a batch of statements, which D1 rolls
 * back whole: each document's statements are then sent again alone, so that a failure is its own.
 * No document waits for ever: one that ends `leave`s, and when the others all wait, their calls go out.
 */
export class DeliveryCalls {
  private waiting: Waiting[] = [];
  private readonly runs: Record<string, Run>;

  constructor(
    private running: number,
    private readonly deps: SharedDeps,
  ) {
    this.runs = {
      embed: async (kind, texts) => this.deps.embedder.embed(texts as string[], kind as "document" | "query"),
      chunks: async (tenantId, chunks) => {
        await this.deps.searchShards.insertChunks(tenantId, chunks as ShardChunk[]);
        return chunks.map(() => undefined);
      },
      vectors: async (tenantId, records) => {
        await this.deps.vectorStore.upsert(tenantId, records as VectorRecord[]);
        return records.map(() => undefined);
      },
      // Each reservation and commit is decided by the ledger as it would be alone, in turn.
      admit: async (tenantId, inputs) =>
        this.deps.quotas.getByName(tenantId).admitEach(inputs as AdmitInput[]),
      commit: async (tenantId, inputs) =>
        this.deps.quotas.getByName(tenantId).commitEach(inputs as CommitInput[]),
    };
  }

  /**
   * The delivery's dependencies with the embedder, shard inserts, vector upserts, the ledger's
   * admissions and commits, and D1 statements gathered.
   */
  depsOf<D extends SharedDeps>(deps: D): D {
    const embedder = deps.embedder;
    const searchShards = Object.create(deps.searchShards) as SearchShards;
    searchShards.insertChunks = async (tenantId, chunks) => {
      await this.join("chunks", tenantId, chunks);
    };
    const vectorStore = Object.create(deps.vectorStore) as Deps["vectorStore"];
    vectorStore.upsert = async (tenantId, records) => {
      await this.join("vectors", tenantId, records);
    };
    const quotas = Object.create(deps.quotas) as Deps["quotas"];
    quotas.getByName = (tenantId) => this.ledger(deps.quotas.getByName(tenantId), tenantId);
    const d1 = gatheredD1(
      deps.db.$client,
      (statements) => this.join("statements", "", statements) as Promise<D1Result[]>,
    );
    return {
      ...deps,
      db: databaseOver(d1),
      embedder: {
        model: embedder.model,
        dimensions: embedder.dimensions,
        embed: (texts, kind) => this.join("embed", kind, texts) as Promise<Float32Array[]>,
      },
      searchShards,
      vectorStore,
      quotas,
    };
  }

  /** The tenant's quota object with its `admit` and `commit` gathered; its other methods called as they are. */
  private ledger(
    stub: DurableObjectStub<TenantQuotaObject>,
    tenantId: string,
  ): DurableObjectStub<TenantQuotaObject> {
    const gathered: Record<string, (input: unknown) => Promise<unknown>> = {
      admit: async (input) => (await this.join("admit", tenantId, [input]))[0],
      commit: async (input) => (await this.join("commit", tenantId, [input]))[0],
    };
    return new Proxy(stub, {
      get(target, method) {
        if (typeof method === "string" && Object.hasOwn(gathered, method)) return gathered[method];
        // An RPC method is called through the stub (a function taken off it is not one).
        if (typeof method !== "string" || method === "then") return Reflect.get(target, method);
        return (...args: unknown[]) =>
          (target as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
      },
    });
  }

  /** A document of the delivery is done: it makes no more calls. */
  leave(): void {
    this.running--;
    this.sendIfAllWait();
  }

  private join(call: string, key: string, items: unknown[]): Promise<unknown[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ key: `${call}\u0000${key}`, items, resolve, reject });
      this.sendIfAllWait();
    });
  }

  // Each document waits on at most one call at a time (its calls are sequential), so as many calls
  // waiting as documents running means none of them will call again before these are answered.
  private sendIfAllWait(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.running) return;
    const groups = new Map<string, Waiting[]>();
    for (const call of this.waiting) groups.set(call.key, [...(groups.get(call.key) ?? []), call]);
    this.waiting = [];
    for (const [key, calls] of groups) void this.send(key, calls);
  }

  private async send(key: string, calls: Waiting[]): Promise<void> {
    const [call, argument] = key.split("\u0000") as [string, string];
    if (call === "statements") return this.sendStatements(calls);
    try {
      const results = await this.runs[call]!(
        argument,
        calls.flatMap((waiting) => waiting.items),
      );
      let at = 0;
      for (const waiting of calls) {
        waiting.resolve(results.slice(at, at + waiting.items.length));
        at += waiting.items.length;
      }
    } catch (error) {
      for (const waiting of calls) waiting.reject(error);
    }
  }

  /**
   * The documents' statements in batches of whole calls (a document's own batch is never split),
   * at most STATEMENTS_PER_BATCH each unless one call alone holds more. A batch that fails was
   * rolled back whole: each of its calls is sent again alone.
   */
  private async sendStatements(calls: Waiting[]): Promise<void> {
    const groups: Waiting[][] = [];
    let size = 0;
    for (const waiting of calls) {
      const last = groups.at(-1);
      if (last && size + waiting.items.length <= STATEMENTS_PER_BATCH) {
        last.push(waiting);
        size += waiting.items.length;
      } else {
        groups.push([waiting]);
        size = waiting.items.length;
      }
    }
    const run = async (group: Waiting[]) => {
      const results = await this.deps.db.$client.batch(
        group.flatMap((waiting) => waiting.items as D1PreparedStatement[]),
      );
      let at = 0;
      for (const waiting of group) {
        waiting.resolve(results.slice(at, at + waiting.items.length));
        at += waiting.items.length;
      }
    };
    await Promise.all(
      groups.map((group) =>
        run(group).catch(async (error) => {
          if (group.length === 1) return group[0]!.reject(error);
          await Promise.all(group.map((waiting) => run([waiting]).catch(waiting.reject)));
        }),
      ),
    );
  }
}
