import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/providers/errors";
import type { ChatMessage } from "../../../src/providers/llm/prompt";
import type { GenerateRequest } from "../../../src/providers/llm/types";
import { WorkersAiAnswerGenerator, type WorkersAiBinding } from "../../../src/providers/llm/workers-ai";
import { encode, sleep } from "../../helpers/text";
import { collect, collectFailure } from "./collect";

// Workers AI has no local mode. This stands in for the AI binding as its docs describe streaming:
// a ReadableStream of `data: {"response":"..."}` lines ending with `data: [DONE]` (newer models
// also send a usage chunk). Bytes are cut at arbitrary places, as a network would.
type Behaviour = "normal" | "no-usage" | "throws" | "breaks" | "silent" | "truncated";

interface Call {
  model: string;
  inputs: Parameters<WorkersAiBinding["run"]>[1];
  signal: AbortSignal | undefined;
}

function fakeAi(behaviour: Behaviour, error = "") {
  const calls: Call[] = [];
  const ai: WorkersAiBinding = {
    async run(model, inputs, options) {
      calls.push({ model, inputs, signal: options?.signal });
      if (behaviour === "throws") throw new Error(error);
      if (!inputs.stream) return { response: `"${lastUser(inputs.messages).split("\n").at(-1)}"` };
      const answer = answerFrom(inputs.messages);
      const events = answer
        .match(/\S+\s*/g)!
        .map((word) => `data: ${JSON.stringify({ response: word })}\n\n`);
      if (behaviour !== "no-usage") {
        events.push(
          `data: ${JSON.stringify({ response: "", usage: { prompt_tokens: 321, completion_tokens: 12, total_tokens: 333 } })}\n\n`,
        );
      }
      if (behaviour !== "truncated") events.push("data: [DONE]\n\n");
      const bytes = encode(events.join(""));
      let offset = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (behaviour === "silent" && offset > 0) return new Promise(() => {}); // never more
          if (behaviour === "breaks" && offset > bytes.length / 2)
            return controller.error(new Error("network connection lost"));
          await sleep(20);
          if (offset >= bytes.length) return controller.close();
          const size = 7 + (offset % 13); // slices that cut lines and multi-byte characters alike
          controller.enqueue(bytes.slice(offset, offset + size));
          offset += size;
        },
      });
    },
  };
  return { ai, calls };
}

const lastUser = (messages: ChatMessage[]) => messages.filter((m) => m.role === "user").at(-1)!.content;

function answerFrom(messages: ChatMessage[]): string {
  const source = /^\[1\] (?:\([^)]*\) )?([^.]+\.)/m.exec(messages.map((m) => m.content).join("\n"));
  return source ? `${source[1]} [1]` : "I don't know.";
}

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({
  systemPrompt: "Be concise.",
  question: "Where was he born?",
  sources: [
    {
      index: 1,
      text: "Iwan Roberts was born in Bangor — Gwynedd, Wales. He is a forward.",
      filename: "a.txt",
    },
  ],
  history: [{ role: "user", content: "Who is Iwan Roberts?" }],
  temperature: 0.2,
  maxTokens: 300,
  ...overrides,
});

const generator = (ai: WorkersAiBinding, timeoutMs = 2000) =>
  new WorkersAiAnswerGenerator({ ai, model: "@cf/meta/llama-3.1-8b-instruct", timeoutMs });

