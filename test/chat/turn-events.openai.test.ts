import { describe, expect, it } from "vitest";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { conversationHistory } from "../helpers/chat";
import { countStatements } from "../helpers/conversation-object";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { joinDeltas, readSse, type SseEvent } from "../helpers/sse";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

/**
 * Runs in the "openai" project: "fake-instant" sends a whole answer in one burst of chunks, as a
 * fast model's network chunk holds several deltas. A turn's events are stored before any client
 * sees them, a burst in one statement, and a client resuming from any of them gets exactly the rest.
 */

const QUESTION = "Which clubs did Iwan Roberts play for?";

async function streamed(tenant: TestTenant, assistantId: string, conversationId?: string) {
  const response = await tenant.client.request("POST", `chat/${assistantId}/stream`, {
    json: { message: QUESTION, conversation_id: conversationId },
  });
  expect(response.status).toBe(200);
  return (await readSse(response.body!)).events;
}

const sameEvent = (event: SseEvent) => [event.id, event.event, JSON.stringify(event.data)];

describe("a turn's events", () => {
  it("are stored a burst at a time, and a client resuming after any of them gets exactly the rest", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
    const assistant = await tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
      json: {
        name: "Instant",
        system_prompt: "Answer from the documents.",
        collection_ids: [collection.id],
        model: "fake-instant",
      },
    });

    const first = await streamed(tenant, assistant.id);
    const conversationId = first[0]!.data.conversation_id as string;
    const inserts = await countStatements(conversationId, { events: /^\s*INSERT INTO events/ });
    const events = await streamed(tenant, assistant.id, conversationId);

    expect(events.at(-1)?.event).toBe("done");
    const deltas = events.filter((event) => event.event === "delta");
    expect(deltas.length).toBeGreaterThan(4);
    // One statement per event stored every delta alone; a burst's deltas (here thirteen sent
    // back to back, never all more than the object's store interval apart) share statements.
    expect(inserts.events).toBeLessThan(events.length - 2);
    // Ids only grow, from one turn to the next, one by one within a turn.
    expect(Number(events[0]!.id)).toBeGreaterThan(Number(first.at(-1)!.id));
    expect(events.map((event) => Number(event.id) - Number(events[0]!.id))).toEqual(events.map((_, i) => i));

    const history = await conversationHistory(tenant.client, assistant.id, conversationId);
    expect(joinDeltas(events)).toBe(history.messages.at(-1)!.content);
    for (const [i, seen] of events.entries()) {
      const resumed = await tenant.client.request(
        "GET",
        `chat/${assistant.id}/conversations/${conversationId}/stream`,
        { headers: { "last-event-id": seen.id! } },
      );
      expect(resumed.status).toBe(200);
      const rest = (await readSse(resumed.body!)).events;
      expect(rest.map(sameEvent), `resumed after event ${seen.id}`).toEqual(
        events.slice(i + 1).map(sameEvent),
      );
    }
  });
});
