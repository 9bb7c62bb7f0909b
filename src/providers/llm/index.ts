import type { Config } from "../../config";
import { OpenAiAnswerGenerator } from "./openai";
import type { AnswerGenerator, GenerateRequest, GenerationEvent } from "./types";
import { WorkersAiAnswerGenerator, type WorkersAiBinding } from "./workers-ai";

export type * from "./types";

/** The answer generator the Config names; parseConfig has already checked its key or binding. */
export function createAnswerGenerator(config: Config, env: { AI?: Ai }): AnswerGenerator {
  const { provider, model, timeoutMs } = config.llm;
  switch (provider) {
    case "openai":
      return new OpenAiAnswerGenerator({
        apiKey: config.openai.apiKey,
        baseUrl: config.openai.baseUrl,
        model,
        timeoutMs,
      });
    case "workers-ai":
      if (!env.AI) throw new Error("LLM_PROVIDER=workers-ai needs the AI binding");
      return new WorkersAiAnswerGenerator({ ai: env.AI as unknown as WorkersAiBinding, model, timeoutMs });
    case "extractive":
      return new LazyExtractiveAnswerGenerator();
  }
}

/**
 * The extractive generator, its module (sentence selection, the abstention checks' Unicode patterns,
 * the question words) imported by an isolate's first answer rather than at start-up.
 */
class LazyExtractiveAnswerGenerator implements AnswerGenerator {
  readonly provider = "extractive" as const;
  readonly callsModel = false;
  private generator: Promise<AnswerGenerator> | undefined;

  async *stream(request: GenerateRequest): AsyncGenerator<GenerationEvent> {
    this.generator ??= import("./extractive").then(
      ({ ExtractiveAnswerGenerator }) => new ExtractiveAnswerGenerator(),
    );
    yield* (await this.generator).stream(request);
  }
}
