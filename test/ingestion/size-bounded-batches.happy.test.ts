import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { readCorpus } from "../helpers/corpus";
import { depsDroppingMessages, ingestEveryBatch, queuedFile } from "../helpers/ingestion";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

describe("Office batches sized by their XML", () => {
  it("ingests a deck of large code slides a few slides a message, its 1.7 MB slide alone, to ready", async () => {
    const tenant = await createTenant();
    const { deps, sent } = depsDroppingMessages();
    // 28 slides, 6.8 MB of slide XML in the first 25: at 25 slides a message, two messages.
    const first = await queuedFile(tenant, "HowWeRefactor.pptx", await readCorpus("pptx/HowWeRefactor.pptx"));
    const batches = await ingestEveryBatch(deps, sent, first);

    expect(batches.length).toBeGreaterThan(2);
    expect(batches.map((batch) => batch.pages)).toContainEqual([24, 24]);
    // Each message starts where the previous one ended, and says so.
    batches.slice(1).forEach((batch, index) => {
      expect(batch.pages[0]).toBe(batches[index]!.pages[1] + 1);
      expect(batch.message.first_page).toBe(batch.pages[0]);
    });
    expect(batches.at(-1)!.pages[1]).toBe(28);

    const row = await env.DB.prepare("SELECT status, pages_done, pages_total FROM documents WHERE id = ?")
      .bind(first.document_id)
      .first();
    expect(row).toEqual({ status: "ready", pages_done: 28, pages_total: 28 });
    // Every chunk within its message's slides.
    const chunks = await shardRows<{ page_start: number; page_end: number }>(
      tenant.id,
      "SELECT page_start, page_end FROM chunks WHERE document_id = ?",
      first.document_id,
    );
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      expect(
        batches.some((batch) => batch.pages[0] <= chunk.page_start && chunk.page_end <= batch.pages[1]),
        `chunk on slides ${chunk.page_start}-${chunk.page_end}`,
      ).toBe(true);
    }
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.ingested_pages.used).toBe(28);
  });
});
