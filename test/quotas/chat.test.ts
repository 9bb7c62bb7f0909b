import { describe, expect, it } from "vitest";
import { ChatResponseSchema, ConversationPageSchema } from "../../src/routes/chat/chat.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv, expectProblemBody } from "../helpers/api";
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

  it("charges no LLM tokens for answers made without a model, so the messages alone limit chat", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, document.id);
    const assistant = await createAssistant(tenant, [collection.id]);
    // The smallest token budget there is: extractive answers need none of it.
    const client = apiWithEnv(
      { MAX_CHAT_MESSAGES_PER_MONTH: "12", MAX_LLM_TOKENS_PER_MONTH: "1" },
      { "x-tenant-id": tenant.id },
    );
    let conversationId: string | undefined;
    for (let i = 0; i < 12; i++) {
      const reply = await client.expectJson(200, "POST", `chat/${assistant.id}`, ChatResponseSchema, {
        json: { message: "Which clubs did Iwan Roberts play for?", conversation_id: conversationId },
      });
      expect(reply.citations.length, "answered from the documents").toBeGreaterThan(0);
      expect(reply.usage.total_tokens).toBe(0);
      // Half first questions, half follow-ups.
      conversationId = i % 2 === 0 ? reply.conversation_id : undefined;
    }
    const refused = await client.expectProblem(429, "POST", `chat/${assistant.id}`, {
      json: { message: "One more?" },
    });
    expect(refused).toMatchObject({ code: "quota_exceeded", metric: "chat_messages", limit: 12 });
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.chat_messages).toMatchObject({ used: 12, reserved: 0 });
    expect(usage.metrics.llm_tokens).toMatchObject({ used: 0, reserved: 0 });
  }, 60_000);
});
