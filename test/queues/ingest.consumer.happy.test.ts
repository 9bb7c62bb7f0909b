import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import { batchOf, depsWithEmbedder, fakeMessage, queuedDocument, queuedFile } from "../helpers/ingestion";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

/**
 * An embedder that records which documents' texts it was embedding at the same time. Each call
 * waits until `together` calls are in (or a second has passed, so that one-at-a-time code ends
 * rather than hangs; the test then fails on what was recorded, not on the time).
 */
function overlapRecordingDeps(together: number) {
  const real = depsFor(env).embedder;
  let inFlight = 0;
  let mostInFlight = 0;
  let arrived = 0;
  let release!: () => void;
  const allIn = new Promise<void>((resolve) => {
    release = resolve;
  });
  const deps = depsWithEmbedder(async (texts, kind) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    if (++arrived === together) release();
    await Promise.race([allIn, new Promise((resolve) => setTimeout(resolve, 1000))]);
    try {
      return await real.embed(texts, kind);
    } finally {
      inFlight--;
    }
  });
  return { deps, mostInFlight: () => mostInFlight };
}

/** Dependencies recording the embedder's calls (texts each), shard inserts and vector upserts (tenant each). */
function sharedCallRecordingDeps() {
  const base = depsFor(env);
  const embedded: number[] = [];
  const chunksInserted: { tenantId: string; chunks: number }[] = [];
  const vectorsUpserted: { tenantId: string; records: number }[] = [];
  const searchShards = Object.create(base.searchShards) as Deps["searchShards"];
  searchShards.insertChunks = (tenantId, chunks) => {
    chunksInserted.push({ tenantId, chunks: chunks.length });
    return base.searchShards.insertChunks(tenantId, chunks);
  };
  const vectorStore = Object.create(base.vectorStore) as Deps["vectorStore"];
  vectorStore.upsert = (tenantId, records) => {
    vectorsUpserted.push({ tenantId, records: records.length });
    return base.vectorStore.upsert(tenantId, records);
  };
  const deps = depsWithEmbedder(
    (texts, kind) => {
      embedded.push(texts.length);
      return base.embedder.embed(texts, kind);
    },
    { ...base, searchShards, vectorStore },
  );
  return { deps, embedded, chunksInserted, vectorsUpserted };
}

const statusOf = (id: string) =>
  env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first<string>("status");

it("ingests the small documents of a queue batch side by side, each acknowledged and ready", async () => {
  const tenants = [await createTenant(), await createTenant()];
  const bodies = [
    await queuedDocument(tenants[0]!, "txt/norwich-city.txt"),
    await queuedDocument(tenants[0]!, "md/simple-table.md"),
    await queuedDocument(tenants[1]!, "txt/norwich-city.txt"),
  ];
  const messages = bodies.map((body) => fakeMessage(body));
  const calls = sharedCallRecordingDeps();
  await consumeIngestBatch(batchOf(messages), calls.deps);
  // Side by side: the three documents' texts reached the embedder together, in one call.
  expect(calls.embedded).toHaveLength(1);
  expect(calls.embedded[0]).toBe(calls.chunksInserted.reduce((sum, call) => sum + call.chunks, 0));
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  for (const body of bodies) expect(await statusOf(body.document_id)).toBe("ready");
});

it("shares one embedder call, and one shard insert and one vector upsert per tenant, among a delivery's small documents", async () => {
  const tenants = [await createTenant(), await createTenant()];
  const bodies = [
    await queuedDocument(tenants[0]!, "txt/norwich-city.txt"),
    await queuedDocument(tenants[0]!, "md/simple-table.md"),
    await queuedDocument(tenants[0]!, "txt/norwich-city.txt"),
    await queuedDocument(tenants[1]!, "md/simple-table.md"),
  ];
  const messages = bodies.map((body) => fakeMessage(body));
  const calls = sharedCallRecordingDeps();
  await consumeIngestBatch(batchOf(messages), calls.deps);
  expect(calls.embedded).toHaveLength(1);
  expect(calls.chunksInserted.map((call) => call.tenantId).sort()).toEqual(
    [tenants[0]!.id, tenants[1]!.id].sort(),
  );
  expect(calls.vectorsUpserted.map((call) => call.tenantId).sort()).toEqual(
    [tenants[0]!.id, tenants[1]!.id].sort(),
  );
  // Each document still has its own status, chunks and counts, as if ingested alone.
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  for (const body of bodies) {
    const row = await env.DB.prepare("SELECT status, chunk_count FROM documents WHERE id = ?")
      .bind(body.document_id)
      .first<{ status: string; chunk_count: number }>();
    expect(row!.status).toBe("ready");
    const stored = await shardRows<{ n: number }>(
      body.tenant_id,
      "SELECT count(*) AS n FROM chunks WHERE document_id = ?",
      body.document_id,
    );
    expect(row!.chunk_count).toBe(stored[0]!.n);
    expect(row!.chunk_count).toBeGreaterThan(0);
  }
});

it("ingests a large file's message on its own, after the small ones", async () => {
  const tenant = await createTenant();
  const bodies = [
    await queuedDocument(tenant, "pdf/tracemonkey.pdf"),
    await queuedDocument(tenant, "txt/norwich-city.txt"),
  ];
  const messages = bodies.map((body) => fakeMessage(body));
  const { deps, mostInFlight } = overlapRecordingDeps(bodies.length);
  await consumeIngestBatch(batchOf(messages), deps);
  expect(mostInFlight()).toBe(1);
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  for (const body of bodies) expect(await statusOf(body.document_id)).toBe("ready");
});

it("fails a document of the batch that holds no text alone: the others are ready", async () => {
  const tenant = await createTenant();
  const bodies = [
    await queuedDocument(tenant, "txt/norwich-city.txt"),
    await queuedFile(tenant, "blank.txt", new TextEncoder().encode(" \n\n \n")),
    await queuedDocument(tenant, "md/simple-table.md"),
  ];
  const messages = bodies.map((body) => fakeMessage(body));
  await consumeIngestBatch(batchOf(messages), depsFor(env));
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  const statuses = await Promise.all(bodies.map((body) => statusOf(body.document_id)));
  expect(statuses).toEqual(["ready", "failed", "ready"]);
});
