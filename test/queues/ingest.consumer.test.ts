import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { ProviderError } from "../../src/providers/errors";
import { consumeDeadLetters, consumeIngestBatch, retryDelaySeconds } from "../../src/queues/ingest.consumer";
import type { IngestMessage } from "../../src/queues/messages";
import { ingestDocumentBatch } from "../../src/services/ingestion/ingestion.service";
import {
  batchOf,
  depsDroppingMessages,
  depsWithEmbedder,
  fakeMessage,
  queuedDocument,
} from "../helpers/ingestion";
import { shardChunkIds } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

const documentRow = (id: string) =>
  env.DB.prepare("SELECT status, error, error_code, chunk_count FROM documents WHERE id = ?")
    .bind(id)
    .first<Record<string, unknown>>();

describe("ingestion pipeline", () => {
  it("re-delivers a batch without duplicating anything, and progresses batch by batch", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant, "pdf/tracemonkey.pdf");
    const send = vi.fn();
    const real = depsFor(env);
    const deps: Deps = {
      ...real,
      ingestQueue: { send } as unknown as Deps["ingestQueue"],
      config: { ...real.config, ingest: { ...real.config.ingest, pagesPerBatch: 5 } },
    };
    const chunkIds = () => shardChunkIds(message.tenant_id, message.document_id);

    const ctx = { tenantId: message.tenant_id };
    const input = { documentId: message.document_id, generation: message.generation, batch: 0 };
    await ingestDocumentBatch({ ctx, deps, input });
    const once = await chunkIds();
    expect(once.length).toBeGreaterThan(0);
    await ingestDocumentBatch({ ctx, deps, input });
    expect(await chunkIds()).toEqual(once);
    // Each delivery of batch 0 asks for batch 1: both copies are harmless for the same reason.
    expect(send.mock.calls.map(([next]) => (next as IngestMessage).batch)).toEqual([1, 1]);
    const row = await documentRow(message.document_id);
    expect(row).toMatchObject({ status: "processing" });
    const progress = await env.DB.prepare("SELECT pages_done, pages_total FROM documents WHERE id = ?")
      .bind(message.document_id)
      .first();
    expect(progress).toEqual({ pages_done: 5, pages_total: 14 });

    for (let batch = 1; batch <= 2; batch++)
      await ingestDocumentBatch({ ctx, deps, input: { ...input, batch } });
    expect(await documentRow(message.document_id)).toMatchObject({
      status: "ready",
      chunk_count: (await chunkIds()).length,
    });
  });

  it("does not reopen a finished document when a late copy of a batch arrives", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const { deps, sent } = depsDroppingMessages();
    const ctx = { tenantId: message.tenant_id };
    const input = { documentId: message.document_id, generation: message.generation, batch: 0 };
    await ingestDocumentBatch({ ctx, deps, input });
    const ready = await documentRow(message.document_id);
    expect(ready).toMatchObject({ status: "ready" });

    await ingestDocumentBatch({ ctx, deps, input });
    expect(await documentRow(message.document_id)).toEqual(ready);
    expect(sent()).toEqual([]);
  });
});

describe("ingestion consumer", () => {
  it("retries a transient provider failure with backoff, then succeeds", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const real = depsFor(env).embedder;
    let calls = 0;
    const deps = depsWithEmbedder(async (texts, kind) => {
      if (++calls === 1) throw new ProviderError("embeddings", true, "rate limited (429)", { status: 429 });
      return real.embed(texts, kind);
    });
    const first = fakeMessage(message, 1);
    await consumeIngestBatch(batchOf([first]), deps);
    expect(first.retry).toHaveBeenCalledWith({ delaySeconds: expect.any(Number) });
    expect(first.ack).not.toHaveBeenCalled();

    const second = fakeMessage(message, 2);
    await consumeIngestBatch(batchOf([second]), deps);
    expect(second.ack).toHaveBeenCalled();
    expect(await documentRow(message.document_id)).toMatchObject({ status: "ready" });
  });

  it("fails the document once transient failures exhaust the attempts", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const deps = depsWithEmbedder(async () => {
      throw new ProviderError("embeddings", true, "service unavailable (503)", { status: 503 });
    });
    const last = fakeMessage(message, 5);
    await consumeIngestBatch(batchOf([last]), deps);
    expect(last.ack).toHaveBeenCalled();
    const row = await documentRow(message.document_id);
    expect(row?.status).toBe("failed");
    expect(row?.error).toContain("after 5 attempts");
    expect(row?.error).toContain("503");
  });

  it("fails at once on a permanent provider error", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const deps = depsWithEmbedder(async () => {
      throw new ProviderError("embeddings", false, "invalid API key (401)", { status: 401 });
    });
    const only = fakeMessage(message, 1);
    await consumeIngestBatch(batchOf([only]), deps);
    expect(only.retry).not.toHaveBeenCalled();
    expect(await documentRow(message.document_id)).toMatchObject({
      status: "failed",
      error_code: "model_failed",
    });
  });

  it("acknowledges and drops a message whose body is invalid", async () => {
    const invalid = fakeMessage({ kind: "ingest", document_id: 42 });
    await consumeIngestBatch(batchOf([invalid]), depsFor(env));
    expect(invalid.ack).toHaveBeenCalled();
    expect(invalid.retry).not.toHaveBeenCalled();
  });

  it("ignores a stale message of an older generation", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const stale = fakeMessage({ ...message, generation: message.generation + 1 });
    await consumeIngestBatch(batchOf([stale]), depsFor(env));
    expect(stale.ack).toHaveBeenCalled();
    expect(await documentRow(message.document_id)).toMatchObject({ status: "queued", chunk_count: 0 });
  });

  it("marks what reaches the dead-letter queue as failed", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant);
    const dead = fakeMessage(message, 6);
    await consumeDeadLetters(batchOf([dead], "ancre-ingest-dlq"), depsFor(env));
    expect(dead.ack).toHaveBeenCalled();
    const row = await documentRow(message.document_id);
    expect(row).toMatchObject({ status: "failed", error_code: "ingestion_abandoned" });
    expect(row?.error).toContain("abandoned");
  });

  it("backs off exponentially with jitter, capped", () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(300, 5 * 2 ** (attempt - 1));
      const delay = retryDelaySeconds(attempt);
      expect(delay).toBeGreaterThanOrEqual(Math.max(1, Math.floor(ceiling / 2)));
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});
