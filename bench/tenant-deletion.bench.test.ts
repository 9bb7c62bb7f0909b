// A tenant's deletion at a realistic size: 500 documents (10,000 chunks), 200 conversations
// (2,000 messages), 5,000 usage events, 500 files in R2 and 10,000 vectors of 512 dimensions.
// Prints the messages the job takes, its total time and its slowest message.
// Run: npx vitest run --config bench/vitest.config.ts bench/tenant-deletion.bench.test.ts
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Deps } from "../src/context";
import { depsFor } from "../src/deps";
import type { QueueMessage, TenantDeletionMessage } from "../src/queues/messages";
import { runTenantDeletionStep } from "../src/services/tenants/delete-tenant";
import { originalKey } from "../src/storage/blob-store";
import { markTenantDeleting } from "../src/storage/repositories/tenant-deletion.repo";
import { d1RowsMentioning, r2KeysOf } from "../test/helpers/tenant-stores";
import { createAssistant, createCollection, createTenant } from "../test/helpers/tenants";

const DOCUMENTS = 500;
const CHUNKS_PER_DOCUMENT = 20;
const CONVERSATIONS = 200;
const MESSAGES_PER_CONVERSATION = 10;
const USAGE_EVENTS = 5000;
const VECTORS = 10_000;
const DIMENSIONS = 512;

/** Rows generated in SQL (a recursive counter), so seeding takes seconds rather than minutes. */
const counted = (n: number) =>
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1})`;

async function seed(tenantId: string, collectionId: string, assistantId: string, deps: Deps) {
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare(
      `${counted(DOCUMENTS)} INSERT INTO documents (id, tenant_id, collection_id, filename, format, content_type,
         size_bytes, sha256, blob_key, status, created_at, updated_at)
       SELECT 'doc_b' || i, ?1, ?2, 'f' || i || '.txt', 'txt', 'text/plain', 100, 'sha' || i,
         'tenants/' || ?1 || '/documents/doc_b' || i || '/original', 'ready', ?3, ?3 FROM n`,
    ).bind(tenantId, collectionId, now),
    env.DB.prepare(
      `${counted(DOCUMENTS * CHUNKS_PER_DOCUMENT)} INSERT INTO chunks (id, tenant_id, collection_id, document_id,
         position, text, token_count, generation)
       SELECT 'chk_b' || i, ?1, ?2, 'doc_b' || (i / ${CHUNKS_PER_DOCUMENT}), i % ${CHUNKS_PER_DOCUMENT},
         'chunk text number ' || i || ' about deleting tenants', 8, 1 FROM n`,
    ).bind(tenantId, collectionId),
    env.DB.prepare(
      `${counted(CONVERSATIONS)} INSERT INTO conversations (id, tenant_id, assistant_id, title, created_at, updated_at)
       SELECT 'cnv_b' || i, ?1, ?2, 'title', ?3, ?3 FROM n`,
    ).bind(tenantId, assistantId, now),
    env.DB.prepare(
      `${counted(CONVERSATIONS * MESSAGES_PER_CONVERSATION)} INSERT INTO messages (id, tenant_id, conversation_id,
         role, content, status, created_at, updated_at)
       SELECT 'msg_b' || i, ?1, 'cnv_b' || (i / ${MESSAGES_PER_CONVERSATION}), 'user', 'hello', 'complete', ?2, ?2 FROM n`,
    ).bind(tenantId, now),
    env.DB.prepare(
      `${counted(USAGE_EVENTS)} INSERT INTO usage_events (id, tenant_id, metric, amount, period_start, at)
       SELECT 'use_b' || i, ?1, 'chat_messages', 1, '', ?2 FROM n`,
    ).bind(tenantId, now),
  ]);
  for (let i = 0; i < DOCUMENTS; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, j) => env.FILES.put(originalKey(tenantId, `doc_b${i + j}`), "original")),
    );
  }
  for (let i = 0; i < VECTORS; i += 1000) {
    await deps.vectorStore.upsert(
      tenantId,
      Array.from({ length: 1000 }, (_, j) => ({
        id: `chk_b${i + j}`,
        tenantId,
        collectionId,
        documentId: `doc_b${Math.floor((i + j) / CHUNKS_PER_DOCUMENT)}`,
        vector: Float32Array.from({ length: DIMENSIONS }, (_, d) => Math.sin(i + j + d)),
      })),
    );
  }
}

it("deletes a tenant of 500 documents, 10,000 chunks and vectors, 200 conversations", async () => {
  const tenant = await createTenant("Bench Ltd");
  const collection = await createCollection(tenant);
  const assistant = await createAssistant(tenant, [collection.id]);
  const sent: QueueMessage[] = [];
  const deps: Deps = {
    ...depsFor(env),
    ingestQueue: {
      send: async (body: QueueMessage) => void sent.push(body),
    } as unknown as Deps["ingestQueue"],
  };
  await seed(tenant.id, collection.id, assistant.id, deps);
  expect((await r2KeysOf(tenant.id)).length).toBe(DOCUMENTS);

  await markTenantDeleting(deps.db, tenant.id, new Date().toISOString());
  sent.push({ kind: "tenant_deletion", tenant_id: tenant.id, step: "billing" });
  const perStep = new Map<string, { messages: number; ms: number }>();
  let slowest = { step: "", ms: 0 };
  const started = performance.now();
  while (sent.length > 0) {
    const { step: name, final } = sent.shift() as TenantDeletionMessage;
    const t0 = performance.now();
    await runTenantDeletionStep({ ctx: { tenantId: tenant.id }, deps, input: { step: name, final } });
    const ms = performance.now() - t0;
    // The final pass (queued with a delay when deployed; at once here) is reported on its own.
    const step = final ? `final ${name}` : name;
    const entry = perStep.get(step) ?? { messages: 0, ms: 0 };
    perStep.set(step, { messages: entry.messages + 1, ms: entry.ms + ms });
    if (ms > slowest.ms) slowest = { step, ms };
  }
  const total = performance.now() - started;

  expect(await d1RowsMentioning(tenant.id)).toEqual({});
  expect(await r2KeysOf(tenant.id)).toEqual([]);
  const messages = [...perStep.values()].reduce((sum, entry) => sum + entry.messages, 0);
  console.log(`tenant deletion: ${messages} messages, ${(total / 1000).toFixed(1)} s in all`);
  for (const [step, entry] of perStep) {
    console.log(
      `  ${step.padEnd(14)} ${String(entry.messages).padStart(3)} messages ${entry.ms.toFixed(0).padStart(6)} ms`,
    );
  }
  console.log(`  slowest message: ${slowest.step}, ${slowest.ms.toFixed(0)} ms`);
});
