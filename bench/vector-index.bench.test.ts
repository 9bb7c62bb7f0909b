// The embedded vector index at 10,000, 50,000 and 100,000 vectors of 512 dimensions (its target
// size) for one tenant. Prints upsert throughput, cold load and query latency, and the memory held
// by the scan copy. Run: npm run bench -- vector-index
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, expect, it } from "vitest";
import { EmbeddedVectorStore, vectorIndexName } from "../src/providers/vector/embedded-store";
import { recordBenchResult } from "./record";

const SIZES = [10_000, 50_000, 100_000];
const DIMENSIONS = 512;
const BATCH = 1000;
const QUERIES = 50;
const TOP_K = 10;

/** The i-th vector, regenerated on demand so that the bench never holds all of them. */
function vectorAt(i: number): Float32Array {
  let state = (i + 1) * 2654435761;
  const vector = new Float32Array(DIMENSIONS);
  for (let d = 0; d < DIMENSIONS; d++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector[d] = (state >>> 0) / 2 ** 32 - 0.5;
  }
  return vector;
}

function exactTopK(count: number, query: Float32Array, k: number): string[] {
  const best: { id: string; score: number }[] = [];
  for (let i = 0; i < count; i++) {
    const vector = vectorAt(i);
    let dot = 0;
    let norm = 0;
    for (let d = 0; d < DIMENSIONS; d++) {
      dot += vector[d]! * query[d]!;
      norm += vector[d]! * vector[d]!;
    }
    const score = dot / Math.sqrt(norm);
    if (best.length < k || score > best[best.length - 1]!.score) {
      best.push({ id: `chunk_${i}`, score });
      best.sort((a, b) => b.score - a.score);
      best.length = Math.min(best.length, k);
    }
  }
  return best.map((entry) => entry.id);
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

const figures: Record<string, unknown>[] = [];
afterAll(() => recordBenchResult("vector-index", { dimensions: DIMENSIONS, topK: TOP_K, sizes: figures }));

it.each(SIZES)(`embedded index: %i × ${DIMENSIONS}`, async (count) => {
  const store = new EmbeddedVectorStore(env.SEARCH_SHARD);
  const tenant = `ten_bench${Date.now()}`;
  const stub = env.SEARCH_SHARD.getByName(vectorIndexName(tenant));

  let start = Date.now();
  for (let from = 0; from < count; from += BATCH) {
    await store.upsert(
      tenant,
      Array.from({ length: BATCH }, (_, j) => ({
        id: `chunk_${from + j}`,
        tenantId: tenant,
        collectionId: `col_${(from + j) % 4}`,
        documentId: `doc_${Math.floor((from + j) / 50)}`,
        vector: vectorAt(from + j),
      })),
    );
  }
  const upsertMs = Date.now() - start;
  console.log(
    `upsert: ${count} vectors in ${(upsertMs / 1000).toFixed(1)} s = ${Math.round(count / (upsertMs / 1000))} vectors/s`,
  );

  const queries = Array.from({ length: QUERIES }, (_, q) => vectorAt(count + 1000 + q));
  start = Date.now();
  await store.query(tenant, { vector: queries[0]!, topK: TOP_K });
  console.log(`first query (loads the int8 copy from SQLite): ${Date.now() - start} ms`);
  const stats = await stub.stats();
  console.log(
    `index: ${stats.count} vectors of ${stats.dimensions}, scan copy in memory ${mb(stats.memoryBytes)}`,
  );

  const latencies: Record<string, { p50Ms: number; p95Ms: number }> = {};
  for (const collectionIds of [undefined, ["col_1"]]) {
    const times: number[] = [];
    for (const query of queries) {
      const t = Date.now();
      await store.query(tenant, { vector: query, topK: TOP_K, collectionIds });
      times.push(Date.now() - t);
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    latencies[collectionIds ? "oneOfFourCollections" : "all"] = {
      p50Ms: percentile(times, 0.5),
      p95Ms: percentile(times, 0.95),
    };
    console.log(
      `query top ${TOP_K}${collectionIds ? " in 1 of 4 collections" : ""}: mean ${mean.toFixed(1)} ms, ` +
        `p50 ${percentile(times, 0.5)} ms, p95 ${percentile(times, 0.95)} ms (${QUERIES} queries)`,
    );
  }

  let agreed = 0;
  for (const query of queries.slice(0, 3)) {
    const found = (await store.query(tenant, { vector: query, topK: TOP_K })).map((match) => match.id);
    const exact = exactTopK(count, query, TOP_K);
    agreed += found.filter((id) => exact.includes(id)).length;
  }
  const recall = agreed / (3 * TOP_K);
  console.log(`recall@${TOP_K} against exact brute force (3 queries): ${recall.toFixed(3)}`);

  start = Date.now();
  await store.upsert(tenant, [
    { id: "chunk_extra", tenantId: tenant, collectionId: "col_0", documentId: "doc_x", vector: queries[1]! },
  ]);
  await store.deleteByDocument(tenant, "doc_0");
  console.log(`one upsert and one document delete on the loaded index: ${Date.now() - start} ms`);

  await evictDurableObject(stub);
  start = Date.now();
  const top = await store.query(tenant, { vector: queries[1]!, topK: TOP_K });
  const reloadMs = Date.now() - start;
  console.log(`query after eviction (reload of ${count} vectors): ${reloadMs} ms`);
  figures.push({
    vectors: count,
    upsertPerSecond: Math.round(count / (upsertMs / 1000)),
    scanCopyMb: Number((stats.memoryBytes / 2 ** 20).toFixed(1)),
    query: latencies,
    queryAfterEvictionMs: reloadMs,
    recallAt10: recall,
  });
  expect(top[0]!.id).toBe("chunk_extra");
  expect(recall).toBeGreaterThanOrEqual(0.9);
});
