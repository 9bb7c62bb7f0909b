import { describe, expect, it } from "vitest";
import { ask, conversationHistory } from "../helpers/chat";
import { upload, waitForDocument } from "../helpers/documents";
import { readSse } from "../helpers/sse";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

const LIGHTHOUSE =
  "# Lighthouse\n\nThe Harbour lighthouse was built in 1874 by the engineer Marguerite Delorme. Its lamp is lit every evening at dusk.";

describe("the answer mode, with no model configured", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await upload(tenant, collection.id, "lighthouse.md", encode(LIGHTHOUSE));
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const assistant = await createAssistant(tenant, [collection.id]);

  it("says an answer quoted from the documents is extractive, in the answer and in the history", async () => {
    const reply = await ask(tenant.client, assistant.id, {
      message: "When was the Harbour lighthouse built?",
    });
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.answer_mode).toBe("extractive");
    const history = await conversationHistory(tenant.client, assistant.id, reply.conversation_id);
    expect(history.messages.map((message) => [message.role, message.answer_mode])).toEqual([
      ["user", null],
      ["assistant", "extractive"],
    ]);
  });

  it("says it in the stream's done event", async () => {
    const response = await tenant.client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "Who built the Harbour lighthouse?" },
    });
    expect(response.status).toBe(200);
    const { events } = await readSse(response.body!);
    const done = events.find((event) => event.event === "done");
    expect(done?.data.answer_mode).toBe("extractive");
  });

  it("says `none` when the assistant has nothing to answer from", async () => {
    const empty = await createAssistant(tenant, [], "Empty");
    const reply = await ask(tenant.client, empty.id, { message: "When was the lighthouse built?" });
    expect(reply).toMatchObject({ finish_reason: "no_sources", answer_mode: "none", citations: [] });
  });
});
