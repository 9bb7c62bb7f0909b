import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import type { NangoSyncMessage } from "../../src/queues/messages";
import { getSync, startSync } from "../../src/services/integrations/integrations.service";
import { runSyncStep } from "../../src/services/integrations/sync";
import { driveFile } from "../fakes/nango-source-files";
import { countOf } from "../helpers/db";
import { droppingQueue, requestCtx } from "../helpers/ingestion";
import { connectTenant, setSourceFiles } from "../helpers/nango";
import { depsWith } from "../helpers/quotas";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const THREE_FILES = [
  driveFile("a", "txt/norwich-city.txt"),
  driveFile("b", "md/simple-table.md", { name: "table.md" }),
  driveFile("c", "md/readability-README.md", { name: "readme.md" }),
];

/** A tenant connected to Drive holding THREE_FILES, and services whose queue the test delivers by hand. */
async function syncJob(env: Record<string, string> = {}) {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const connectionId = await connectTenant(tenant, "google-drive");
  await setSourceFiles(connectionId, THREE_FILES);
  const queue = droppingQueue();
  const deps: Deps = { ...depsWith(env), ingestQueue: queue.queue };
  const ctx = requestCtx(tenant.id);
  const sync = await startSync({
    ctx,
    deps,
    input: { integrationId: "google-drive", collectionId: collection.id },
  });
  const syncMessages = () =>
    (queue.sent() as unknown as { kind: string }[]).filter(
      (message): message is NangoSyncMessage => message.kind === "nango_sync",
    );
  return { tenant, deps, ctx, sync, syncMessages };
}

/** Delivers the sync's messages one after another (each `times` times) until it sends no more. */
async function runToEnd(job: Awaited<ReturnType<typeof syncJob>>, times = 1) {
  let delivered = 0;
  while (delivered < job.syncMessages().length) {
    expect(delivered).toBeLessThan(50);
    const message = job.syncMessages()[delivered++]!;
    for (let i = 0; i < times; i++) {
      await runSyncStep({
        ctx: { tenantId: message.tenant_id },
        deps: job.deps,
        input: { syncId: message.sync_id, step: message.step },
      });
    }
  }
  return getSync({ ctx: job.ctx, deps: job.deps, input: { syncId: job.sync.id } });
}

const documentCount = (tenant: TestTenant) =>
  countOf("SELECT COUNT(*) AS n FROM documents WHERE tenant_id = ?", tenant.id);

describe("a sync's steps", () => {
  it("stop at the plan's document quota, saying so, with the files before it imported", async () => {
    const job = await syncJob({ MAX_DOCUMENTS_PER_TENANT: "2" });
    const { sync, counts } = await runToEnd(job);
    expect(sync.status).toBe("stopped");
    expect(sync.error).toBe(
      "The sync stopped at readme.md: The free plan allows 2 documents: 0 left, 1 needed. Free some up or upgrade the plan.",
    );
    expect(counts).toMatchObject({ added: 2, pending: 1 });
    expect(await documentCount(job.tenant)).toBe(2);
  });

  it("do the same work when every message is delivered twice", async () => {
    const once = await runToEnd(await syncJob());
    const twiceJob = await syncJob();
    const twice = await runToEnd(twiceJob, 2);
    expect(twice.sync.status).toBe("completed");
    expect(twice.counts).toEqual(once.counts);
    expect(twice.counts).toMatchObject({ added: 3, pending: 0 });
    expect(await documentCount(twiceJob.tenant)).toBe(3);
  });

  it("give way to a new sync once they have not moved for 15 minutes (a lost message)", async () => {
    const job = await syncJob();
    const input = { integrationId: "google-drive", collectionId: job.sync.collectionId };
    await expect(startSync({ ctx: job.ctx, deps: job.deps, input })).rejects.toMatchObject({
      code: "conflict",
    });
    const longAgo = new Date(Date.now() - 16 * 60_000).toISOString();
    await env.DB.prepare("UPDATE nango_syncs SET updated_at = ? WHERE id = ?")
      .bind(longAgo, job.sync.id)
      .run();

    const next = await startSync({ ctx: job.ctx, deps: job.deps, input });
    expect(next.id).not.toBe(job.sync.id);
    const abandoned = await getSync({ ctx: job.ctx, deps: job.deps, input: { syncId: job.sync.id } });
    expect(abandoned.sync).toMatchObject({
      status: "failed",
      error: "The sync made no progress for 15 minutes and was abandoned",
    });
  });
});
