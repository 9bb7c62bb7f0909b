import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import type { IngestMessage } from "../../src/queues/messages";
import { MESSAGE_CONTENT_BYTES } from "../../src/services/ingestion/message-content";
import { originalKey } from "../../src/storage/blob-store";
import { batchOf, countingBlobs, fakeMessage, queuedFile } from "../helpers/ingestion";
import { pagesPdf } from "../helpers/pages-pdf";
import { createTenant } from "../helpers/tenants";

const note = (bytes: number) =>
  new TextEncoder()
    .encode("The harbour master logs every ship that enters the port. ".repeat(bytes / 56 + 1))
    .slice(0, bytes);

/** One delivery of `bodies`, counting the originals read from R2. */
async function deliver(bodies: IngestMessage[]) {
  const base = depsFor(env);
  const { blobs, reads } = countingBlobs(base.blobs);
  const messages = bodies.map((body) => fakeMessage(body));
  await consumeIngestBatch(batchOf(messages), { ...base, blobs });
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  return reads;
}

const documentRow = (id: string) =>
  env.DB.prepare("SELECT status, chunk_count FROM documents WHERE id = ?")
    .bind(id)
    .first<{ status: string; chunk_count: number }>();

it("carries a small file's bytes in its upload's message: the consumer reads nothing from R2, R2 still holds it", async () => {
  const tenant = await createTenant();
  const bytes = note(1500);
  const body = await queuedFile(tenant, "note.txt", bytes);
  expect(body.content).toBeDefined();
  // Far below the 128 KB a message of Queues may hold.
  expect(JSON.stringify(body).length).toBeLessThan(4 * 1024);
  const reads = await deliver([body]);
  expect(reads.bodies).toBe(0);
  expect(await documentRow(body.document_id)).toMatchObject({ status: "ready" });
  const stored = await env.FILES.get(originalKey(tenant.id, body.document_id));
  expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);
});

it("leaves a file over the bound, and a PDF, to be read from R2, and reads R2 when the message's bytes do not fit the document", async () => {
  const tenant = await createTenant();
  const large = await queuedFile(tenant, "large.txt", note(MESSAGE_CONTENT_BYTES + 1));
  const pdf = await queuedFile(tenant, "pages.pdf", pagesPdf(["text"]));
  expect(large.content).toBeUndefined();
  expect(pdf.content).toBeUndefined();
  const small = await queuedFile(tenant, "small.txt", note(800));
  // Bytes that are not the document's (another size) are not trusted: the original is read.
  const altered = { ...small, content: btoa("not the file") };
  const reads = await deliver([large, pdf, altered]);
  expect(reads.bodies).toBe(3);
  for (const body of [large, pdf, small]) {
    expect(await documentRow(body.document_id)).toMatchObject({ status: "ready" });
  }
});
