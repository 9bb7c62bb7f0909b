import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import { depsFor } from "../../src/deps";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import type { IngestMessage } from "../../src/queues/messages";
import { depsWithEmbedder, queuedDocument, queuedFile } from "../helpers/ingestion";
import { createTenant } from "../helpers/tenants";

const fakeMessage = (body: IngestMessage) => ({
  id: crypto.randomUUID(),
  timestamp: new Date(),
  body,
  attempts: 1,
  ack: vi.fn(),
  retry: vi.fn(),
});

const batchOf = (...messages: ReturnType<typeof fakeMessage>[]) =>
  ({
    queue: "ancre-ingest",
    messages,
    ackAll: vi.fn(),
    retryAll: vi.fn(),
  }) as unknown as MessageBatch<unknown>;

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

const statusOf = (id: string) =>
  env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first<string>("status");

it("ingests the small documents of a queue batch side by side, each acknowledged and ready", async () => {
  const tenants = [await createTenant(), await createTenant()];
  const bodies = [
    await queuedDocument(tenants[0]!, "txt/norwich-city.txt"),
    await queuedDocument(tenants[0]!, "md/simple-table.md"),
    await queuedDocument(tenants[1]!, "txt/norwich-city.txt"),
  ];
  const messages = bodies.map(fakeMessage);
  const { deps, mostInFlight } = overlapRecordingDeps(bodies.length);
  await consumeIngestBatch(batchOf(...messages), deps);
  expect(mostInFlight()).toBe(bodies.length);
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  for (const body of bodies) expect(await statusOf(body.document_id)).toBe("ready");
});

it("ingests a large file's message on its own, after the small ones", async () => {
  const tenant = await createTenant();
  const bodies = [
    await queuedDocument(tenant, "pdf/tracemonkey.pdf"),
    await queuedDocument(tenant, "txt/norwich-city.txt"),
  ];
  const messages = bodies.map(fakeMessage);
  const { deps, mostInFlight } = overlapRecordingDeps(bodies.length);
  await consumeIngestBatch(batchOf(...messages), deps);
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
  const messages = bodies.map(fakeMessage);
  await consumeIngestBatch(batchOf(...messages), depsFor(env));
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  const statuses = await Promise.all(bodies.map((body) => statusOf(body.document_id)));
  expect(statuses).toEqual(["ready", "failed", "ready"]);
});
