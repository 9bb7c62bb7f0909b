import { describe, expect, it } from "vitest";
import { FeedbackSchema } from "../../src/routes/chat/chat.schemas";
import type { ApiClient } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { clerkClient, signToken } from "../helpers/clerk";
import { addMember, createAssistant, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, visitorClient } from "../helpers/widgets";

const feedbackPath = (assistantId: string, conversationId: string, messageId: string) =>
  `chat/${assistantId}/conversations/${conversationId}/messages/${messageId}/feedback`;

/** Tries to rate and to withdraw; expects `status` for both and the answer left unrated. */
async function expectRefused(client: ApiClient, status: number, path: string) {
  await client.expectProblem(status, "PUT", path, { json: { rating: "down", comment: "hijacked" } });
  await client.expectProblem(status, "DELETE", path);
}

describe("who may rate an answer", async () => {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);
  const person = async (role: "member" | "admin") => {
    const userId = `user_${role}_${crypto.randomUUID().slice(0, 8)}`;
    await addMember(tenant, userId, role);
    return clerkClient(await signToken({ sub: userId }), { "x-tenant-id": tenant.id });
  };
  const alice = await person("member");
  const bob = await person("member");
  const admin = await person("admin");
  const widget = await publishWidget(tenant, assistant.id);

  it("a visitor rates the answers of its own conversation, never another visitor's", async () => {
    const first = visitorClient(await openSession(SITE, widget.publishable_key!));
    const second = visitorClient(await openSession(SITE, widget.publishable_key!));
    const reply = await ask(first, assistant.id, { message: "Do you ship abroad?" });
    const path = feedbackPath(assistant.id, reply.conversation_id, reply.message_id);

    await expectRefused(second, 404, path);
    expect(
      await first.expectJson(200, "PUT", path, FeedbackSchema, { json: { rating: "down" } }),
    ).toMatchObject({
      rating: "down",
    });
    // The second visitor's attempts changed nothing.
    const history = await conversationHistory(tenant.client, assistant.id, reply.conversation_id);
    expect(history.messages[1]!.feedback).toMatchObject({ rating: "down", comment: null });
    await expectRefused(second, 404, path);
  });

  it("a visitor's token reaches no other assistant's answers", async () => {
    const other = await createAssistant(tenant, [], "Other");
    const reply = await ask(tenant.client, other.id, { message: "Hello?" });
    const visitor = visitorClient(await openSession(SITE, widget.publishable_key!));
    await expectRefused(visitor, 404, feedbackPath(other.id, reply.conversation_id, reply.message_id));
  });

  it("a member cannot rate another member's answer (404); an admin reads it but cannot rate it (403)", async () => {
    const reply = await ask(alice, assistant.id, { message: "What is the warranty?" });
    const path = feedbackPath(assistant.id, reply.conversation_id, reply.message_id);
    await expectRefused(bob, 404, path);
    await expectRefused(admin, 403, path);
    await expectRefused(tenant.client, 403, path);
    const history = await conversationHistory(alice, assistant.id, reply.conversation_id);
    expect(history.messages[1]!.feedback).toBeNull();
  });

  it("another tenant's answer is a 404, even through its own assistant's path", async () => {
    const reply = await ask(tenant.client, assistant.id, { message: "Any discounts?" });
    const intruder = await createTenant();
    const intruderAssistant = await createAssistant(intruder, []);
    await expectRefused(
      intruder.client,
      404,
      feedbackPath(assistant.id, reply.conversation_id, reply.message_id),
    );
    await expectRefused(
      intruder.client,
      404,
      feedbackPath(intruderAssistant.id, reply.conversation_id, reply.message_id),
    );
    const history = await conversationHistory(tenant.client, assistant.id, reply.conversation_id);
    expect(history.messages[1]!.feedback).toBeNull();
  });
});
