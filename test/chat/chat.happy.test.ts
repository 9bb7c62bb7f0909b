import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { openPdf } from "../../src/ingest/parse/pdf";
import { parsePptx } from "../../src/ingest/parse/pptx";
import { type CitationSchema, ConversationPageSchema } from "../../src/routes/chat/chat.schemas";
import { fieldsOf } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { readCorpus } from "../helpers/corpus";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { readSse } from "../helpers/sse";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";
import { normalise } from "../helpers/text";

type CitationJson = z.infer<typeof CitationSchema>;

async function pdfPageText(path: string, page: number): Promise<string> {
  const pdf = await openPdf(await readCorpus(path));
  try {
    return normalise((await pdf.extractPages(page, page)).blocks.map((block) => block.text).join(" "));
  } finally {
    await pdf.close();
  }
}

function expectMarkersMatchCitations(answer: string, citations: CitationJson[]) {
  const markers = new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  expect(markers.size).toBeGreaterThan(0);
  expect(new Set(citations.map((c) => c.index))).toEqual(markers);
}

describe("chat with the extractive answerer (no key configured)", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const documents = await Promise.all(
    ["pdf/tracemonkey.pdf", "pptx/testPPT_various2.pptx", "txt/norwich-city.txt"].map((path) =>
      uploadCorpus(tenant, collection.id, path),
    ),
  );
  for (const document of documents) expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const assistant = await createAssistant(tenant, [collection.id]);

  it("answers about TraceMonkey citing the PDF, a page, and an excerpt found on that page", async () => {
    const reply = await ask(tenant.client, assistant.id, {
      message: "What does trace-based just-in-time type specialization do for dynamic languages?",
    });
    expect(reply).toMatchObject({ model: "extractive", finish_reason: "stop" });
    expect(reply.conversation_id).toMatch(/^cnv_/);
    // No model read or wrote anything: no tokens.
    expect(reply.usage).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      estimated: false,
    });
    expectMarkersMatchCitations(reply.answer, reply.citations);
    const fromPaper = reply.citations.filter((c) => c.filename === "tracemonkey.pdf");
    expect(fromPaper.length).toBeGreaterThan(0);
    for (const citation of fromPaper) {
      expect(citation.page).toBeGreaterThanOrEqual(1);
      expect(await pdfPageText("pdf/tracemonkey.pdf", citation.page!)).toContain(normalise(citation.excerpt));
      expect(reply.answer).toContain(`[${citation.index}]`);
    }
  });

  it("answers about a slide citing the PPTX with its slide number", async () => {
    const reply = await ask(tenant.client, assistant.id, {
      message: "Which slide is hidden in the presentation?",
    });
    const fromDeck = reply.citations.find((c) => c.filename === "testPPT_various2.pptx");
    expect(fromDeck, JSON.stringify(reply)).toBeDefined();
    const deck = await parsePptx(await readCorpus("pptx/testPPT_various2.pptx"));
    const slideText = normalise(
      deck.blocks
        .filter((block) => block.page === fromDeck!.page)
        .map((block) => block.text)
        .join(" "),
    );
    expect(slideText).toContain(normalise(fromDeck!.excerpt));
    expect(reply.answer).toContain("This slide is hidden");
  });

  it("says it does not know when nothing relevant is found", async () => {
    const reply = await ask(tenant.client, assistant.id, {
      message: "What is the boiling point of mercury in kelvin?",
    });
    expect(reply.answer).toMatch(/don't know/);
    expect(reply.citations).toEqual([]);
  });

  it("keeps the history, continues a conversation, and lists and deletes conversations", async () => {
    const first = await ask(tenant.client, assistant.id, {
      message: "Who are the authors of the TraceMonkey paper, Andreas Gal and Brendan Eich?",
    });
    const second = await ask(tenant.client, assistant.id, {
      message: "Which team did Iwan Roberts play for?",
      conversation_id: first.conversation_id,
    });
    expect(second.conversation_id).toBe(first.conversation_id);

    const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
    expect(history.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(history.messages.map((m) => m.status)).toEqual(["complete", "complete", "complete", "complete"]);
    const [, firstAnswer, , secondAnswer] = history.messages;
    expect(firstAnswer).toMatchObject({
      id: first.message_id,
      content: first.answer,
      citations: first.citations,
    });
    expect(secondAnswer).toMatchObject({ id: second.message_id, content: second.answer });
    expect(firstAnswer?.usage).toEqual(first.usage);

    const list = await tenant.client.expectJson(
      200,
      "GET",
      `chat/${assistant.id}/conversations`,
      ConversationPageSchema,
    );
    expect(list.data.map((c) => c.id)).toContain(first.conversation_id);
    await tenant.client.expectNoContent(
      "DELETE",
      `chat/${assistant.id}/conversations/${first.conversation_id}`,
    );
    await tenant.client.expectProblem(
      404,
      "GET",
      `chat/${assistant.id}/conversations/${first.conversation_id}`,
    );
  });

  it("streams meta, citations, deltas and done, each with an id", async () => {
    const response = await tenant.client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "What is a trace tree in TraceMonkey?" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const { events } = await readSse(response.body!);
    expect(events[0]?.event).toBe("meta");
    expect(events[1]?.event).toBe("citations");
    expect(events.at(-1)?.event).toBe("done");
    expect(events.filter((e) => e.event === "delta").length).toBeGreaterThan(0);
    const ids = events.map((e) => Number(e.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    const history = await conversationHistory(tenant.client, assistant.id, events[0]!.data.conversation_id);
    const joined = events
      .filter((e) => e.event === "delta")
      .map((e) => e.data.text)
      .join("");
    expect(history.messages[1]!.content).toBe(joined);
    expect(history.messages[1]!.citations).toEqual(events.at(-1)!.data.citations);
  });
});

describe("chat refusals", () => {
  it("validates before anything starts", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const empty = await tenant.client.expectProblem(400, "POST", `chat/${assistant.id}`, {
      json: { message: "  " },
    });
    expect(fieldsOf(empty)).toEqual(["json.message"]);
    await tenant.client.expectProblem(404, "POST", "chat/ast_unknown", { json: { message: "hi" } });
    const streamed = await tenant.client.request("POST", "chat/ast_unknown/stream", {
      json: { message: "hi" },
    });
    expect(streamed.status).toBe(404);
    expect(streamed.headers.get("content-type")).toContain("application/problem+json");
    const other = await createAssistant(tenant, [], "Other");
    const reply = await ask(tenant.client, assistant.id, { message: "hello" });
    // A conversation belongs to its assistant: another assistant of the tenant cannot continue it.
    await tenant.client.expectProblem(404, "POST", `chat/${other.id}`, {
      json: { message: "hi", conversation_id: reply.conversation_id },
    });
  });

  it("answers without sources when the assistant has no collections", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const reply = await ask(tenant.client, assistant.id, { message: "What is TraceMonkey?" });
    expect(reply.answer).toMatch(/don't know/);
    expect(reply.citations).toEqual([]);
    expect(reply.finish_reason).toBe("no_sources");
  });
});
