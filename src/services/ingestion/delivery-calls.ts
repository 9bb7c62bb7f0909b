import type { Deps } from "../../context";
import type { VectorRecord } from "../../providers/vector/types";
import type { ShardChunk } from "../../storage/search-shard/search-shard.interface";
import type { SearchShards } from "../../storage/search-shard/search-shards";

/** One call a document made, waiting for the delivery's shared call of its kind. */
interface Waiting {
  /** The shared call it joins: the embedder's kind, or the tenant of a shard or vector write. */
  key: string;
  items: unknown[];
  resolve: (results: unknown[]) => void;
  reject: (error: unknown) => void;
}

type Run = (key: string, items: unknown[]) => Promise<unknown[]>;

/**
 * The embedder, shard and vector calls of the documents a queue delivery ingests side by side,
 * gathered: each document's call waits until every document still running waits on one too, then
 * the calls go out once per kind (texts embedded in one call, chunks and vectors written in one
 * call per tenant) and each document takes back its own share. Everything else (its lease, quota,
 * status, usage, webhook and failure) stays the document's own; a shared call that fails fails
 * each of the calls it held, and each document's message then retries or fails on its own.
 * No document waits for ever: one that ends `leave`s, and when the others all wait, their calls go out.
 */
export class DeliveryCalls {
  private waiting: Waiting[] = [];
  private readonly runs: Record<string, Run>;

  constructor(
    private running: number,
    private readonly deps: Pick<Deps, "embedder" | "searchShards" | "vectorStore">,
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
    };
  }

  /** The delivery's dependencies with the embedder, shard inserts and vector upserts gathered. */
  depsOf<D extends Pick<Deps, "embedder" | "searchShards" | "vectorStore">>(deps: D): D {
    const embedder = deps.embedder;
    const searchShards = Object.create(deps.searchShards) as SearchShards;
    searchShards.insertChunks = async (tenantId, chunks) => {
      await this.join("chunks", tenantId, chunks);
    };
    const vectorStore = Object.create(deps.vectorStore) as Deps["vectorStore"];
    vectorStore.upsert = async (tenantId, records) => {
      await this.join("vectors", tenantId, records);
    };
    return {
      ...deps,
      embedder: {
        model: embedder.model,
        dimensions: embedder.dimensions,
        embed: (texts, kind) => this.join("embed", kind, texts) as Promise<Float32Array[]>,
      },
      searchShards,
      vectorStore,
    };
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
}
