import { describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../../src/config";
import { createAnswerGenerator } from "../../../src/providers/llm";
import { collect } from "./collect";

const question = {
  systemPrompt: "",
  question: "Where was Iwan Roberts born?",
  sources: [{ index: 1, text: "Iwan Roberts was born in Bangor. He later moved to Barmouth." }],
  history: [],
};

describe("createAnswerGenerator", () => {
  it("answers extractively on a fresh install with no key", async () => {
    const generator = createAnswerGenerator(parseConfig({ ENVIRONMENT: "test" }), {});
    expect(generator.provider).toBe("extractive");
    expect(generator.rewriteQuery).toBeUndefined();
    expect((await collect(generator.stream(question))).text).toBe("Iwan Roberts was born in Bangor. [1]");
  });

  it("uses an OpenAI-compatible server when OPENAI_BASE_URL is set, with LLM_MODEL", async () => {
    const config = parseConfig({
      ENVIRONMENT: "test",
      OPENAI_BASE_URL: inject("openaiChatUrl"),
      OPENAI_API_KEY: "sk-test-factory",
      LLM_MODEL: "fake-no-usage",
    });
    const generator = createAnswerGenerator(config, {});
    expect(generator.provider).toBe("openai");
    const answer = await collect(generator.stream(question));
    expect(answer.text).toBe("Iwan Roberts was born in Bangor. [1]");
    expect(answer.done!.model).toBe("fake-no-usage");
  });

  it("uses the AI binding for workers-ai", () => {
    const env = { AI: {} as Ai };
    const config = parseConfig({ ENVIRONMENT: "test", LLM_PROVIDER: "workers-ai", AI: env.AI });
    const generator = createAnswerGenerator(config, env);
    expect(generator.provider).toBe("workers-ai");
    expect(typeof generator.rewriteQuery).toBe("function");
  });
});
