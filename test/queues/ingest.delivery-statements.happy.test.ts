import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import type { IngestMessage } from "../../src/queues/messages";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { uploadDocument } from "../../src/services/documents/documents.service";
import { countingD1 } from "../helpers/db";
import { batchOf, droppingQueue, fakeMessage, requestCtx } from "../helpers/ingestion";
import { type Call, recording } from "../helpers/quotas";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

/** Small files uploaded as a request in `wnam` makes them (finished after the 202), their messages kept. */
async function uploadedNotes(tenant: TestTenant, count: number): Promise<IngestMessage[]> {
  const collection = await createCollection(tenant);
  const dropping = droppingQueue();
  const after: Promise<unknown>[] = [];
  const deps = {
    ...depsFor(env),
    ingestQueue: dropping.queue,
    afterResponse: (work: Promise<unknown>) => after.push(work),
  };
  for (let i = 0; i < count; i++) {
    const text = `Note ${i} of ${tenant.id}. The harbour master logs every ship that enters the port before noon.`;
    await uploadDocument({
      ctx: { ...requestCtx(tenant.id), region: "wnam" },
      deps,
      input: {
        collectionId: collection.id,
        filename: `note-${i}.txt`,
        file: new File([text], `note-${i}.txt`),
      },
    });
  }
  await Promise.all(after);
  return dropping.sent();
}

/** One delivery of `bodies`, counting the D1 round trips and quota object calls it makes. */
async function deliver(bodies: IngestMessage[]) {
  const trips = { count: 0 };
  const quotaCalls: Call[] = [];
  const deps = depsFor({
    ...env,
    DB: countingD1(trips),
    TENANT_QUOTA: recording(env.TENANT_QUOTA, quotaCalls, "ledger."),
    QUOTA_LEASE: recording(env.QUOTA_LEASE, quotaCalls, "holder."),
  } as Env);
  const messages = bodies.map((body) => fakeMessage(body));
  await consumeIngestBatch(batchOf(messages), deps);
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  return { trips: trips.count, quotaCalls: quotaCalls.map((call) => call.method) };
}

const statusOf = (id: string) =>
  env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first<string>("status");

it("sends a delivery's small documents' D1 statements together: eight documents take the round trips of two", async () => {
  const tenants = [await createTenant(), await createTenant()];
  const two = [...(await uploadedNotes(tenants[0]!, 1)), ...(await uploadedNotes(tenants[1]!, 1))];
  const eight = [...(await uploadedNotes(tenants[0]!, 4)), ...(await uploadedNotes(tenants[1]!, 4))];
  const alone = await deliver(two);
  const together = await deliver(eight);
  // Each document's statements are its own (its lease, its readiness), sent with the others'.
  expect(together.trips).toBe(alone.trips);
  // A document's steps, one round trip each, plus the sizes of each tenant's documents.
  expect(alone.trips).toBeLessThanOrEqual(8);
  for (const body of [...two, ...eight]) expect(await statusOf(body.document_id)).toBe("ready");
});

it("leaves an upload its request finished alone: no commit at the lease holder, no publish", async () => {
  const tenant = await createTenant();
  const bodies = await uploadedNotes(tenant, 2);
  const { quotaCalls } = await deliver(bodies);
  // The pages' reservations and their commits at the ledger, the delivery's in one call each; nothing at the holder.
  expect(quotaCalls.filter((method) => method.startsWith("holder."))).toEqual([]);
  expect(quotaCalls.sort()).toEqual(["ledger.admitEach", "ledger.commitEach"]);
});

it("reserves and commits a delivery's pages at each tenant's ledger in one call each, every page counted once", async () => {
  const tenants = [await createTenant(), await createTenant()];
  const bodies = [...(await uploadedNotes(tenants[0]!, 4)), ...(await uploadedNotes(tenants[1]!, 4))];
  const { quotaCalls } = await deliver(bodies);
  expect(quotaCalls.sort()).toEqual([
    "ledger.admitEach",
    "ledger.admitEach",
    "ledger.commitEach",
    "ledger.commitEach",
  ]);
  // Delivered again (a message retried after its ack was lost): nothing is counted twice.
  await deliver(bodies);
  for (const tenant of tenants) {
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.ingested_pages.used).toBe(4);
  }
  for (const body of bodies) expect(await statusOf(body.document_id)).toBe("ready");
});

it("reads no document sizes for uploads' first messages, which say them: one round trip fewer per tenant", async () => {
  const tenants = [await createTenant(), await createTenant()];
  const uploads = [...(await uploadedNotes(tenants[0]!, 2)), ...(await uploadedNotes(tenants[1]!, 2))];
  // The same kind of delivery, of messages that do not say their document's size (a reindex's).
  const others = [...(await uploadedNotes(tenants[0]!, 2)), ...(await uploadedNotes(tenants[1]!, 2))].map(
    ({ upload: _upload, content: _content, ...body }) => body,
  );
  const sized = await deliver(uploads);
  const read = await deliver(others);
  expect(read.trips - sized.trips).toBe(2);
  for (const body of [...uploads, ...others]) expect(await statusOf(body.document_id)).toBe("ready");
});
