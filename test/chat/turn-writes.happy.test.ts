import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import type { ConversationDurableObject } from "../../src/durable-objects/conversation.do";
import { ConversationPageSchema } from "../../src/routes/chat/chat.schemas";
import type { TurnSpec } from "../../src/services/chat/conversation.interface";
import { type TurnStore, turnContext, turnHistory } from "../../src/services/chat/turn";
import { ask, conversationHistory } from "../helpers/chat";
import { readSse } from "../helpers/sse";
import { createAssistant, createTenant } from "../helpers/tenants";

const BOOKMARK = /^[0-9a-f]+(-[0-9a-f]+)*$/i;

const conversationObject = (conversationId: string) => env.CONVERSATION.getByName(conversationId);

/** The D1 bookmark the conversation's object holds: after the last of its writes that landed. */
const objectBookmark = (conversationId: string) =>
  runInDurableObject(
    conversationObject(conversationId),
    (_instance, state: DurableObjectState) =>
      state.storage.sql.exec<{ value: string }>("SELECT value FROM d1_bookmark").one().value,
  );

describe("a turn's writes, after its first byte", () => {
  it("streams `done` with a bookmark: read with it, the new conversation is listed with its turn; another tenant gets a 404", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const before = await tenant.client.request("POST", "collections", { json: { name: "Before" } });
    const earlier = before.headers.get("x-d1-bookmark")!;

    const response = await tenant.client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "hello" },
    });
    expect(response.status).toBe(200);
    const { events } = await readSse(response.body!);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    const bookmark: string = done.data.bookmark;
    expect(bookmark).toMatch(BOOKMARK);
    // Later than any write before the request: it is the turn's (bookmarks sort in D1's order).
    expect(bookmark > earlier).toBe(true);
    const conversationId: string = events[0]!.data.conversation_id;
    // The object went on writing (the answer) after `done`: its bookmark is at least as far.
    expect((await objectBookmark(conversationId)) >= bookmark).toBe(true);

    const headers = { "x-d1-bookmark": bookmark };
    const page = await tenant.client.expectJson(
      200,
      "GET",
      `chat/${assistant.id}/conversations`,
      ConversationPageSchema,
      { headers },
    );
    expect(page.data.map((conversation) => conversation.id)).toContain(conversationId);
    const read = await conversationHistory(tenant.client, assistant.id, conversationId);
    expect(read.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);

    const other = await createTenant();
    const otherAssistant = await createAssistant(other, []);
    await other.client.expectProblem(404, "GET", `chat/${assistant.id}/conversations/${conversationId}`);
    await other.client.expectProblem(404, "GET", `chat/${otherAssistant.id}/conversations/${conversationId}`);
    await other.client.expectProblem(404, "POST", `chat/${otherAssistant.id}`, {
      json: { message: "mine?", conversation_id: conversationId },
    });
  });

  it("answers a non-streamed message with the bookmark of its answer's write", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const response = await tenant.client.request("POST", `chat/${assistant.id}`, {
      json: { message: "hello" },
    });
    expect(response.status).toBe(200);
    const { conversation_id } = (await response.json()) as { conversation_id: string };
    // The request itself wrote nothing: its bookmark is the object's, after the answer landed.
    expect(response.headers.get("x-d1-bookmark")).toBe(await objectBookmark(conversation_id));
    const stored = await env.DB.prepare("SELECT status FROM messages WHERE conversation_id = ? ORDER BY id")
      .bind(conversation_id)
      .all<{ status: string }>();
    expect(stored.results.map((row) => row.status)).toEqual(["complete", "complete"]);
  });

  it("gives the next turn the previous one as history, from the object, while D1 still lacks its answer", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    // As if the answer's D1 write had not landed yet.
    await env.DB.prepare("UPDATE messages SET status = 'generating', content = '' WHERE id = ?")
      .bind(first.message_id)
      .run();

    const stub = conversationObject(first.conversation_id);
    const history = await runInDurableObject(stub, async (instance: ConversationDurableObject, state) => {
      const spec: TurnSpec = {
        ...(JSON.parse(
          state.storage.sql.exec<{ spec: string }>("SELECT spec FROM turn").one().spec,
        ) as TurnSpec),
        turnId: "msg_next",
        userMessageId: "msg_next_question",
        assistantMessageId: "msg_next_answer",
        message: "and then?",
      };
      const store = (instance as unknown as { storeFor(spec: TurnSpec): TurnStore }).storeFor(spec);
      return turnHistory({
        ctx: turnContext(spec),
        deps: depsFor(env),
        input: { spec, emit: () => {}, store },
      });
    });
    expect(history.map((message) => [message.role, message.content])).toEqual([
      ["user", "hello"],
      ["assistant", first.answer],
    ]);
  });
});
