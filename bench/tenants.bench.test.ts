// Many tenants in one deployment: ingestion and search latency when the platform holds TENANTS
// tenants of CHUNKS_PER_TENANT chunks each (SciFact abstracts, each tenant a different slice).
// Search goes through the API (POST /api/v1/search), as a client would call it.
// Run: npx vitest run --config bench/vitest.config.ts bench/tenants.bench.test.ts
import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Deps, TenantContext } from "../src/context";
import { depsFor } from "../src/deps";
import { batches } from "../src/lib/batches";
import { newId } from "../src/lib/ids";
import { nowIso } from "../src/lib/time";
import { upsertChunkVectors } from "../src/services/ingestion/ingestion.service";
import { documents } from "../src/storage/schema";
import type { ShardChunk } from "../src/storage/search-shard/search-shard.interface";
import { type BeirDocument, loadBeir } from "./beir";
import { corpusChunk, createBenchTenant } from "./bench-tenant";

const TENANTS = 50;
const CHUNKS_PER_TENANT = 1_000;
/** Chunks stored together, as one ingestion batch would. */
const BATCH = 100;
/** Tenants whose search is measured, and queries per tenant and setting. */
const MEASURED_TENANTS = 10;
const QUERIES = 20;

/** Stores one batch of a tenant's chunks with their vectors: the write path of ingestion. */
async function storeChunks(deps: Deps, tenantId: string, rows: ShardChunk[], vectors: Float32Array[]) {
  await deps.searchShards.insertChunks(tenantId, rows);
  await upsertChunkVectors(deps, tenantId, rows, vectors);
}

async function seedTenant(
  deps: Deps,
  n: number,
  corpus: { doc: BeirDocument; vector: Float32Array }[],
): Promise<{ ctx: TenantContext; batchMs: number[] }> {
  const { tenant, ctx, collection } = await createBenchTenant(deps, `Tenant ${n}`);
  const documentId = newId("doc");
  const now = nowIso();
  await deps.db.insert(documents).values({
    id: documentId,
    tenantId: tenant.id,
    collectionId: collection.id,
    filename: `slice-${n}.txt`,
    format: "txt",
    contentType: "text/plain",
    sizeBytes: 0,
    sha256: `slice-${n}`,
    blobKey: `bench/slice-${n}`,
    metadata: null,
    status: "ready",
    error: null,
    pageCount: null,
    chunkCount: CHUNKS_PER_TENANT,
    tokenCount: 0,
    pagesDone: 0,
    pagesTotal: null,
    generation: 1,
    createdAt: now,
    updatedAt: now,
  });
  // Each tenant a different slice of the corpus: tenants share vocabulary, not chunks.
  const first = (n * 997) % corpus.length;
  const slice = Array.from({ length: CHUNKS_PER_TENANT }, (_, i) => corpus[(first + i) % corpus.length]!);
  const batchMs: number[] = [];
  for (const [b, batch] of batches(slice, BATCH).entries()) {
    const rows = batch.map(({ doc }, i) =>
      corpusChunk({
        id: `chk_${n}_${doc.id}`,
        collectionId: collection.id,
        documentId,
        filename: `slice-${n}.txt`,
        position: b * BATCH + i,
        text: `${doc.title}\n${doc.text}`,
      }),
    );
    const start = performance.now();
    await storeChunks(
      deps,
      tenant.id,
      rows,
      batch.map(({ vector }) => vector),
    );
    batchMs.push(performance.now() - start);
  }
  return { ctx, batchMs };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!;
const p50p95 = (ms: number[]) =>
  `p50 ${percentile(ms, 0.5).toFixed(1)} ms, p95 ${percentile(ms, 0.95).toFixed(1)} ms`;

async function searchLatency(tenantIds: string[], queries: string[], mode: string, topK: number) {
  const ms: number[] = [];
  for (const tenantId of tenantIds) {
    for (const query of queries) {
      const start = performance.now();
      const response = await exports.default.fetch(
        new Request("http://ancre.test/api/v1/search", {
          method: "POST",
          headers: { "content-type": "application/json", "x-tenant-id": tenantId },
          body: JSON.stringify({ query, top_k: topK, mode }),
        }),
      );
      const body = (await response.json()) as { results: unknown[] };
      ms.push(performance.now() - start);
      expect(response.status).toBe(200);
      expect(body.results.length).toBeGreaterThan(0);
    }
  }
  return ms;
}

async function reportSearch(label: string, tenantIds: string[], queries: string[]) {
  for (const mode of ["keyword", "hybrid"]) {
    for (const topK of [10, 50]) {
      const ms = await searchLatency(tenantIds, queries, mode, topK);
      console.log(
        `${label} ${mode.padEnd(7)} top_k ${String(topK).padEnd(2)}: ${p50p95(ms)} (${ms.length} searches)`,
      );
    }
  }
}

it(
  `${TENANTS} tenants of ${CHUNKS_PER_TENANT} chunks: ingestion and search latency`,
  async () => {
    const deps = depsFor(env);
    const data = await loadBeir("beir-scifact", ["corpus-000.jsonl", "corpus-001.jsonl", "corpus-002.jsonl"]);
    const docs = data.files.flatMap((file) => file.documents);
    // Embedding costs the same in any layout: embed the corpus once and reuse the vectors.
    const vectors: Float32Array[] = [];
    for (const batch of batches(docs, 256)) {
      vectors.push(
        ...(await deps.embedder.embed(
          batch.map((doc) => `${doc.title}\n${doc.text}`),
          "document",
        )),
      );
    }
    const corpus = docs.map((doc, i) => ({ doc, vector: vectors[i]! }));
    const queries = data.queries.slice(0, QUERIES).map((query) => query.text);

    const tenants: TenantContext[] = [];
    const batchMs: number[] = [];
    const started = performance.now();
    for (let n = 0; n < TENANTS; n++) {
      const seeded = await seedTenant(deps, n, corpus);
      tenants.push(seeded.ctx);
      batchMs.push(...seeded.batchMs);
      if (n === 0) await reportSearch("1 tenant:  ", [seeded.ctx.tenantId], queries);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `filled ${TENANTS} × ${CHUNKS_PER_TENANT} chunks in ${seconds.toFixed(1)} s ` +
        `(${((TENANTS * CHUNKS_PER_TENANT) / seconds).toFixed(0)} chunks/s); ` +
        `store a batch of ${BATCH} chunks with vectors: ${p50p95(batchMs)}`,
    );
    const step = Math.floor(TENANTS / MEASURED_TENANTS);
    const measured = tenants.filter((_, i) => i % step === 0).slice(0, MEASURED_TENANTS);
    await reportSearch(
      `${TENANTS} tenants:`,
      measured.map((ctx) => ctx.tenantId),
      queries,
    );
  },
  60 * 60_000,
); // about half an hour on a loaded 2-core machine
