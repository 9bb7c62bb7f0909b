import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TenantKpisSchema } from "../../src/routes/kpis/kpis.schemas";
import { calendarMonth } from "../../src/services/quotas/period";
import { ask } from "../helpers/chat";
import { upload, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

/** Usage of the previous month, as the quota object's mirror would have written it then. */
async function recordLastMonthUsage(tenant: TestTenant, metric: string, amount: number, periodStart: string) {
  await env.DB.prepare(
    "INSERT INTO usage_events (id, tenant_id, metric, amount, period_start, at) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(`ue_${crypto.randomUUID()}`, tenant.id, metric, amount, periodStart, periodStart)
    .run();
}

/** A question asked to an assistant last month. */
async function recordLastMonthQuestion(tenant: TestTenant, assistantId: string, at: string) {
  const conversationId = `conv_${crypto.randomUUID().slice(0, 12)}`;
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO conversations (id, tenant_id, assistant_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(conversationId, tenant.id, assistantId, "Old question", at, at),
    env.DB.prepare(
      "INSERT INTO messages (id, tenant_id, conversation_id, role, content, status, created_at, updated_at) VALUES (?, ?, ?, 'user', ?, 'complete', ?, ?)",
    ).bind(`msg_${crypto.randomUUID().slice(0, 12)}`, tenant.id, conversationId, "Old question", at, at),
  ]);
}

describe("GET /kpis", () => {
  it("gives a tenant with known activity exactly its figures, against the previous period", async () => {
    const tenant = await createTenant();
    const period = calendarMonth(new Date());
    const lastMonth = calendarMonth(new Date(new Date(period.start).getTime() - 1));
    await recordLastMonthUsage(tenant, "chat_messages", 4, lastMonth.start);
    await recordLastMonthUsage(tenant, "llm_tokens", 900, lastMonth.start);

    const collection = await createCollection(tenant);
    const files = [
      encode("# Tides\n\nThe tide turns twice a day."),
      encode("Harbours shelter boats from storms."),
    ];
    const documents = [];
    for (const [i, bytes] of files.entries()) {
      const uploaded = await upload(tenant, collection.id, `note-${i}.md`, bytes);
      documents.push(await waitForDocument(tenant, uploaded.id));
    }
    expect(documents.map((document) => document.status)).toEqual(["ready", "ready"]);
    const busy = await createAssistant(tenant, [collection.id], "Busy");
    const quiet = await createAssistant(tenant, [collection.id], "Quiet");
    await recordLastMonthQuestion(
      tenant,
      quiet.id,
      new Date(new Date(lastMonth.start).getTime() + 3_600_000).toISOString(),
    );
    const answers = [
      await ask(tenant.client, busy.id, { message: "When does the tide turn?" }),
      await ask(tenant.client, busy.id, { message: "What do harbours do?" }),
      await ask(tenant.client, quiet.id, { message: "Tides?" }),
    ];
    const tokens = answers.reduce((total, answer) => total + answer.usage.total_tokens, 0);
    const bytes = files.reduce((total, file) => total + file.length, 0);
    const chunks = documents.reduce((total, document) => total + document.chunk_count, 0);
    expect(chunks).toBeGreaterThan(0);

    const kpis = await tenant.client.expectJson(200, "GET", "kpis", TenantKpisSchema);

    expect(kpis.period).toEqual(period);
    expect(kpis.previous_period).toEqual(lastMonth);
    const pct = (used: number, limit: number) => Math.round((used / limit) * 1000) / 10;
    expect(kpis.usage).toEqual({
      assistants: { used: 2, limit: 3, percent: 66.7 },
      collections: { used: 1, limit: 10, percent: 10 },
      documents: { used: 2, limit: 100, percent: 2 },
      storage_bytes: { used: bytes, limit: 104_857_600, percent: pct(bytes, 104_857_600) },
      chat_messages: { used: 3, limit: 500, percent: 0.6, previous: 4 },
      ingested_pages: { used: 2, limit: 1000, percent: 0.2, previous: 0 },
      llm_tokens: { used: tokens, limit: 5_000_000, percent: pct(tokens, 5_000_000), previous: 900 },
    });
    expect(kpis.documents).toEqual({
      by_status: { queued: 0, processing: 0, ready: 2, failed: 0 },
      total: 2,
      chunks,
    });
    expect(kpis.busiest_assistants).toEqual([
      { id: busy.id, name: "Busy", questions: 2, previous_questions: 0 },
      { id: quiet.id, name: "Quiet", questions: 1, previous_questions: 1 },
    ]);
  });

  it("gives a new tenant zeros, and no assistants", async () => {
    const tenant = await createTenant();
    const kpis = await tenant.client.expectJson(200, "GET", "kpis", TenantKpisSchema);
    expect(Object.values(kpis.usage).every((figure) => figure.used === 0 && figure.percent === 0)).toBe(true);
    expect(kpis.usage.chat_messages).toEqual({ used: 0, limit: 500, percent: 0, previous: 0 });
    expect(kpis.documents).toEqual({
      by_status: { queued: 0, processing: 0, ready: 0, failed: 0 },
      total: 0,
      chunks: 0,
    });
    expect(kpis.busiest_assistants).toEqual([]);
  });
});
