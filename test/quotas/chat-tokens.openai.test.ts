import { describe, expect, it } from "vitest";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

/** Runs in the "openai" project: a model (the local Chat Completions fake) answers. */

async function assistantOverDocuments(tenant: TestTenant, topK?: number) {
  const collection = await createCollection(tenant);
  const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  return tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: {
      name: "Model",
      system_prompt: "Answer from the documents.",
      collection_ids: [collection.id],
      top_k: topK,
    },
  });
}

const QUESTION = "Which clubs did Iwan Roberts play for?";

describe("LLM tokens when a model answers", () => {
  it("commits what each turn's model calls really used, first question and follow-up", async () => {
    const tenant = await createTenant();
    const assistant = await assistantOverDocuments(tenant);
    const used = async () =>
      (await tenant.client.expectJson(200, "GET", "usage", UsageSchema)).metrics.llm_tokens;

    const first = await ask(tenant.client, assistant.id, { message: QUESTION });
    expect(first.usage).toMatchObject({ estimated: false });
    expect(first.usage.total_tokens).toBeGreaterThan(100);
    expect(await used()).toMatchObject({ used: first.usage.total_tokens, reserved: 0 });

    const followUp = await ask(tenant.client, assistant.id, {
      message: "And where was he born?",
      conversation_id: first.conversation_id,
    });
    const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
    // The stored answer shows what the quota counted (the rewrite included: see answer-usage.test.ts).
    expect(history.messages.at(-1)?.usage).toEqual(followUp.usage);
    expect(await used()).toMatchObject({
      used: first.usage.total_tokens + followUp.usage.total_tokens,
      reserved: 0,
    });
  });

  it("lets concurrent chats at top_k 50 through while the token budget covers what they can use", async () => {
    const tenant = await createTenant();
    const assistant = await assistantOverDocuments(tenant, 50);
    // Eight turns of at most ~9,000 tokens each fit in 100,000; eight of top_k × CHUNK_SIZE
    // (about 43,000 each) did not.
    const client = apiWithEnv({ MAX_LLM_TOKENS_PER_MONTH: "100000" }, { "x-tenant-id": tenant.id });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.request("POST", `chat/${assistant.id}`, { json: { message: `${QUESTION} (${i})` } }),
      ),
    );
    const statuses = await Promise.all(
      responses.map(async (response) => `${response.status} ${response.ok ? "" : await response.text()}`),
    );
    expect(statuses).toEqual(Array(8).fill("200 "));
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.llm_tokens.reserved).toBe(0);
    expect(usage.metrics.llm_tokens.used).toBeGreaterThan(0);
    expect(usage.metrics.llm_tokens.used).toBeLessThanOrEqual(100_000);
  }, 60_000);
});
