import { describe, expect, it } from "vitest";
import { CompletionResponseSchema } from "../../src/routes/openai/openai.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { fieldsOf } from "../helpers/api";
import type { TestTenant } from "../helpers/tenants";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

const MESSAGE_CHARS = 8_000;

async function expectNothingCharged(tenant: TestTenant) {
  const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
  for (const metric of ["chat_messages", "llm_tokens"] as const) {
    expect(usage.metrics[metric], metric).toMatchObject({ used: 0, reserved: 0 });
  }
}

describe("the bounds of a chat message, the same on /chat and /openai/chat/completions", async () => {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, [(await createCollection(tenant)).id]);
  const completion = (messages: unknown[]) =>
    tenant.client.expectProblem(400, "POST", "openai/chat/completions", {
      json: { model: assistant.id, messages },
    });

  it("refuses a message over the limit on both paths, before any quota", async () => {
    const long = "a".repeat(MESSAGE_CHARS + 1);
    const chat = await tenant.client.expectProblem(400, "POST", `chat/${assistant.id}`, {
      json: { message: long },
    });
    expect(fieldsOf(chat)).toEqual(["json.message"]);

    const openai = await completion([{ role: "user", content: long }]);
    expect(openai.code).toBe("validation_failed");
    expect(fieldsOf(openai)).toEqual(["json.messages.0.content"]);

    // The same text split into parts is the same message.
    const half = "b".repeat(MESSAGE_CHARS / 2 + 1);
    const parts = await completion([
      {
        role: "user",
        content: [
          { type: "text", text: half },
          { type: "text", text: half },
        ],
      },
    ]);
    expect(fieldsOf(parts)).toEqual(["json.messages.0.content"]);
    await expectNothingCharged(tenant);
  });

  it("refuses too many messages, or too much text in all", async () => {
    const tooMany = Array.from({ length: 101 }, () => ({ role: "user", content: "hi" }));
    expect(fieldsOf(await completion(tooMany))[0]).toBe("json.messages");
    const full = Array.from({ length: 9 }, () => ({ role: "user", content: "c".repeat(MESSAGE_CHARS) }));
    const tooLong = await completion(full);
    expect(fieldsOf(tooLong)).toEqual(["json.messages"]);
    await expectNothingCharged(tenant);
  });

  it("answers a message at the limit", async () => {
    const answer = await tenant.client.expectJson(
      200,
      "POST",
      "openai/chat/completions",
      CompletionResponseSchema,
      {
        json: { model: assistant.id, messages: [{ role: "user", content: "d".repeat(MESSAGE_CHARS) }] },
      },
    );
    expect(answer.object).toBe("chat.completion");
  });
});
