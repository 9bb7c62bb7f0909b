// Retrieval quality of searchChunks on BEIR SciFact (test split: 5,183 abstracts, 300 claims):
// nDCG@10 and recall@100 of the keyword, vector and hybrid modes over the real D1/FTS5 index and
// the embedded vector store, then a study of other ways to fuse the two lists.
// Run: npx vitest run --config bench/vitest.config.ts bench/search.scifact.bench.test.ts
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Deps, TenantContext } from "../src/context";
import { depsFor } from "../src/deps";
import { batches } from "../src/lib/batches";
import { newId } from "../src/lib/ids";
import { nowIso } from "../src/lib/time";
import { vectorIndexName } from "../src/providers/vector/embedded-store";
import { upsertChunkVectors } from "../src/services/ingestion/ingestion.service";
import { fuseByNormalisedScore, type SearchMode, searchChunks } from "../src/services/search/search.service";
import { documents as documentsTable } from "../src/storage/schema";
import { type BeirSet, loadBeir, meanOver, scoreRankings } from "./beir";
import { corpusChunk, createBenchTenant } from "./bench-tenant";
import { recordBenchResult } from "./record";

const CORPUS_FILES = ["corpus-000.jsonl", "corpus-001.jsonl", "corpus-002.jsonl"];
/** Chunks embedded and upserted together, as one ingestion batch would. */
const EMBED_BATCH = 256;
/** Candidates per list for the fusion study: as many as hybrid fetches at top_k 100. */
const STUDY_POOL = 400;

interface Seeded {
  ctx: TenantContext;
  /** Chunk id → BEIR corpus id. */
  corpusIdOf: Map<string, string>;
}

/**
 * Indexes the corpus as the ingestion pipeline would, minus upload and queue: one document per
 * corpus file, one chunk per abstract (title and text), embedded and upserted in batches.
 */
async function seedCorpus(deps: Deps, data: BeirSet): Promise<Seeded> {
  const { tenant, ctx, collection } = await createBenchTenant(deps, "BEIR SciFact");
  const corpusIdOf = new Map<string, string>();
  for (const file of data.files) {
    const documentId = newId("doc");
    const rows = file.documents.map((doc, position) => {
      const text = `${doc.title}\n${doc.text}`;
      const id = `chk_scifact_${doc.id}`;
      corpusIdOf.set(id, doc.id);
      return corpusChunk({
        id,
        collectionId: collection.id,
        documentId,
        filename: file.name,
        position,
        text,
      });
    });
    const now = nowIso();
    await deps.db.insert(documentsTable).values({
      id: documentId,
      tenantId: tenant.id,
      collectionId: collection.id,
      filename: file.name,
      format: "txt",
      contentType: "text/plain",
      sizeBytes: rows.reduce((sum, row) => sum + row.text.length, 0),
      sha256: file.name, // unique per file is all the duplicate check needs here
      blobKey: `bench/${file.name}`,
      metadata: null,
      status: "ready",
      error: null,
      pageCount: null,
      chunkCount: rows.length,
      tokenCount: rows.reduce((sum, row) => sum + row.tokenCount, 0),
      pagesDone: 0,
      pagesTotal: null,
      generation: 1,
      createdAt: now,
      updatedAt: now,
    });
    await deps.searchShards.insertChunks(tenant.id, rows);
    for (const batch of batches(rows, EMBED_BATCH)) {
      const vectors = await deps.embedder.embed(
        batch.map((row) => row.text),
        "document",
      );
      await upsertChunkVectors(deps, tenant.id, batch, vectors);
    }
  }
  return { ctx, corpusIdOf };
}

interface Run {
  /** Corpus ids, best first, one list per query. */
  ranked: string[][];
  /** Wall time of each query, ms (workerd's clock advances on I/O, which every query does). */
  ms: number[];
}

async function runMode(
  deps: Deps,
  seeded: Seeded,
  data: BeirSet,
  mode: SearchMode,
  topK: number,
): Promise<Run> {
  const run: Run = { ranked: [], ms: [] };
  for (const query of data.queries) {
    const start = performance.now();
    const hits = await searchChunks({ ctx: seeded.ctx, deps, input: { query: query.text, topK, mode } });
    run.ms.push(performance.now() - start);
    run.ranked.push(hits.map((hit) => seeded.corpusIdOf.get(hit.id)!));
  }
  return run;
}

/** The two candidate lists of a query with their raw scores, fetched once for every fusion variant. */
interface Candidates {
  keyword: { id: string; score: number }[];
  vector: { id: string; score: number }[];
}

async function fetchCandidates(deps: Deps, seeded: Seeded, text: string, pool: number): Promise<Candidates> {
  const { tenantId } = seeded.ctx;
  const [byText, [queryVector]] = await Promise.all([
    deps.searchShards.search(
      { tenantId },
      {
        mode: "keyword",
        text,
        topK: pool,
        candidates: pool,
        keywordWeight: 1,
      },
    ),
    deps.embedder.embed([text], "query"),
  ]);
  const byVector = await deps.vectorStore.query(tenantId, { vector: queryVector!, topK: pool });
  const corpusId = (id: string) => seeded.corpusIdOf.get(id)!;
  return {
    keyword: byText.map((hit) => ({ id: corpusId(hit.id), score: hit.score })),
    vector: byVector.map((match) => ({ id: corpusId(match.id), score: match.score })),
  };
}

type Fusion = (candidates: Candidates) => string[];

