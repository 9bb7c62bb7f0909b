import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import type { IngestMessage } from "../../src/queues/messages";
import { uploadDocument } from "../../src/services/documents/documents.service";
import { ingestDocumentBatch } from "../../src/services/ingestion/ingestion.service";
import type { BlobStore } from "../../src/storage/blob-store";
import { readCorpus } from "./corpus";
import { createCollection, type TestTenant } from "./tenants";

/** A queue message as the runtime hands it to a consumer, with spies on ack and retry. */
export function fakeMessage(body: unknown, attempts = 1) {
  return { id: crypto.randomUUID(), timestamp: new Date(), body, attempts, ack: vi.fn(), retry: vi.fn() };
}

/** A delivery of `messages` from `queue`, as the runtime hands it to a consumer. */
export function batchOf(messages: ReturnType<typeof fakeMessage>[], queue = "ancre-ingest") {
  return { queue, messages, ackAll: vi.fn(), retryAll: vi.fn() } as unknown as MessageBatch<unknown>;
}

/** The full context of a tenant's request, for the document verbs (upload, reindex, delete). */
export const requestCtx = (tenantId: string) => ({
  tenantId,
  actor: { type: "dev" as const, userId: "dev" },
  role: "owner" as const,
  requestId: "test",
});

/** A queue that records what is sent and delivers nothing: every message is lost. */
export function droppingQueue() {
  const send = vi.fn();
  return {
    queue: { send } as unknown as Deps["ingestQueue"],
    sent: () => send.mock.calls.map(([message]) => message as IngestMessage),
  };
}

/** The test bindings' dependencies with a dropping queue (and `overrides`). */
export function depsDroppingMessages(overrides: Partial<Deps> = {}) {
  const dropping = droppingQueue();
  const deps: Deps = { ...depsFor(env), ingestQueue: dropping.queue, ...overrides };
  return { deps, sent: dropping.sent };
}

/** A document as upload leaves it, with the queue message captured instead of sent. */
export async function queuedDocument(
  tenant: TestTenant,
  path = "txt/norwich-city.txt",
): Promise<IngestMessage> {
  return queuedFile(tenant, path.split("/").at(-1)!, await readCorpus(path));
}

/** A file of `bytes` as upload leaves it, with the queue message captured instead of sent. */
export async function queuedFile(
  tenant: TestTenant,
  filename: string,
  bytes: Uint8Array,
): Promise<IngestMessage> {
  const collection = await createCollection(tenant);
  const { deps, sent } = depsDroppingMessages();
  await uploadDocument({
    ctx: requestCtx(tenant.id),
    deps,
    input: { collectionId: collection.id, filename, file: new Blob([bytes]) },
  });
  expect(sent()).toHaveLength(1);
  return sent()[0]!;
}

/** The test bindings' dependencies with another embedding function. */
export function depsWithEmbedder(embed: Deps["embedder"]["embed"], base: Deps = depsFor(env)): Deps {
  return {
    ...base,
    embedder: { ...base.embedder, model: base.embedder.model, dimensions: base.embedder.dimensions, embed },
  };
}

/** A point where a test holds a running verb: `reached` resolves when the verb arrives, `open` lets it on. */
export function gate() {
  let arrive!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    reached,
    open,
    /** Called by the held verb: signals arrival, then waits until the test opens the gate. */
    pass: async () => {
      arrive();
      await opened;
    },
  };
}

/** A batch as `ingestEveryBatch` ran it: its message, and its first and last pages. */
export interface RanBatch {
  message: IngestMessage;
  pages: [number, number];
}

/**
 * Runs a document's batches one after another from `message`, as the queue would deliver them
 * (each next message taken from `sent`), up to `limit` batches; the pages each one indexed.
 */
export async function ingestEveryBatch(
  deps: Deps,
  sent: () => IngestMessage[],
  message: IngestMessage,
  limit = 100,
): Promise<RanBatch[]> {
  const ran: RanBatch[] = [];
  let next: IngestMessage | undefined = message;
  while (next && ran.length < limit) {
    const current: IngestMessage = next;
    const before = sent().length;
    const pages = await ingestDocumentBatch({
      ctx: { tenantId: current.tenant_id },
      deps,
      input: {
        documentId: current.document_id,
        generation: current.generation,
        batch: current.batch,
        firstPage: current.first_page,
      },
    });
    const first = current.first_page ?? current.batch * deps.config.ingest.pagesPerBatch + 1;
    ran.push({ message: current, pages: [first, first + pages - 1] });
    next = sent()
      .slice(before)
      .find((sentMessage) => sentMessage.document_id === current.document_id);
  }
  return ran;
}

/** `base` counting its reads: files read whole (`bodies`), and files found unchanged since an etag. */
export function countingBlobs(base: BlobStore) {
  const reads = { bodies: 0, unchanged: 0 };
  const blobs = Object.create(base) as BlobStore;
  blobs.get = (async (key: string, options?: { unlessEtag?: string }) => {
    const file = await base.get(key, options ?? {});
    if (file === "unchanged") reads.unchanged++;
    else if (file) reads.bodies++;
    return file;
  }) as BlobStore["get"];
  return { blobs, reads };
}
