import { beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../../src/context";
import { countTokens, loadTokenCounter } from "../../src/ingest/tokens";
import { formatSource, SOURCES_TOKEN_BUDGET } from "../../src/providers/llm/prompt";
import type { AnswerGenerator, GenerateRequest, Usage } from "../../src/providers/llm/types";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { getAssistant } from "../../src/services/assistants/assistants.service";
import { answerQuestion } from "../../src/services/chat/answer";
import type { AnswerEvent } from "../../src/services/chat/conversation.interface";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { depsWith } from "../helpers/quotas";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

const usage = (promptTokens: number, completionTokens: number): Usage => ({
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
  estimated: false,
});

/** A model that reports fixed usage for its rewrite and its answer, and keeps what it was sent. */
class MeteredModel implements AnswerGenerator {
  readonly provider = "openai" as const;
  readonly callsModel = true;
  readonly requests: GenerateRequest[] = [];
  async rewriteQuery(question: string) {
    return { query: question, usage: usage(900, 100) };
  }
  async *stream(request: GenerateRequest) {
    this.requests.push(request);
    yield { type: "delta" as const, text: "Norwich City [1]." };
    yield { type: "done" as const, finishReason: "stop", model: "metered", usage: usage(40, 10) };
  }
}

async function doneOf(events: AsyncGenerator<AnswerEvent>) {
  let done: Extract<AnswerEvent, { type: "done" }> | undefined;
  for await (const event of events) if (event.type === "done") done = event;
  return done!;
}

// The token tables load on first use (a large module: slow to transform on a busy machine).
beforeAll(loadTokenCounter, 60_000);

describe("what a turn's model calls use", () => {
  it("adds the rewrite of a follow-up to the answer's usage, and sends only the sources the prompt holds", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, document.id);
    const { id } = await createAssistant(tenant, [collection.id]);
    await tenant.client.expectJson(200, "PATCH", `assistants/${id}`, AssistantSchema, {
      json: { top_k: 50 },
    });
    const model = new MeteredModel();
    const deps = { ...depsWith(), answerGenerator: model };
    const ctx: TenantContext = {
      tenantId: tenant.id,
      actor: { type: "dev", userId: "dev" },
      role: "owner",
      requestId: "req_test",
    };
    const assistant = await getAssistant({ ctx, deps, input: { assistantId: id } });

    const done = await doneOf(
      answerQuestion({
        ctx,
        deps,
        input: {
          assistant,
          question: "And which clubs did he play for?",
          history: [
            { role: "user", content: "Who is Iwan Roberts?" },
            { role: "assistant", content: "A Welsh footballer [1]." },
          ],
        },
      }),
    );
    expect(done.usage).toEqual(usage(940, 110));
    const sent = model.requests[0]!.sources;
    const retrieved = await tenant.client.expectJson(200, "POST", "search", SearchResponseSchema, {
      json: { query: "And which clubs did he play for?", collection_ids: [collection.id], top_k: 50 },
    });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(retrieved.results.length);
    const sentTokens = sent.reduce((sum, source) => sum + countTokens(formatSource(source)), 0);
    expect(sentTokens).toBeLessThanOrEqual(SOURCES_TOKEN_BUDGET);
    // Each source carries its place in the keyword and vector rankings, as search found it.
    expect(sent.map((source) => source.lists)).toEqual(
      retrieved.results.slice(0, sent.length).map((result) => result.lists),
    );
  });
});
