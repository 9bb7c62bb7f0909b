import { describe, expect, it } from "vitest";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { commitQuota, reserveQuota } from "../../src/services/quotas/quotas.service";
import { upload, uploadCorpus, waitForDocument } from "../helpers/documents";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

// The queue consumer runs with the Worker's own configuration: the free plan's 1000 pages.
const FREE_PAGES = 1000;

async function consumePages(tenant: TestTenant, pages: number) {
  const deps = depsWith();
  const ctx = quotaCtx(tenant.id);
  const reservation = await reserveQuota({ ctx, deps, input: { amounts: { ingested_pages: pages } } });
  await commitQuota({ ctx, deps, input: { reservationId: reservation.id } });
}

const pagesUsed = async (tenant: TestTenant) =>
  (await tenant.client.expectJson(200, "GET", "usage", UsageSchema)).metrics.ingested_pages.used;

describe("ingested pages", () => {
  it("counts the pages of an ingested document", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "pdf/tracemonkey.pdf");
    const ready = await waitForDocument(tenant, document.id);
    expect(ready.status).toBe("ready");
    expect(await pagesUsed(tenant)).toBe(ready.page_count);
    expect(ready.page_count).toBe(14);
  });

  it("counts a file without pages in page equivalents of 3,000 characters, like PDF pages", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    // 31 paragraphs of 300 characters: 9,300 characters of text, four page equivalents.
    const paragraphs = Array.from(
      { length: 31 },
      (_, i) =>
        `${`Paragraph ${String(i).padStart(2, "0")} of the long note`.padEnd(299, " and more words")}.`,
    );
    const document = await upload(
      tenant,
      collection.id,
      "long-note.txt",
      new TextEncoder().encode(paragraphs.join("\n\n")),
    );
    const ready = await waitForDocument(tenant, document.id);
    expect(ready.status, ready.error ?? "").toBe("ready");
    expect(ready.page_count).toBe(4);
    expect(ready.progress).toEqual({ pages_done: 4, pages_total: 4 });
    expect(await pagesUsed(tenant)).toBe(4);
  });

  it("fails a document whose pages run out mid-way, saying where and why", async () => {
    const tenant = await createTenant();
    await consumePages(tenant, FREE_PAGES - 30);
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "pdf/irs-irm-2.3.59-400p.pdf");
    const failed = await waitForDocument(tenant, document.id, 120_000);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/ingestion stopped at page 26 of 400/);
    expect(failed.error).toMatch(
      /quota of 1000 ingested pages per billing period is used up \(5 left, 25 needed\)/,
    );
    expect(failed.progress).toEqual({ pages_done: 25, pages_total: 400 });
    // The first batch was indexed and counted; the refused one counted nothing.
    expect(await pagesUsed(tenant)).toBe(FREE_PAGES - 5);
  }, 150_000);

  it("fails a document at once when no pages are left", async () => {
    const tenant = await createTenant();
    await consumePages(tenant, FREE_PAGES);
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "md/simple-table.md");
    const failed = await waitForDocument(tenant, document.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^ingestion stopped: the free plan's quota of 1000 ingested pages/);
    expect(failed.chunk_count).toBe(0);
    expect(await pagesUsed(tenant)).toBe(FREE_PAGES);
  });
});
