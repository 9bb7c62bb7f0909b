import { describe, expect, it } from "vitest";
import { FeedbackSchema } from "../../src/routes/chat/chat.schemas";
import type { ApiClient } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { createAssistant, createTenant } from "../helpers/tenants";

const feedbackPath = (assistantId: string, conversationId: string, messageId: string) =>
  `chat/${assistantId}/conversations/${conversationId}/messages/${messageId}/feedback`;

const rate = (client: ApiClient, path: string, json: unknown) =>
  client.expectJson(200, "PUT", path, FeedbackSchema, { json });

describe("feedback on answers", async () => {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);

  it("stores a thumb with the answer, changeable by its author, shown on the history", async () => {
    const reply = await ask(tenant.client, assistant.id, { message: "Is there a refund policy?" });
    const path = feedbackPath(assistant.id, reply.conversation_id, reply.message_id);

    const first = await rate(tenant.client, path, { rating: "up" });
    expect(first).toMatchObject({ rating: "up", comment: null });
    const changed = await rate(tenant.client, path, {
      rating: "down",
      comment: "  It says nothing on refunds ",
    });
    expect(changed).toMatchObject({ rating: "down", comment: "It says nothing on refunds" });
    expect(changed.created_at).toBe(first.created_at);
    // An absent comment keeps the one given before; null clears it.
    expect(await rate(tenant.client, path, { rating: "down" })).toMatchObject({
      comment: "It says nothing on refunds",
    });

    const history = await conversationHistory(tenant.client, assistant.id, reply.conversation_id);
    expect(history.messages.map((message) => message.feedback?.rating ?? null)).toEqual([null, "down"]);
    expect(history.messages[1]!.feedback?.comment).toBe("It says nothing on refunds");

    expect(await rate(tenant.client, path, { rating: "up", comment: null })).toMatchObject({
      rating: "up",
      comment: null,
    });
  });

  it("withdraws feedback, and then has none to withdraw", async () => {
    const reply = await ask(tenant.client, assistant.id, { message: "Opening hours?" });
    const path = feedbackPath(assistant.id, reply.conversation_id, reply.message_id);
    await rate(tenant.client, path, { rating: "down" });
    await tenant.client.expectNoContent("DELETE", path);
    const history = await conversationHistory(tenant.client, assistant.id, reply.conversation_id);
    expect(history.messages[1]!.feedback).toBeNull();
    await tenant.client.expectProblem(404, "DELETE", path);
  });

  it("rates answers only: a question is a 404, a bad rating a validation error", async () => {
    const reply = await ask(tenant.client, assistant.id, { message: "Where are you?" });
    const history = await conversationHistory(tenant.client, assistant.id, reply.conversation_id);
    const question = history.messages.find((message) => message.role === "user")!;
    await tenant.client.expectProblem(
      404,
      "PUT",
      feedbackPath(assistant.id, reply.conversation_id, question.id),
      {
        json: { rating: "up" },
      },
    );
    const problem = await tenant.client.expectProblem(
      400,
      "PUT",
      feedbackPath(assistant.id, reply.conversation_id, reply.message_id),
      { json: { rating: "meh", comment: "x".repeat(2001) } },
    );
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(["json.comment", "json.rating"]);
  });
});
