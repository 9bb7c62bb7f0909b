import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { ProviderError } from "../../src/providers/errors";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import { batchOf, depsWithEmbedder, fakeMessage, queuedDocument, queuedFile } from "../helpers/ingestion";
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
