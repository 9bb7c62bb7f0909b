import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import worker from "../../src/index";
import type { IngestMessage } from "../../src/queues/messages";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { ingestDocumentBatch } from "../../src/services/ingestion/ingestion.service";
import { INGESTION_LEASE_SECONDS } from "../../src/services/ingestion/lease";
import {
  MAX_SWEEPS,
  resumeBatch,
  resumePage,
  sweepStalledIngestions,
} from "../../src/services/ingestion/sweep";
import { waitForDocument } from "../helpers/documents";
import { depsDroppingMessages, queuedDocument } from "../helpers/ingestion";
import { createTenant, type TestTenant } from "../helpers/tenants";

const LEASE_MS = INGESTION_LEASE_SECONDS * 1000;
/** A moment `leases` lease lengths (and a minute) from now: when the sweeper finds a silent document stalled. */
const later = (leases: number) => new Date(Date.now() + leases * LEASE_MS + 60_000);

const documentRow = (id: string) =>
  env.DB.prepare(
    "SELECT status, error, error_code, pages_done, pages_total, sweeps FROM documents WHERE id = ?",
  )
    .bind(id)
    .first<{
      status: string;
      error: string | null;
      error_code: string | null;
      pages_done: number;
      pages_total: number;
      sweeps: number;
    }>();

/** Runs a batch that takes the document's lease and then stops, as when its isolate dies mid-way. */
async function runStalling(deps: Deps, message: IngestMessage) {
  const blobs = Object.create(deps.blobs) as Deps["blobs"];
  blobs.get = async () => {
    throw new Error("the isolate was reset");
  };
  await expect(
    ingestDocumentBatch({
      ctx: { tenantId: message.tenant_id },
      deps: { ...deps, blobs },
      input: { documentId: message.document_id, generation: message.generation, batch: message.batch },
    }),
  ).rejects.toThrow("the isolate was reset");
}

const pagesUsed = async (tenant: TestTenant) =>
  (await tenant.client.expectJson(200, "GET", "usage", UsageSchema)).metrics.ingested_pages.used;

