import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { ingestDocumentBatch } from "../../src/services/ingestion/ingestion.service";
import { databaseFor } from "../../src/storage/db";
import type { SearchShards } from "../../src/storage/search-shard/search-shards";
import { depsDroppingMessages, queuedDocument, queuedFile } from "../helpers/ingestion";
import { pagesPdf } from "../helpers/pages-pdf";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

/** The test database, recording the SQL of every statement prepared on it, in order. */
function recordingD1(statements: string[]): D1Database {
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          statements.push(query);
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** `base` recording the name of every call made to the search shards, in order. */
function recordingShards(base: SearchShards, calls: string[]): SearchShards {
  return new Proxy(base, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        calls.push(prop);
        return value.apply(target, args);
      };
    },
  });
}

/** Dependencies whose D1 statements and shard calls are recorded, with a queue that drops messages. */
function recordingDeps() {
  const statements: string[] = [];
  const shardCalls: string[] = [];
  const { deps: base, sent } = depsDroppingMessages();
  const deps: Deps = {
    ...base,
    db: databaseFor(recordingD1(statements)),
    searchShards: recordingShards(base.searchShards, shardCalls),
  };
  return { deps, sent, statements, shardCalls };
}

const documentRow = (id: string) =>
  env.DB.prepare(
    "SELECT status, chunk_count, token_count, pages_done, page_count FROM documents WHERE id = ?",
  )
    .bind(id)
    .first();

/** The document's totals as its tenant's shard holds them. */
async function shardTotals(tenantId: string, documentId: string) {
  const [row] = await shardRows<{ chunks: number; tokens: number }>(
    tenantId,
    "SELECT count(*) AS chunks, sum(token_count) AS tokens FROM chunks WHERE document_id = ?",
    documentId,
  );
  return row!;
}

// The statements on the document's own row (documents by id), leaving out the tenant's and the quota's.
const onDocumentRow = (statements: string[]) => ({
  reads: statements.filter((sql) => /^select .* from "documents"/i.test(sql)).length,
  writes: statements.filter((sql) => /^update "documents"/i.test(sql)).length,
});

it("makes a document of one message ready reading its row once, writing it twice, and counting its chunks without the shard", async () => {
  const tenant = await createTenant();
  const message = await queuedDocument(tenant, "txt/norwich-city.txt");
  const { deps, statements, shardCalls } = recordingDeps();
  await ingestDocumentBatch({
    ctx: { tenantId: tenant.id },
    deps,
    input: { documentId: message.document_id, generation: message.generation, batch: 0 },
  });
  // The lease reads the row as it takes it; the last write records progress and readiness at once.
  // The second read is the check, after the writes to the shard, that no reindex or deletion overtook it.
  expect(onDocumentRow(statements)).toEqual({ reads: 1, writes: 2 });
  expect(shardCalls).toEqual(["insertChunks"]);
  // The totals are the shard's own, and progress is recorded with readiness.
  const totals = await shardTotals(tenant.id, message.document_id);
  expect(totals.chunks).toBeGreaterThan(0);
  const row = await documentRow(message.document_id);
  expect(row).toMatchObject({ status: "ready", chunk_count: totals.chunks, token_count: totals.tokens });
  expect(row!.pages_done).toBe(row!.page_count);
});

it("still recounts a document of several messages in the shard, on its last message", async () => {
  const tenant = await createTenant();
  const first = await queuedFile(tenant, "pages.pdf", pagesPdf(["text", "text"]));
  const { deps: base, sent, shardCalls } = recordingDeps();
  const deps: Deps = {
    ...base,
    config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 1 } },
  };
  let message = first;
  for (let batch = 0; batch < 2; batch++) {
    await ingestDocumentBatch({
      ctx: { tenantId: tenant.id },
      deps,
      input: {
        documentId: message.document_id,
        generation: message.generation,
        batch: message.batch,
        firstPage: message.first_page,
      },
    });
    if (batch === 0) message = sent().at(-1)!;
  }
  expect(shardCalls).toEqual(["insertChunks", "insertChunks", "chunkTotals"]);
  const totals = await shardTotals(tenant.id, first.document_id);
  expect(await documentRow(first.document_id)).toMatchObject({
    status: "ready",
    chunk_count: totals.chunks,
    token_count: totals.tokens,
    pages_done: 2,
    page_count: 2,
  });
});