describe("Workers AI answer generator", () => {
  it("sends the grounded messages with stream: true and parses the SSE stream into deltas", async () => {
    const { ai, calls } = fakeAi("normal");
    const answer = await collect(generator(ai).stream(request()));
    expect(answer.text).toBe("Iwan Roberts was born in Bangor — Gwynedd, Wales. [1]");
    expect(answer.deltas.length).toBeGreaterThan(3);
    expect(answer.deltas.at(-1)!.at - answer.deltas[0]!.at).toBeGreaterThan(0);
    expect(answer.done).toEqual({
      type: "done",
      finishReason: "stop",
      model: "@cf/meta/llama-3.1-8b-instruct",
      usage: { promptTokens: 321, completionTokens: 12, totalTokens: 333, estimated: false },
    });
    const [call] = calls;
    expect(call!.inputs).toMatchObject({ stream: true, temperature: 0.2, max_tokens: 300 });
    expect(call!.inputs.messages.map((m) => m.role)).toEqual(["system", "system", "user", "user"]);
    expect(call!.signal).toBeInstanceOf(AbortSignal);
  });

  it("uses the request's model and estimates usage when the stream has none", async () => {
    const { ai, calls } = fakeAi("no-usage");
    const answer = await collect(generator(ai).stream(request({ model: "@cf/meta/llama-3.2-3b-instruct" })));
    expect(calls[0]!.model).toBe("@cf/meta/llama-3.2-3b-instruct");
    expect(answer.done!.usage.estimated).toBe(true);
    expect(answer.done!.usage.completionTokens).toBeGreaterThan(5);
  });

  it("maps documented error codes: capacity is transient, an unknown model is permanent", async () => {
    const capacity = await collectFailure(
      generator(fakeAi("throws", "3040: Capacity temporarily exceeded").ai).stream(request()),
    );
    expect(capacity.error).toBeInstanceOf(ProviderError);
    expect(capacity.error).toMatchObject({ transient: true, upstreamStatus: 429, provider: "workers-ai" });
    const noModel = await collectFailure(
      generator(fakeAi("throws", "AiError: 5007: No such model @cf/x or task").ai).stream(request()),
    );
    expect(noModel.error).toMatchObject({ transient: false, upstreamStatus: 400 });
    const unknown = await collectFailure(
      generator(fakeAi("throws", "InferenceUpstreamError: internal").ai).stream(request()),
    );
    expect(unknown.error).toMatchObject({ transient: true });
  });

  it("fails transiently when the stream breaks, stalls past the timeout, or ends before [DONE]", async () => {
    const broken = await collectFailure(generator(fakeAi("breaks").ai).stream(request()));
    expect(broken.deltas).toBeGreaterThan(0);
    expect(broken.error).toMatchObject({
      transient: true,
      message: expect.stringMatching(/network connection lost/),
    });

    const silent = await collectFailure(generator(fakeAi("silent").ai, 300).stream(request()));
    expect(silent.error).toMatchObject({ transient: true, message: expect.stringMatching(/timeout/) });
    expect(silent.ms).toBeGreaterThanOrEqual(250);

    const truncated = await collectFailure(generator(fakeAi("truncated").ai).stream(request()));
    expect(truncated.error).toMatchObject({ transient: true, message: expect.stringMatching(/\[DONE\]/) });
  });

  it("ends with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const { ai, calls } = fakeAi("silent");
    setTimeout(() => controller.abort(new Error("client gone")), 100);
    const { error } = await collectFailure(
      generator(ai, 5000).stream(request({ signal: controller.signal })),
    );
    expect((error as Error).message).toBe("client gone");
    expect(calls[0]!.signal!.aborted).toBe(true);
  });

  it("rewrites a follow-up with a non-streaming call", async () => {
    const { ai, calls } = fakeAi("normal");
    const { query, usage } = await generator(ai).rewriteQuery("How tall is he?", [
      { role: "user", content: "Who is Iwan Roberts?" },
    ]);
    // The fake answers with the last line of the prompt, in quotes, which are removed.
    expect(query).toBe("Follow-up question: How tall is he?");
    // It reports no usage: the call is counted locally.
    expect(usage.estimated).toBe(true);
    expect(usage.totalTokens).toBeGreaterThan(10);
    expect(calls[0]!.inputs.stream).toBeUndefined();
    expect(calls[0]!.inputs.messages[1]!.content).toMatch(/User: Who is Iwan Roberts\?/);
  });
});
