import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { ProviderError } from "../../src/providers/errors";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { commitQuota, reserveQuota } from "../../src/services/quotas/quotas.service";
import { batchOf, depsWithEmbedder, fakeMessage, queuedDocument, queuedFile } from "../helpers/ingestion";
import { type Call, recording } from "../helpers/quotas";
import { createTenant } from "../helpers/tenants";

const statusOf = (id: string) =>
  env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first<string>("status");

it("retries each small document of a delivery whose shared embedder call failed, then makes each ready", async () => {
  const tenant = await createTenant();
  const bodies = [
    await queuedDocument(tenant, "txt/norwich-city.txt"),
    await queuedDocument(tenant, "md/simple-table.md"),
    await queuedFile(tenant, "blank.txt", new TextEncoder().encode(" \n\n \n")),
  ];
  const real = depsFor(env).embedder;
  let calls = 0;
  const deps = depsWithEmbedder(async (texts, kind) => {
    if (++calls === 1) throw new ProviderError("embeddings", true, "rate limited (429)", { status: 429 });
    return real.embed(texts, kind);
  });
  const first = bodies.map((body) => fakeMessage(body, 1));
  await consumeIngestBatch(batchOf(first), deps);
  // One shared call failed: each document that was in it retries on its own; the blank file failed alone.
  expect(calls).toBe(1);
  for (const message of [first[0]!, first[1]!]) {
    expect(message.retry).toHaveBeenCalledWith({ delaySeconds: expect.any(Number) });
    expect(message.ack).not.toHaveBeenCalled();
  }
  expect(first[2]!.ack).toHaveBeenCalledOnce();
  expect(await statusOf(bodies[2]!.document_id)).toBe("failed");

  const second = [bodies[0]!, bodies[1]!].map((body) => fakeMessage(body, 2));
  await consumeIngestBatch(batchOf(second), deps);
  expect(calls).toBe(2);
  for (const message of second) expect(message.ack).toHaveBeenCalledOnce();
  expect(await statusOf(bodies[0]!.document_id)).toBe("ready");
  expect(await statusOf(bodies[1]!.document_id)).toBe("ready");
});

it("refuses the pages of one document of a delivery's one ledger call, and only that document fails", async () => {
  const tenant = await createTenant();
  // The free plan's 1000 pages, all but one used: two one-page notes are delivered together.
  const deps = depsFor(env);
  const ctx = { tenantId: tenant.id };
  const used = await reserveQuota({ ctx, deps, input: { amounts: { ingested_pages: 999 } } });
  await commitQuota({ ctx, deps, input: { reservationId: used.id } });
  const note = (i: number) => new TextEncoder().encode(`Note ${i}: the harbour master logs every ship.`);
  const bodies = [await queuedFile(tenant, "one.txt", note(1)), await queuedFile(tenant, "two.txt", note(2))];
  const calls: Call[] = [];
  const recorded = depsFor({ ...env, TENANT_QUOTA: recording(env.TENANT_QUOTA, calls) } as Env);
  const messages = bodies.map((body) => fakeMessage(body));
  await consumeIngestBatch(batchOf(messages), recorded);
  for (const message of messages) expect(message.ack).toHaveBeenCalledOnce();
  // Both reservations went in one call; the second found the page taken by the first.
  expect(calls.filter((call) => call.method.startsWith("admit")).map((call) => call.method)).toEqual([
    "admitEach",
  ]);
  const rows = await Promise.all(
    bodies.map((body) =>
      env.DB.prepare("SELECT status, error_code FROM documents WHERE id = ?")
        .bind(body.document_id)
        .first<{ status: string; error_code: string | null }>(),
    ),
  );
  expect(rows.map((row) => row!.status).sort()).toEqual(["failed", "ready"]);
  expect(rows.find((row) => row!.status === "failed")!.error_code).toBe("pages_quota_exceeded");
  const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
  expect(usage.metrics.ingested_pages.used).toBe(1000);
});
