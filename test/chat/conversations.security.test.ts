import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { databaseFor } from "../../src/storage/db";
import { insertTurnMessages, type MessageRow } from "../../src/storage/repositories/conversations.repo";
import { ask, conversationHistory } from "../helpers/chat";
import { createAssistant, createTenant } from "../helpers/tenants";

describe("the conversations repository", () => {
  it("changes nothing of another tenant's conversation when a turn is written with its id", async () => {
    const owner = await createTenant();
    const assistant = await createAssistant(owner, []);
    const first = await ask(owner.client, assistant.id, { message: "hello" });
    const history = () => conversationHistory(owner.client, assistant.id, first.conversation_id);
    const before = await history();

    const intruder = await createTenant();
    const later = new Date(Date.parse(before.updated_at) + 60_000).toISOString();
    const message = (id: string, role: MessageRow["role"]): MessageRow => ({
      id,
      tenantId: intruder.id,
      conversationId: first.conversation_id,
      role,
      content: "written by another tenant",
      status: "complete",
      citations: null,
      usage: null,
      model: null,
      finishReason: null,
      error: null,
      createdAt: later,
      updatedAt: later,
    });
    await insertTurnMessages(
      databaseFor(env.DB),
      message(`msg_${crypto.randomUUID()}`, "user"),
      message(`msg_${crypto.randomUUID()}`, "assistant"),
    );

    expect(await history()).toEqual(before);
  });
});
