import { exports } from "cloudflare:workers";
import type { z } from "@hono/zod-openapi";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import type { CitationSchema } from "../../src/routes/chat/chat.schemas";
import { CompletionResponseSchema } from "../../src/routes/openai/openai.schemas";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

/** The official `openai` client, pointed at this Worker with an Ancre API key. */
function openaiClient(apiKey: string) {
  return new OpenAI({
    apiKey,
    baseURL: "http://ancre.test/api/v1/openai",
    maxRetries: 0,
    fetch: (url: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(url, init)),
  });
}

type Citation = z.infer<typeof CitationSchema>;

describe("the OpenAI-compatible endpoint", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await uploadCorpus(tenant, collection.id, "pdf/tracemonkey.pdf");
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const assistant = await createAssistant(tenant, [collection.id]);
  const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
    json: { name: "openai client" },
  });
  const client = openaiClient(key);
  const question = "What does trace-based just-in-time type specialization do for dynamic languages?";

  it("answers a chat.completion with citations in an extra field", async () => {
    const completion = await client.chat.completions.create({
      model: assistant.id,
      messages: [
        { role: "system", content: "ignored: the assistant's own prompt applies" },
        { role: "user", content: question },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(assistant.id);
    const answer = completion.choices[0]!.message.content!;
    expect(answer).toMatch(/\[\d\]/);
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    // Extractive answers use no model tokens.
    expect(completion.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    const { citations } = CompletionResponseSchema.parse(completion);
    expect(citations.length).toBeGreaterThan(0);
    expect(citations[0]!.filename).toBe("tracemonkey.pdf");
  });

  it("streams chunks, citations on the final one, usage when asked", async () => {
    const stream = await client.chat.completions.create({
      model: assistant.id,
      messages: [{ role: "user", content: question }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finishReason: string | null = null;
    let citations: Citation[] | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      // Ancre's extra field, which the SDK's chunk type does not know.
      if ("citations" in chunk) citations = chunk.citations as Citation[];
      usage = chunk.usage ?? usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(finishReason).toBe("stop");
    expect(text).toMatch(/\[\d\]/);
    expect(citations?.[0]?.filename).toBe("tracemonkey.pdf");
    expect(usage).toMatchObject({ total_tokens: 0 });
  });

  it("answers a wrong assistant id or a bad key as the SDK expects errors", async () => {
    await expect(
      client.chat.completions.create({ model: "ast_nope", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      openaiClient("ak_00000000000000000000000000000000").chat.completions.create({
        model: assistant.id,
        messages: [{ role: "user", content: "hi" }],
      }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      client.chat.completions.create({
        model: assistant.id,
        messages: [{ role: "assistant", content: "hi" }],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe("the OpenAI-compatible endpoint, isolated by tenant", () => {
  it("does not let another tenant's key use an assistant", async () => {
    const owner = await createTenant();
    const assistant = await createAssistant(owner, []);
    const intruder = await createTenant();
    const { key } = await intruder.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "k" },
    });
    await expect(
      openaiClient(key).chat.completions.create({
        model: assistant.id,
        messages: [{ role: "user", content: "hi" }],
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
