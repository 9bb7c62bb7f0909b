import { loadTokenCounter } from "../../ingest/tokens";
import type { Language } from "../../lib/text/language";
import {
  createOpenAiClient,
  type OpenAiClient,
  reportedUsage,
  toOpenAiProviderError,
} from "../openai-client";
import { endOfStream, rewriteFollowUp } from "./generation";
import { IdleDeadline } from "./idle-deadline";
import { buildAnswerMessages, REWRITE_MAX_TOKENS } from "./prompt";
import type {
  AnswerGenerator,
  ChatTurn,
  GenerateRequest,
  GenerationEvent,
  RewrittenQuery,
  Usage,
} from "./types";

const PROVIDER = "openai";
// A person is waiting for the answer: one retry of a 429 or 5xx (the SDK honours retry-after),
// then the error reaches them instead of a long silence.
const MAX_RETRIES = 1;

export interface OpenAiAnswerGeneratorOptions {
  /** Optional for a compatible server that needs none (a local one, say). */
  apiKey?: string;
  /** Any OpenAI-compatible server; OpenAI's own API when absent. */
  baseUrl?: string;
  /** The model used when a request names none. */
  model: string;
  /** How long to wait for the first token, and then between two chunks. */
  timeoutMs: number;
}

/** Answers with an OpenAI-compatible Chat Completions API, streamed. */
export class OpenAiAnswerGenerator implements AnswerGenerator {
  readonly provider = "openai" as const;
  readonly callsModel = true;
  readonly #openai: OpenAiClient;
  readonly #apiKey: string | undefined;
  readonly #model: string;
  readonly #timeoutMs: number;

  constructor(options: OpenAiAnswerGeneratorOptions) {
    this.#apiKey = options.apiKey;
    this.#model = options.model;
    this.#timeoutMs = options.timeoutMs;
    this.#openai = createOpenAiClient({ ...options, maxRetries: MAX_RETRIES });
  }

  async *stream(request: GenerateRequest): AsyncGenerator<GenerationEvent> {
    await loadTokenCounter();
    // Before the deadline starts: the SDK is imported on the isolate's first call.
    const client = await this.#openai.client();
    const messages = buildAnswerMessages(request);
    const requestedModel = request.model ?? this.#model;
    const deadline = new IdleDeadline(PROVIDER, this.#timeoutMs, request.signal);
    let answer = "";
    let model = requestedModel;
    let finishReason: string | undefined;
    let usage: Usage | undefined;
    try {
      const chunks = await client.chat.completions.create(
        {
          model: requestedModel,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          temperature: request.temperature,
          [this.#openai.maxTokensParam]: request.maxTokens,
        },
        { signal: deadline.signal },
      );
      for await (const chunk of chunks) {
        deadline.touch();
        model = chunk.model || model;
        if (chunk.usage) usage = reportedUsage(chunk.usage);
        const choice = chunk.choices[0];
        const text = choice?.delta?.content;
        if (text) {
          answer += text;
          yield { type: "delta", text };
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (error) {
      throw deadline.stopReason() ?? toOpenAiProviderError(error, this.#apiKey, "the answer stream");
    } finally {
      deadline.dispose();
    }
    yield endOfStream({
      provider: PROVIDER,
      deadline,
      messages,
      answer,
      model,
      finishReason,
      usage,
      incomplete: "the answer stream ended before the answer was complete",
    });
  }

  async rewriteQuery(
    question: string,
    history: ChatTurn[],
    signal?: AbortSignal,
    language?: Language,
  ): Promise<RewrittenQuery> {
    const client = await this.#openai.client();
    return rewriteFollowUp({
      provider: PROVIDER,
      timeoutMs: this.#timeoutMs,
      question,
      history,
      signal,
      language,
      complete: async (messages, signal) => {
        const completion = await client.chat.completions.create(
          { model: this.#model, messages, temperature: 0, [this.#openai.maxTokensParam]: REWRITE_MAX_TOKENS },
          { signal },
        );
        return {
          text: completion.choices[0]?.message?.content ?? "",
          usage: completion.usage ? reportedUsage(completion.usage) : undefined,
        };
      },
      toError: (error) => toOpenAiProviderError(error, this.#apiKey, "the answer stream"),
    });
  }
}
