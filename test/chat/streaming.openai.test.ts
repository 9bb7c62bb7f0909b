import { env } from "cloudflare:workers";
import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { ConversationPageSchema, type MessageSchema } from "../../src/routes/chat/chat.schemas";
import { expectProblemBody } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { joinDeltas, readSse, type SseEvent } from "../helpers/sse";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { sleep } from "../helpers/text";

/**
 * Runs in the "openai" project: answers come from the local Chat Completions fake, which streams
 * in chunks with delays. The assistant's model picks the fake's behaviour (see fakes/openai-chat.ts).
 */

async function tenantWithDocuments(): Promise<{ tenant: TestTenant; collectionId: string }> {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  return { tenant, collectionId: collection.id };
}

async function assistantWithModel(tenant: TestTenant, collectionId: string, model: string) {
  return tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: { name: model, system_prompt: "Answer from the documents.", collection_ids: [collectionId], model },
  });
}

const QUESTION = "Which clubs did Iwan Roberts play for?";

function startStream(tenant: TestTenant, assistantId: string, conversationId?: string) {
  return tenant.client.request("POST", `chat/${assistantId}/stream`, {
    json: { message: QUESTION, conversation_id: conversationId },
  });
}

const ids = (events: SseEvent[]) => events.map((e) => e.id);

describe("streaming answers from an OpenAI-compatible model", async () => {
  const { tenant, collectionId } = await tenantWithDocuments();
  // The Free plan allows three assistants: the tests share the slow one.
  const slow = await assistantWithModel(tenant, collectionId, "fake-slow");

  it("delivers deltas as they are generated, not all at the end", async () => {
    const assistant = slow;
    const response = await startStream(tenant, assistant.id);
    expect(response.status).toBe(200);
    const { events } = await readSse(response.body!);
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    // The fake sends a chunk every 300 ms: the first and last deltas arrive well apart.
    expect(deltas.at(-1)!.receivedAt - deltas[0]!.receivedAt).toBeGreaterThan(1_000);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.usage.estimated).toBe(false);
    expect(done.data.model).toBe("fake-slow");
    expect(done.data.answer_mode).toBe("model");
    expect(done.data.citations.length).toBeGreaterThan(0);
  });

  it("resumes after a disconnect with Last-Event-ID: every remaining event exactly once", async () => {
    const assistant = slow;
    const response = await startStream(tenant, assistant.id);
    const before = await readSse(response.body!, (_event, all) =>
      all.filter((e) => e.event === "delta").length === 2 ? "stop" : undefined,
    );
    const conversationId = before.events[0]!.data.conversation_id as string;
    const lastEventId = before.events.at(-1)!.id!;

    const resumed = await tenant.client.request(
      "GET",
      `chat/${assistant.id}/conversations/${conversationId}/stream`,
      { headers: { "last-event-id": lastEventId } },
    );
    expect(resumed.status).toBe(200);
    const after = await readSse(resumed.body!);
    expect(after.events.at(-1)?.event).toBe("done");
    expect(Number(after.events[0]!.id)).toBe(Number(lastEventId) + 1);
    const all = [...before.events, ...after.events];
    expect(new Set(ids(all)).size).toBe(all.length);

    const history = await conversationHistory(tenant.client, assistant.id, conversationId);
    const answer = history.messages[1]!;
    expect(answer.status).toBe("complete");
    expect(joinDeltas(all)).toBe(answer.content);
    expect(answer.citations).toEqual(after.events.at(-1)!.data.citations);
  });

  it("gives two clients of one conversation the same events in the same order", async () => {
    const assistant = slow;
    const first = follow(await startStream(tenant, assistant.id));
    const second = await startStreamFollow(tenant, assistant.id, await first.conversationId);
    const { events: joined } = await readSse(second.body!);
    const { events: original } = await first.done;
    expect(original.filter((e) => e.event === "delta").length).toBeGreaterThan(3);
    expect(joined.map((e) => [e.id, e.event, e.data])).toEqual(original.map((e) => [e.id, e.event, e.data]));
  });

  it("completes and stores the answer when the client goes away", async () => {
    const assistant = slow;
    const response = await startStream(tenant, assistant.id);
    const { events } = await readSse(response.body!, (event) =>
      event.event === "meta" ? "stop" : undefined,
    );
    const conversationId = events[0]!.data.conversation_id;
    const deadline = Date.now() + 15_000;
    let answer: z.infer<typeof MessageSchema> | undefined;
    while (Date.now() < deadline) {
      const history = await conversationHistory(tenant.client, assistant.id, conversationId);
      answer = history.messages[1];
      if (answer?.status !== "generating") break;
      await sleep(200);
    }
    expect(answer?.status).toBe("complete");
    expect(answer?.content).toContain("[1]");
  });

  it("refuses a second message while the first is still being answered (409)", async () => {
    const assistant = slow;
    const first = follow(await startStream(tenant, assistant.id));
    const conversationId = await first.conversationId;
    const second = await startStream(tenant, assistant.id, conversationId);
    expect((await expectProblemBody(second, 409)).code).toBe("conflict");
    await first.done;
    // Once the first answer is done, the conversation takes the next message.
    const third = await ask(tenant.client, assistant.id, {
      message: "And then?",
      conversation_id: conversationId,
    });
    expect(third.conversation_id).toBe(conversationId);
  });

  it("sends a ping comment while the model is silent", async () => {
    const assistant = slow;
    const { comments } = await readSse((await startStream(tenant, assistant.id)).body!);
    // CHAT_PING_INTERVAL_MS is 100 ms in this project; the fake is silent 300 ms between chunks.
    expect(comments).toContain(": ping");
  });

  it("removes a marker that points at no source, keeping the streamed and stored text equal", async () => {
    const assistant = await assistantWithModel(tenant, collectionId, "fake-bad-marker");
    const { events } = await readSse((await startStream(tenant, assistant.id)).body!);
    const text = joinDeltas(events);
    expect(text).not.toContain("[7]");
    expect(text).toContain("[1]");
    const done = events.at(-1)!.data;
    expect(done.citations.map((c: { index: number }) => c.index)).not.toContain(7);
    const history = await conversationHistory(tenant.client, assistant.id, events[0]!.data.conversation_id);
    expect(history.messages[1]!.content).toBe(text);
    for (const citation of done.citations) {
      const source = events[1]!.data.citations.find((c: { index: number }) => c.index === citation.index);
      expect(source).toBeDefined();
    }
  });
});

