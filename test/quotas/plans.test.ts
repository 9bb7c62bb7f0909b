import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { loadTokenCounter } from "../../src/ingest/tokens";
import { ANSWER_MAX_TOKENS, SOURCES_TOKEN_BUDGET } from "../../src/providers/llm/prompt";
import { AssistantPageSchema, AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { CollectionPageSchema, CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { DocumentPageSchema } from "../../src/routes/documents/documents.schemas";
import { UsageHistorySchema, UsageSchema } from "../../src/routes/usage/usage.schemas";
import { ASSISTANT_DEFAULTS } from "../../src/services/assistants/assistants.service";
import { turnAmounts } from "../../src/services/chat/usage";
import { planLimits } from "../../src/services/plans/plans.service";
import { calendarMonth, currentPeriod } from "../../src/services/quotas/period";
import { commitQuota, reserveQuota } from "../../src/services/quotas/quotas.service";
import type { AssistantWithCollections } from "../../src/storage/repositories/assistants.repo";
import { apiWithEnv } from "../helpers/api";
import { changeSubscription, stripeEnv, subscriptionObject, upgradeToPro } from "../helpers/billing";
import { search, upload, uploadRequest, waitForDocument } from "../helpers/documents";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

const DAY = 86_400_000;

/** An assistant as the chat services read it, over one collection. */
const assistantWith = (topK: number): AssistantWithCollections => ({
  id: "ast_test",
  tenantId: "ten_test",
  name: "Helper",
  systemPrompt: "You answer from the documents.",
  model: null,
  temperature: ASSISTANT_DEFAULTS.temperature,
  language: ASSISTANT_DEFAULTS.language,
  topK,
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
  collectionIds: ["col_test"],
});

// The token tables load on first use (a large module: slow to transform on a busy machine).
beforeAll(loadTokenCounter, 60_000);

describe("plans", () => {
  it("has every limit for both plans, each overridable by configuration", () => {
    const defaults = parseConfig({});
    expect(Object.keys(defaults.plans.free).sort()).toEqual(
      [
        "assistants",
        "chat_messages",
        "collections",
        "documents",
        "ingested_pages",
        "llm_tokens",
        "requests_per_minute",
        "storage_bytes",
      ].sort(),
    );
    for (const [metric, free] of Object.entries(defaults.plans.free)) {
      expect(defaults.plans.pro[metric as keyof typeof defaults.plans.pro], metric).toBeGreaterThan(free);
    }
    const custom = parseConfig({ MAX_LLM_TOKENS_PER_MONTH: "42", PRO_MAX_STORAGE_BYTES_PER_TENANT: "7" });
    expect(custom.plans.free.llm_tokens).toBe(42);
    expect(custom.plans.pro.storage_bytes).toBe(7);
    expect(() => parseConfig({ MAX_DOCUMENTS_PER_TENANT: "0" })).toThrow(
      /^Invalid configuration: MAX_DOCUMENTS_PER_TENANT/,
    );
    // Without billing, a tenant stored as Pro runs on the free limits.
    expect(planLimits(defaults, "pro")).toEqual(defaults.plans.free);
    const billed = parseConfig({
      STRIPE_SECRET_KEY: "sk",
      STRIPE_WEBHOOK_SECRET: "wh",
      STRIPE_PRICE_PRO: "p",
    });
    expect(planLimits(billed, "pro")).toEqual(billed.plans.pro);
    expect(() => parseConfig({ STRIPE_SECRET_KEY: "sk", STRIPE_PRICE_PRO: "p" })).toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    );
  });

  it("gives each plan the LLM tokens its chat messages need when a model answers with the default settings", () => {
    const withModel = depsWith({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "sk-unused" });
    // A follow-up reserves the most of any turn with the default settings: history and a rewrite.
    const followUp = {
      assistant: assistantWith(ASSISTANT_DEFAULTS.topK),
      message: "Which clubs did he play for after leaving Norwich City?",
      withHistory: true,
    };
    const perMessage = turnAmounts(withModel, followUp).llm_tokens!;
    expect(perMessage).toBeGreaterThan(0);
    for (const plan of ["free", "pro"] as const) {
      const limits = withModel.config.plans[plan];
      expect(limits.chat_messages * perMessage, plan).toBeLessThanOrEqual(limits.llm_tokens);
    }
    // The default configuration answers without a model: a message needs no token at all.
    expect(turnAmounts(depsWith(), followUp)).toEqual({ chat_messages: 1 });
  });

  it("reserves for a model turn what its prompt can hold, not top_k chunks", () => {
    const withModel = depsWith({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "sk-unused" });
    const reserved = (topK: number) =>
      turnAmounts(withModel, { assistant: assistantWith(topK), message: "Who?", withHistory: false })
        .llm_tokens!;
    const chunk = withModel.config.chunking.size;
    expect(reserved(1)).toBeGreaterThan(chunk);
    expect(reserved(2) - reserved(1)).toBeGreaterThanOrEqual(chunk);
    // Past the sources budget, more chunks are not sent, so not reserved.
    expect(reserved(50)).toBe(reserved(20));
    expect(reserved(50)).toBeLessThan(SOURCES_TOKEN_BUDGET + ANSWER_MAX_TOKENS + 500);
    // No collections: no sources, no model call.
    const bare = { ...assistantWith(50), collectionIds: [] };
    expect(turnAmounts(withModel, { assistant: bare, message: "Who?", withHistory: true })).toEqual({
      chat_messages: 1,
      llm_tokens: 0,
    });
  });

  it("refuses collections over the plan's count, even under concurrency", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({ MAX_COLLECTIONS_PER_TENANT: "2" }, { "x-tenant-id": tenant.id });
    const attempts = await Promise.all(
      Array.from({ length: 5 }, (_, i) => client.request("POST", "collections", { json: { name: `C${i}` } })),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 201, 403, 403, 403]);
    const refused = attempts.find((r) => r.status === 403)!;
    expect(await refused.json()).toMatchObject({
      code: "plan_limit_reached",
      metric: "collections",
      limit: 2,
    });
    expect((await client.expectJson(200, "GET", "usage", UsageSchema)).metrics.collections).toMatchObject({
      used: 2,
      remaining: 0,
    });
  });

  it("lifts a limit the moment the tenant upgrades", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv(
      { ...stripeEnv(), MAX_DOCUMENTS_PER_TENANT: "1", PRO_MAX_DOCUMENTS_PER_TENANT: "5" },
      { "x-tenant-id": tenant.id },
    );
    const collection = await createCollection(tenant);
    await upload({ ...tenant, client }, collection.id, "a.txt", encode("first"));
    expect((await uploadRequest(client, collection.id, "b.txt", encode("second"))).status).toBe(429);
    await upgradeToPro(client, tenant.id);
    expect((await uploadRequest(client, collection.id, "b.txt", encode("second"))).status).toBe(202);
    expect((await client.expectJson(200, "GET", "usage", UsageSchema)).metrics.documents).toMatchObject({
      used: 2,
      limit: 5,
    });
  });

  it("keeps everything on a downgrade but refuses new creations above the free limits", async () => {
    const tenant = await createTenant();
    const limits = {
      ...stripeEnv(),
      MAX_DOCUMENTS_PER_TENANT: "1",
      MAX_COLLECTIONS_PER_TENANT: "1",
      MAX_ASSISTANTS_PER_TENANT: "1",
    };
    const client = apiWithEnv(limits, { "x-tenant-id": tenant.id });
    const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
    const docs = await client.expectJson(201, "POST", "collections", CollectionSchema, {
      json: { name: "Docs" },
    });
    await client.expectJson(201, "POST", "collections", CollectionSchema, { json: { name: "More" } });
    const body = { name: "A", system_prompt: "p", collection_ids: [docs.id] };
    await client.expectJson(201, "POST", "assistants", AssistantSchema, { json: body });
    await client.expectJson(201, "POST", "assistants", AssistantSchema, { json: body });
    const kept = await upload(
      { ...tenant, client },
      docs.id,
      "kept.md",
      encode("# Kept\n\nThe heron nests by the weir."),
    );
    await upload({ ...tenant, client }, docs.id, "also.txt", encode("A second document."));
    await waitForDocument(tenant, kept.id);

    const cancel = subscriptionObject({
      id: subscriptionId,
      customer,
      status: "canceled",
      tenantId: tenant.id,
      period,
    });
    const response = await changeSubscription(client, "customer.subscription.deleted", cancel);
    expect(response.status).toBe(200);

    // Everything is still there and still found...
    expect((await client.expectJson(200, "GET", "collections", CollectionPageSchema)).data).toHaveLength(2);
    expect((await client.expectJson(200, "GET", "assistants", AssistantPageSchema)).data).toHaveLength(2);
    expect((await client.expectJson(200, "GET", "documents", DocumentPageSchema)).data).toHaveLength(2);
    expect((await search(tenant, "heron weir")).map((hit) => hit.document_id)).toContain(kept.id);
    // ...but nothing new is created above the free limits.
    expect((await client.expectProblem(403, "POST", "collections", { json: { name: "X" } })).metric).toBe(
      "collections",
    );
    expect((await client.expectProblem(403, "POST", "assistants", { json: body })).metric).toBe("assistants");
    const refused = await uploadRequest(client, docs.id, "new.txt", encode("new"));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ metric: "documents", limit: 1, plan: "free" });
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.plan).toBe("free");
    expect(usage.metrics.documents).toMatchObject({ used: 2, limit: 1, remaining: 0 });
  }, 60_000);

  it("starts the flow counters again when a new billing period begins", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv(stripeEnv(), { "x-tenant-id": tenant.id });
    const deps = depsWith(stripeEnv());
    const first = { start: new Date(Date.now() - 20 * DAY), end: new Date(Date.now() + 10 * DAY) };
    const { customer, subscriptionId } = await upgradeToPro(client, tenant.id, first);
    const ctx = quotaCtx(tenant.id);
    const reservation = await reserveQuota({
      ctx,
      deps,
      input: { amounts: { chat_messages: 5, llm_tokens: 900 } },
    });
    await commitQuota({ ctx, deps, input: { reservationId: reservation.id } });
    const before = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(before.metrics.chat_messages.used).toBe(5);

    // Stripe renews the subscription: the next period starts now.
    const second = { start: new Date(Date.now() - 60_000), end: new Date(Date.now() + 30 * DAY) };
    const renewed = subscriptionObject({ id: subscriptionId, customer, status: "active", period: second });
    await changeSubscription(client, "customer.subscription.updated", renewed);

    const after = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(after.period.start).toBe(new Date(Math.floor(second.start.getTime() / 1000) * 1000).toISOString());
    expect(after.metrics.chat_messages).toMatchObject({
      used: 0,
      remaining: after.metrics.chat_messages.limit,
    });
    expect(after.metrics.llm_tokens.used).toBe(0);
    // Resources do not reset.
    expect(after.metrics.storage_bytes.resets_at).toBeNull();
    // What was used stays in the history.
    const today = new Date().toISOString().slice(0, 10);
    const history = await client.expectJson(
      200,
      "GET",
      `usage/history?from=${today}&to=${today}`,
      UsageHistorySchema,
    );
    expect(history.buckets[0]!.metrics).toMatchObject({ chat_messages: 5, llm_tokens: 900 });
  });

  it("counts free tenants by calendar month, and rolls a late subscription period forward", async () => {
    const tenant = await createTenant();
    const free = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(free.period).toEqual(calendarMonth(new Date()));

    const client = apiWithEnv(stripeEnv(), { "x-tenant-id": tenant.id });
    // The renewal webhook is late: the stored period ended ten days ago.
    const ended = { start: new Date(Date.now() - 40 * DAY), end: new Date(Date.now() - 10 * DAY) };
    await upgradeToPro(client, tenant.id, ended);
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    const endedIso = new Date(Math.floor(ended.end.getTime() / 1000) * 1000).toISOString();
    expect(usage.period.start).toBe(endedIso);
    expect(new Date(usage.period.end).getTime()).toBeGreaterThan(Date.now());
  });
});

describe("billing periods", () => {
  it("is the UTC calendar month for free tenants", () => {
    expect(calendarMonth(new Date("2026-12-31T23:59:59Z"))).toEqual({
      start: "2026-12-01T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
    });
  });

  it("follows a subscription's period, rolling forward month by month on Stripe's anchors", () => {
    const subscription = { start: "2026-12-31T10:00:00.000Z", end: "2027-01-31T10:00:00.000Z" };
    expect(currentPeriod(subscription, new Date("2027-01-15T00:00:00Z"))).toEqual(subscription);
    expect(currentPeriod(subscription, new Date("2027-02-10T00:00:00Z"))).toEqual({
      start: "2027-01-31T10:00:00.000Z",
      end: "2027-02-28T10:00:00.000Z",
    });
    expect(currentPeriod(subscription, new Date("2027-03-30T00:00:00Z"))).toEqual({
      start: "2027-02-28T10:00:00.000Z",
      end: "2027-03-31T10:00:00.000Z",
    });
    expect(currentPeriod({ start: null, end: null }, new Date("2027-03-30T00:00:00Z"))).toEqual(
      calendarMonth(new Date("2027-03-30T00:00:00Z")),
    );
  });
});
