import { describe, expect, it } from "vitest";
import { ConversationPageSchema } from "../../src/routes/chat/chat.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.routes";
import { apiWithEnv, expectProblemBody } from "../helpers/api";
import { ask } from "../helpers/chat";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

describe("chat quotas", () => {
  it("lets exactly 50 of 100 concurrent chats through when 50 messages are left", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const client = apiWithEnv(
      { MAX_CHAT_MESSAGES_PER_MONTH: "50", MAX_REQUESTS_PER_MINUTE_PER_KEY: "1000" },
      { "x-tenant-id": tenant.id },
    );
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        client.request("POST", `chat/${assistant.id}`, { json: { message: `Question number ${i}?` } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    const refused = await expectProblemBody(responses.find((r) => r.status === 429)!, 429);
    expect(refused).toMatchObject({ code: "quota_exceeded", metric: "chat_messages", limit: 50 });
    expect(refused.resets_at).toEqual(expect.any(String));
    expect(responses.find((r) => r.status === 200)!.headers.get("ratelimit-limit")).toBe("1000");

    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.chat_messages).toMatchObject({ used: 50, limit: 50, remaining: 0 });
    // Refused messages leave no trace: 50 conversations, no more.
    const conversations = await client.expectJson(
      200,
      "GET",
      `chat/${assistant.id}/conversations?limit=100`,
      ConversationPageSchema,
    );
    expect(conversations.data).toHaveLength(50);
  }, 120_000);

  it("counts the tokens each turn really used", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, document.id);
    const assistant = await createAssistant(tenant, [collection.id]);
    const before = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    const reply = await ask(tenant.client, assistant.id, {
      message: "Which clubs did Iwan Roberts play for?",
    });
    expect(reply.usage.total_tokens).toBeGreaterThan(100);
    const after = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(after.metrics.chat_messages.used - before.metrics.chat_messages.used).toBe(1);
    expect(after.metrics.llm_tokens.used - before.metrics.llm_tokens.used).toBe(reply.usage.total_tokens);
    expect(after.metrics.llm_tokens.reserved).toBe(0);
  });
});