describe("upstream failures", async () => {
  const { tenant, collectionId } = await tenantWithDocuments();

  it("answers 502 on an upstream 500, keeps the question and stores the answer as failed", async () => {
    const assistant = await assistantWithModel(tenant, collectionId, "fake-500");
    const problem = await tenant.client.expectProblem(502, "POST", `chat/${assistant.id}`, {
      json: { message: QUESTION },
    });
    expect(problem.code).toBe("upstream_error");
    expect(JSON.stringify(problem)).not.toContain(env.OPENAI_API_KEY!);
    const list = await tenant.client.expectJson(
      200,
      "GET",
      `chat/${assistant.id}/conversations`,
      ConversationPageSchema,
    );
    const history = await conversationHistory(tenant.client, assistant.id, list.data[0]!.id);
    expect(history.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "failed"],
    ]);
    expect(history.messages[0]!.content).toBe(QUESTION);
    expect(history.messages[1]!.error).toMatch(/could not be generated/);
  });

  it("sends an error event on the stream, with the same problem shape", async () => {
    const assistant = await assistantWithModel(tenant, collectionId, "fake-midstream-error");
    const { events } = await readSse((await startStream(tenant, assistant.id)).body!);
    const last = events.at(-1)!;
    expect(last.event).toBe("error");
    expect(last.data).toMatchObject({ code: "upstream_error", status: 502 });
    expect(last.data.request_id).toEqual(expect.any(String));
  });

  it("gives up on a silent upstream after the timeout", async () => {
    const assistant = await assistantWithModel(tenant, collectionId, "fake-timeout");
    const started = Date.now();
    const problem = await tenant.client.expectProblem(502, "POST", `chat/${assistant.id}`, {
      json: { message: QUESTION },
    });
    expect(problem.code).toBe("upstream_error");
    // LLM_TIMEOUT_MS is 1500 in this project.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

/** Reads a stream in the background; `conversationId` resolves as soon as its meta event arrives. */
function follow(response: Response) {
  let resolveMeta: (id: string) => void = () => {};
  const conversationId = new Promise<string>((resolve) => {
    resolveMeta = resolve;
  });
  const done = readSse(response.body!, (event) => {
    if (event.event === "meta") resolveMeta(event.data.conversation_id);
    return undefined;
  });
  return { conversationId, done };
}

function startStreamFollow(tenant: TestTenant, assistantId: string, conversationId: string) {
  return tenant.client.request("GET", `chat/${assistantId}/conversations/${conversationId}/stream`);
}

describe("follow-up questions", () => {
  it("are rewritten into a standalone query with the configured model before retrieval", async () => {
    const { tenant, collectionId } = await tenantWithDocuments();
    const assistant = await assistantWithModel(tenant, collectionId, "fake-rewrite-check");
    const stats = async () => {
      const body = (await (
        await fetch(`${env.OPENAI_BASE_URL}/__stats`.replace("/v1/__stats", "/__stats"))
      ).json()) as {
        chatCompletions: Record<string, number>;
      };
      return body.chatCompletions["gpt-4o-mini"] ?? 0;
    };
    const first = await ask(tenant.client, assistant.id, { message: "Who is Iwan Roberts?" });
    const before = await stats();
    await ask(tenant.client, assistant.id, {
      message: "How tall is he?",
      conversation_id: first.conversation_id,
    });
    // One rewrite request (LLM_MODEL) for the follow-up; the first question had no history to use.
    expect((await stats()) - before).toBe(1);
  });
});
