import { describe, expect, it } from "vitest";
import { UsageHistorySchema, UsageSchema } from "../../src/routes/usage/usage.schemas";
import { calendarMonth } from "../../src/services/quotas/period";
import { commitQuota, reserveQuota } from "../../src/services/quotas/quotas.service";
import { upload, waitForDocument } from "../helpers/documents";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const encoder = new TextEncoder();
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** What chat does around one answer: reserve a message and an estimate, commit the real tokens. */
async function chatTurn(tenant: TestTenant, estimate: number, actual: number) {
  const deps = depsWith();
  const ctx = quotaCtx(tenant.id);
  const reservation = await reserveQuota({
    ctx,
    deps,
    input: { amounts: { chat_messages: 1, llm_tokens: estimate } },
  });
  await commitQuota({ ctx, deps, input: { reservationId: reservation.id, actual: { llm_tokens: actual } } });
}

describe("usage", () => {
  it("shows every metric of a new tenant against the free plan", async () => {
    const tenant = await createTenant();
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    const period = calendarMonth(new Date());
    expect(usage.plan).toBe("free");
    expect(usage.period).toEqual(period);
    expect(usage.rate_limit).toEqual({ requests_per_minute: 60 });
    expect(usage.metrics).toEqual({
      assistants: { used: 0, reserved: 0, limit: 3, remaining: 3, resets_at: null },
      collections: { used: 0, reserved: 0, limit: 10, remaining: 10, resets_at: null },
      documents: { used: 0, reserved: 0, limit: 100, remaining: 100, resets_at: null },
      storage_bytes: { used: 0, reserved: 0, limit: 104_857_600, remaining: 104_857_600, resets_at: null },
      chat_messages: { used: 0, reserved: 0, limit: 500, remaining: 500, resets_at: period.end },
      ingested_pages: { used: 0, reserved: 0, limit: 1000, remaining: 1000, resets_at: period.end },
      llm_tokens: { used: 0, reserved: 0, limit: 5_000_000, remaining: 5_000_000, resets_at: period.end },
    });
  });

  it("reports history that matches a mix of uploads, deletions and chats", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const files = ["alpha notes", "bravo notes, longer", "charlie notes, the longest of all"].map((t) =>
      encoder.encode(t),
    );
    const uploaded = [];
    for (const [i, bytes] of files.entries())
      uploaded.push(await upload(tenant, collection.id, `f${i}.txt`, bytes));
    for (const document of uploaded)
      expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
    await tenant.client.expectNoContent("DELETE", `documents/${uploaded[0]!.id}`);
    await chatTurn(tenant, 1000, 120);
    await chatTurn(tenant, 1000, 80);

    const today = new Date();
    const from = isoDay(new Date(today.getTime() - 2 * 86_400_000));
    const history = await tenant.client.expectJson(
      200,
      "GET",
      `usage/history?from=${from}&to=${isoDay(today)}&granularity=day`,
      UsageHistorySchema,
    );
    expect(history).toMatchObject({ from, to: isoDay(today), granularity: "day" });
    expect(history.buckets.map((b) => b.start)).toEqual([
      from,
      isoDay(new Date(today.getTime() - 86_400_000)),
      isoDay(today),
    ]);
    const zero = { documents: 0, storage_bytes: 0, chat_messages: 0, ingested_pages: 0, llm_tokens: 0 };
    expect(history.buckets[0]!.metrics).toEqual(zero);
    const done = {
      documents: 2,
      storage_bytes: files[1]!.length + files[2]!.length,
      chat_messages: 2,
      ingested_pages: 3,
      llm_tokens: 200,
    };
    expect(history.buckets[2]!.metrics).toEqual(done);

    const monthly = await tenant.client.expectJson(
      200,
      "GET",
      "usage/history?granularity=month",
      UsageHistorySchema,
    );
    expect(monthly.buckets.at(-1)).toEqual({ start: isoDay(today).slice(0, 7), metrics: done });
    expect(monthly.from.endsWith("-01")).toBe(true);

    // The current totals agree with the history.
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    for (const metric of Object.keys(done) as (keyof typeof done)[])
      expect(usage.metrics[metric].used, metric).toBe(done[metric]);
  });

  it("defaults to the last 30 days", async () => {
    const tenant = await createTenant();
    const history = await tenant.client.expectJson(200, "GET", "usage/history", UsageHistorySchema);
    expect(history.buckets).toHaveLength(30);
    expect(history.to).toBe(isoDay(new Date()));
  });
});