/** Reciprocal rank fusion over the first `pool` of each list, the vector list's votes weighted. */
const weightedRrf =
  (pool: number, vectorWeight: number, k = 60): Fusion =>
  ({ keyword, vector }) => {
    const scores = new Map<string, number>();
    const vote = (list: { id: string }[], weight: number) =>
      list.slice(0, pool).forEach(({ id }, rank) => {
        scores.set(id, (scores.get(id) ?? 0) + weight / (k + rank + 1));
      });
    vote(keyword, 1);
    vote(vector, vectorWeight);
    return [...scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  };

/** Convex combination of min-max normalised scores (bm25 and cosine) over the first `pool` of each list, as hybrid does. */
const convex =
  (pool: number, keywordWeight: number): Fusion =>
  ({ keyword, vector }) =>
    fuseByNormalisedScore(keyword.slice(0, pool), vector.slice(0, pool), keywordWeight).map(({ id }) => id);

/** Published nDCG@10 on SciFact, printed beside ours (BEIR paper and README, Anserini regressions). */
const PUBLISHED_ANCHORS = {
  "BEIR BM25 (Elasticsearch)": 0.665,
  "Anserini BM25 flat": 0.6789,
  "BM25 + cross-encoder reranking (BEIR)": 0.688,
};

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!;
const latency = (ms: number[]) =>
  `mean ${meanOver(ms, (t) => t).toFixed(1)} ms, p50 ${percentile(ms, 0.5).toFixed(0)} ms, p95 ${percentile(ms, 0.95).toFixed(0)} ms`;

it("searchChunks on BEIR SciFact: nDCG@10 and recall@100 per mode, and fusion variants", async () => {
  const deps = depsFor(env);
  let start = performance.now();
  const data = await loadBeir("beir-scifact", CORPUS_FILES);
  const documents = data.files.reduce((sum, file) => sum + file.documents.length, 0);
  console.log(
    `SciFact: ${documents} abstracts, ${data.queries.length} judged queries, loaded in ${(performance.now() - start).toFixed(0)} ms`,
  );

  start = performance.now();
  const seeded = await seedCorpus(deps, data);
  const stats = await env.SEARCH_SHARD.getByName(vectorIndexName(seeded.ctx.tenantId)).stats();
  console.log(
    `indexed ${seeded.corpusIdOf.size} chunks (${stats.count} vectors of ${stats.dimensions}, ` +
      `${deps.embedder.model}) in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  expect(stats.count).toBe(documents);

  const scores = new Map<SearchMode, { ndcg10: number; recall100: number; p50Ms: number; p95Ms: number }>();
  for (const mode of ["keyword", "vector", "hybrid"] as const) {
    const top10 = await runMode(deps, seeded, data, mode, 10);
    const top100 = await runMode(deps, seeded, data, mode, 100);
    const { ndcg10 } = scoreRankings(data, top10.ranked);
    const { recall100 } = scoreRankings(data, top100.ranked);
    scores.set(mode, {
      ndcg10,
      recall100,
      p50Ms: percentile(top10.ms, 0.5),
      p95Ms: percentile(top10.ms, 0.95),
    });
    console.log(
      `${mode.padEnd(7)}  nDCG@10 ${ndcg10.toFixed(4)}  R@100 ${recall100.toFixed(4)}  ` +
        `| top_k 10: ${latency(top10.ms)} | top_k 100: ${latency(top100.ms)}`,
    );
  }

  for (const [anchor, ndcg10] of Object.entries(PUBLISHED_ANCHORS)) {
    console.log(`anchor   nDCG@10 ${ndcg10.toFixed(4)}  ${anchor}`);
  }
  await recordBenchResult("search", {
    dataset: "BEIR SciFact test (5,183 abstracts, 300 queries)",
    embedder: deps.embedder.model,
    modes: Object.fromEntries(scores),
    anchors: PUBLISHED_ANCHORS,
  });

  // Fusion study: both lists fetched once per query with STUDY_POOL candidates, then fused offline.
  start = performance.now();
  const candidates: Candidates[] = [];
  for (const query of data.queries)
    candidates.push(await fetchCandidates(deps, seeded, query.text, STUDY_POOL));
  console.log(
    `fusion study: ${STUDY_POOL} candidates per list fetched in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  const variants: [string, Fusion][] = [
    ["keyword list alone", (c) => c.keyword.map((x) => x.id)],
    ["vector list alone", (c) => c.vector.map((x) => x.id)],
  ];
  // Pools: 20 is hybrid's at chat's default top_k 5, 40 at top_k 10, 400 at top_k 100.
  for (const pool of [20, 40, 100, 400]) {
    for (const weight of [1, 0.5, 0.2, 0.1]) {
      variants.push([`RRF pool ${pool}, vector weight ${weight}`, weightedRrf(pool, weight)]);
    }
    for (const weight of [0.5, 0.8, 0.9, 0.95]) {
      variants.push([`min-max pool ${pool}, keyword weight ${weight}`, convex(pool, weight)]);
    }
  }
  for (const [name, fusion] of variants) {
    const { ndcg10, recall100 } = scoreRankings(data, candidates.map(fusion));
    console.log(`  ${name.padEnd(36)} nDCG@10 ${ndcg10.toFixed(4)}  R@100 ${recall100.toFixed(4)}`);
  }

  // Loose floors: well under these, tokenisation, ingestion or scoring is broken (BM25 is about 0.66).
  expect(scores.get("keyword")!.ndcg10).toBeGreaterThan(0.6);
  expect(scores.get("keyword")!.recall100).toBeGreaterThan(0.85);
  expect(scores.get("vector")!.ndcg10).toBeGreaterThan(0.35);
  // The default fusion is never worse than its better list here (docs/benchmarks.md), up to noise.
  const better = Math.max(scores.get("keyword")!.ndcg10, scores.get("vector")!.ndcg10);
  expect(scores.get("hybrid")!.ndcg10).toBeGreaterThan(better - 0.005);
});