describe("ingestion sweeper", () => {
  it("brings a document whose queue message was lost to ready by itself, through the cron trigger", async () => {
    const tenant = await createTenant();
    const lost = await queuedDocument(tenant);
    expect(await documentRow(lost.document_id)).toMatchObject({ status: "queued" });

    // The Worker's own scheduled handler, on the real queue and consumer.
    const controller = createScheduledController({ scheduledTime: later(1), cron: "*/5 * * * *" });
    await worker.scheduled(controller, env);

    const document = await waitForDocument(tenant, lost.document_id);
    expect(document.status).toBe("ready");
    expect(document.chunk_count).toBeGreaterThan(0);
  });

  it("resumes a large document at the batch whose message was lost, counting no page twice", async () => {
    const tenant = await createTenant();
    const first = await queuedDocument(tenant, "pdf/tracemonkey.pdf");
    const { deps: base, sent } = depsDroppingMessages();
    const deps = { ...base, config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 5 } } };
    const ctx = { tenantId: tenant.id };
    const at = (batch: number) => ({ documentId: first.document_id, generation: first.generation, batch });

    await ingestDocumentBatch({ ctx, deps, input: at(0) }); // its message for batch 1 is lost
    expect(await documentRow(first.document_id)).toMatchObject({ status: "processing", pages_done: 5 });
    // The sweeper sees every tenant's documents (other test files' too): what it did to this one counts.
    const mine = () => sent().filter((message) => message.document_id === first.document_id);
    const lost = mine().length; // batch 0 sent batch 1's message, which never arrives
    // Within the lease the document is alive: the sweeper leaves it alone.
    await sweepStalledIngestions({ deps, input: { now: new Date() } });
    expect(mine()).toHaveLength(lost);
    expect(await documentRow(first.document_id)).toMatchObject({ status: "processing", sweeps: 0 });

    await sweepStalledIngestions({ deps, input: { now: later(1) } });
    expect(mine()).toHaveLength(lost + 1);
    const resumed = mine().at(-1)!;
    expect(resumed).toMatchObject({
      document_id: first.document_id,
      generation: first.generation,
      batch: 1,
      first_page: 6,
    });

    // The lost message turns up after all: both copies of batch 1 run, and count once.
    await ingestDocumentBatch({ ctx, deps, input: at(1) });
    await ingestDocumentBatch({ ctx, deps, input: { ...at(resumed.batch), firstPage: resumed.first_page } });
    await ingestDocumentBatch({ ctx, deps, input: at(2) });
    expect(await documentRow(first.document_id)).toMatchObject({
      status: "ready",
      pages_done: 14,
      sweeps: 0,
    });
    expect(await pagesUsed(tenant)).toBe(14);
  }, 90_000);

  it(`fails a document whose restarted batch starts and stalls ${MAX_SWEEPS} times, with a sentence`, async () => {
    const tenant = await createTenant();
    const first = await queuedDocument(tenant);
    const { deps, sent } = depsDroppingMessages();
    // Every run takes the lease, then stops (the isolate dies, say) before any progress.
    await runStalling(deps, first);

    // The sweeper sees every tenant's documents (other test files' too): what it did to this one counts.
    const mine = () => sent().filter((message) => message.document_id === first.document_id);
    for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
      await sweepStalledIngestions({ deps, input: { now: later(sweep) } });
      expect(mine()).toHaveLength(sweep);
      expect(await documentRow(first.document_id)).toMatchObject({ status: "queued", sweeps: sweep });
      await runStalling(deps, mine().at(-1)!);
    }
    expect(await documentRow(first.document_id)).toMatchObject({ status: "processing", sweeps: MAX_SWEEPS });

    await sweepStalledIngestions({ deps, input: { now: later(MAX_SWEEPS + 1) } });
    expect(mine()).toHaveLength(MAX_SWEEPS);
    const failed = await documentRow(first.document_id);
    expect(failed?.status).toBe("failed");
    expect(failed?.error_code).toBe("ingestion_abandoned");
    expect(failed?.error).toBe(
      `ingestion stopped and did not resume after ${MAX_SWEEPS} restarts; reindex the document to try again`,
    );
    // A failed document is left alone by later sweeps.
    await sweepStalledIngestions({ deps, input: { now: later(MAX_SWEEPS + 2) } });
    expect(mine()).toHaveLength(MAX_SWEEPS);
    expect(await documentRow(first.document_id)).toMatchObject({ status: "failed" });
  });

  it("counts no restart while the re-enqueued batch only waits in the queue's backlog", async () => {
    const tenant = await createTenant();
    const first = await queuedDocument(tenant);
    const { deps, sent } = depsDroppingMessages(); // the messages wait: nothing consumes them
    await runStalling(deps, first);

    const sweeps = MAX_SWEEPS + 3; // an hour and a half of backlog
    for (let sweep = 1; sweep <= sweeps; sweep++) {
      await sweepStalledIngestions({ deps, input: { now: later(sweep) } });
      expect(await documentRow(first.document_id)).toMatchObject({
        status: "queued",
        sweeps: 1,
        error: null,
      });
    }
    expect(sent().filter((message) => message.document_id === first.document_id)).toHaveLength(sweeps);

    // The backlog drains: the first copy runs to the end, the others are late copies of a finished batch.
    for (const message of sent().filter((each) => each.document_id === first.document_id)) {
      await ingestDocumentBatch({
        ctx: { tenantId: tenant.id },
        deps,
        input: { documentId: message.document_id, generation: message.generation, batch: message.batch },
      });
    }
    expect(await documentRow(first.document_id)).toMatchObject({ status: "ready", sweeps: 0 });
  });

  it("finishes a document that stalled after its last page was done with a batch of no pages", async () => {
    const tenant = await createTenant();
    const first = await queuedDocument(tenant, "pdf/tracemonkey.pdf");
    const { deps: base, sent } = depsDroppingMessages();
    const deps = {
      ...base,
      config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 10 } },
    };
    const ctx = { tenantId: tenant.id };
    await ingestDocumentBatch({
      ctx,
      deps,
      input: { documentId: first.document_id, generation: 1, batch: 0 },
    });
    const last = sent().findLast((message) => message.document_id === first.document_id)!;
    expect(last.first_page).toBe(11);
    // The last batch records its pages, then its isolate dies before the document is ready.
    const searchShards = Object.create(base.searchShards) as Deps["searchShards"];
    searchShards.chunkTotals = async () => {
      throw new Error("the isolate was reset");
    };
    await expect(
      ingestDocumentBatch({
        ctx,
        deps: { ...deps, searchShards },
        input: { documentId: first.document_id, generation: 1, batch: 1, firstPage: 11 },
      }),
    ).rejects.toThrow("the isolate was reset");
    expect(await documentRow(first.document_id)).toMatchObject({ status: "processing", pages_done: 14 });

    await sweepStalledIngestions({ deps, input: { now: later(1) } });
    const resumed = sent().findLast((message) => message.document_id === first.document_id)!;
    expect(resumed.first_page).toBe(15);
    await ingestDocumentBatch({
      ctx,
      deps,
      input: { documentId: first.document_id, generation: 1, batch: resumed.batch, firstPage: 15 },
    });
    expect(await documentRow(first.document_id)).toMatchObject({ status: "ready", pages_done: 14 });
    expect(await pagesUsed(tenant)).toBe(14);
  }, 60_000);

  it("resumes at the page after the pages done, or past the last page when all are done", () => {
    expect(resumePage({ pagesDone: 0, pagesTotal: null })).toBe(1);
    expect(resumePage({ pagesDone: 50, pagesTotal: 400 })).toBe(51);
    expect(resumePage({ pagesDone: 60, pagesTotal: 60 })).toBe(61);
  });

  it("numbers the resumed batch after the pages done, or as the last batch when all are done", () => {
    expect(resumeBatch({ pagesDone: 0, pagesTotal: null }, 25)).toBe(0);
    expect(resumeBatch({ pagesDone: 50, pagesTotal: 400 }, 25)).toBe(2);
    expect(resumeBatch({ pagesDone: 60, pagesTotal: 60 }, 25)).toBe(2);
    expect(resumeBatch({ pagesDone: 50, pagesTotal: 50 }, 25)).toBe(1);
    expect(resumeBatch({ pagesDone: 1, pagesTotal: 1 }, 25)).toBe(0);
  });
});
