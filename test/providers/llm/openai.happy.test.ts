import { describe, expect, inject, it } from "vitest";
import { OpenAiAnswerGenerator } from "../../../src/providers/llm/openai";
import type { GenerateRequest } from "../../../src/providers/llm/types";
import { collect } from "./collect";

const baseUrl = inject("openaiChatUrl");

const generator = (model = "gpt-4o-mini", timeoutMs = 5000) =>
  new OpenAiAnswerGenerator({ apiKey: "sk-test-happy", baseUrl, model, timeoutMs });

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({
  systemPrompt: "You answer questions about football.",
  question: "Where was Iwan Roberts born, and where did he grow up?",
  sources: [
    { index: 1, text: "Iwan Wyn Roberts was born in Bangor, Gwynedd. He is Welsh.", filename: "roberts.txt" },
    {
      index: 2,
      text: "He grew up in Barmouth, on the west coast of Wales. He supported Liverpool.",
      page: 2,
    },
  ],
  history: [],
  ...overrides,
});

async function requestsFor(model: string): Promise<number> {
  const stats = (await (await fetch(`${baseUrl.replace(/\/v1$/, "")}/__stats`)).json()) as {
    chatCompletions: Record<string, number>;
  };
  return stats.chatCompletions[model] ?? 0;
}

describe("OpenAI answer generator", () => {
  it("streams the answer in deltas as they arrive, then the provider's usage", async () => {
    const answer = await collect(generator().stream(request()));
    // The fake answers with the first sentence of each source, with its marker.
    expect(answer.text).toBe(
      "Iwan Wyn Roberts was born in Bangor, Gwynedd. [1] He grew up in Barmouth, on the west coast of Wales. [2]",
    );
    expect(answer.deltas.length).toBeGreaterThan(3);
    const spread = answer.deltas.at(-1)!.at - answer.deltas[0]!.at;
    console.log(
      `openai fake: ${answer.deltas.length} deltas, first at ${answer.deltas[0]!.at.toFixed(0)} ms, first→last ${spread.toFixed(0)} ms`,
    );
    expect(spread).toBeGreaterThan(100);
    expect(answer.done).toMatchObject({ finishReason: "stop", model: "gpt-4o-mini" });
    const usage = answer.done!.usage;
    expect(usage.estimated).toBe(false);
    expect(usage.promptTokens).toBeGreaterThan(50);
    expect(usage.completionTokens).toBeGreaterThan(10);
    expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
  });

  it("uses the request's model over the configured one, and estimates usage when the server gives none", async () => {
    const before = await requestsFor("fake-no-usage");
    const answer = await collect(generator("gpt-4o-mini").stream(request({ model: "fake-no-usage" })));
    expect(await requestsFor("fake-no-usage")).toBe(before + 1);
    expect(answer.done!.model).toBe("fake-no-usage");
    expect(answer.done!.usage.estimated).toBe(true);
    expect(answer.done!.usage.promptTokens).toBeGreaterThan(50);
  });

  it("keeps a slow stream going as long as chunks keep coming (the timeout is per wait)", async () => {
    const answer = await collect(generator("fake-slow", 1000).stream(request()));
    const total = answer.deltas.at(-1)!.at;
    console.log(
      `fake-slow: ${answer.deltas.length} deltas over ${total.toFixed(0)} ms with a 1000 ms timeout`,
    );
    expect(answer.deltas.length).toBeGreaterThanOrEqual(8);
    expect(total).toBeGreaterThan(1000);
    expect(answer.done?.finishReason).toBe("stop");
  });

  it("retries a rate-limited request once, honouring retry-after", async () => {
    const before = await requestsFor("fake-429-once");
    const answer = await collect(
      generator("fake-429-once").stream(request({ question: `rate ${Date.now()}` })),
    );
    expect(answer.done?.finishReason).toBe("stop");
    expect(await requestsFor("fake-429-once")).toBe(before + 2);
  });

  it("passes a marker the sources do not have through unchanged (checking citations is the caller's job)", async () => {
    const answer = await collect(generator("fake-bad-marker").stream(request()));
    expect(answer.text).toMatch(/\[7\]/);
  });

  it("rewrites a follow-up question into a standalone query", async () => {
    const { query, usage } = await generator().rewriteQuery("How tall is he?", [
      { role: "user", content: "Who is Iwan Roberts?" },
      { role: "assistant", content: "A Welsh former footballer [1]." },
    ]);
    expect(query).toBe("How tall is he? (Iwan Roberts)");
    // A model call: what it used counts towards the turn.
    expect(usage.estimated).toBe(false);
    expect(usage.totalTokens).toBeGreaterThan(0);
  });
});
