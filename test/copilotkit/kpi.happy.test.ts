import { env } from "cloudflare:workers";
import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { TenantKpisSchema } from "../../src/routes/copilotkit/kpi.schemas";
import { calendarMonth } from "../../src/services/quotas/period";
import { ask } from "../helpers/chat";
import { upload, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

type Kpis = z.infer<typeof TenantKpisSchema>;

const kpiOf = (kpis: Kpis, key: string) => kpis.kpis.find((kpi) => kpi.key === key);

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

describe("POST /copilotkit/actions/kpi", () => {
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

    const kpis = await tenant.client.expectJson(200, "POST", "copilotkit/actions/kpi", TenantKpisSchema);

    expect(kpis.period).toEqual(period);
    expect(kpis.previous_period).toEqual(lastMonth);
    expect(kpis.kpis).toEqual([
      { key: "assistants", label: "Assistants", value: 2, unit: "assistants", limit: 3 },
      { key: "collections", label: "Collections", value: 1, unit: "collections", limit: 10 },
      { key: "documents", label: "Documents", value: 2, unit: "documents", limit: 100 },
      { key: "storage_bytes", label: "Storage used", value: bytes, unit: "bytes", limit: 104_857_600 },
      {
        key: "chat_messages",
        label: "Messages this period",
        value: 3,
        unit: "messages",
        limit: 500,
        previous: 4,
      },
      {
        key: "ingested_pages",
        label: "Pages ingested this period",
        value: 2,
        unit: "pages",
        limit: 1000,
        previous: 0,
      },
      {
        key: "llm_tokens",
        label: "LLM tokens this period",
        value: tokens,
        unit: "tokens",
        limit: 5_000_000,
        previous: 900,
      },
      { key: "documents.queued", label: "Documents queued", value: 0, unit: "documents" },
      { key: "documents.processing", label: "Documents being ingested", value: 0, unit: "documents" },
      { key: "documents.ready", label: "Documents ready", value: 2, unit: "documents" },
      { key: "documents.failed", label: "Documents failed", value: 0, unit: "documents" },
      { key: "chunks", label: "Chunks indexed", value: chunks, unit: "chunks" },
      ...[
        ["assistants", "Assistants", 66.7],
        ["collections", "Collections", 10],
        ["documents", "Documents", 2],
        ["storage_bytes", "Storage used", Math.round((bytes / 104_857_600) * 1000) / 10],
        ["chat_messages", "Messages this period", 0.6],
        ["ingested_pages", "Pages ingested this period", 0.2],
        ["llm_tokens", "LLM tokens this period", Math.round((tokens / 5_000_000) * 1000) / 10],
      ].map(([metric, label, value]) => ({
        key: `quota.${metric}`,
        label: `${label}: share of the plan`,
        value,
        unit: "percent",
        limit: 100,
      })),
      {
        key: `assistant.${busy.id}.messages`,
        label: "Questions to Busy",
        value: 2,
        unit: "messages",
        previous: 0,
      },
      {
        key: `assistant.${quiet.id}.messages`,
        label: "Questions to Quiet",
        value: 1,
        unit: "messages",
        previous: 1,
      },
    ]);
  });

  it("gives a new tenant zeros, and no assistants", async () => {
    const tenant = await createTenant();
    const kpis = await tenant.client.expectJson(200, "POST", "copilotkit/actions/kpi", TenantKpisSchema);
    expect(kpis.kpis.every((kpi) => kpi.value === 0)).toBe(true);
    expect(kpis.kpis.some((kpi) => kpi.key.startsWith("assistant."))).toBe(false);
    expect(kpiOf(kpis, "chat_messages")).toMatchObject({ value: 0, previous: 0, limit: 500 });
  });
});
