import OpenAI, { APIConnectionError, APIError } from "openai";
import { loadTokenCounter } from "../../ingest/tokens";
import type { Language } from "../../lib/text/language";
import { isTransientStatus, ProviderError } from "../errors";
import { IdleDeadline } from "./idle-deadline";
import { buildAnswerMessages, buildRewriteMessages, estimateUsage, REWRITE_MAX_TOKENS } from "./prompt";
import type {
  AnswerGenerator,
  ChatTurn,
  GenerateRequest,
  GenerationEvent,
  RewrittenQuery,
  Usage,
} from "./types";

const PROVIDER = "openai";
export const OPENAI_BASE_URL = "https://api.openai.com/v1";
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

/** The usage an OpenAI-compatible server reported. */
export const reportedUsage = (usage: OpenAI.CompletionUsage): Usage => ({
  promptTokens: usage.prompt_tokens,
  completionTokens: usage.completion_tokens,
  totalTokens: usage.total_tokens,
  estimated: false,
});

/** Answers with an OpenAI-compatible Chat Completions API, streamed. */
export class OpenAiAnswerGenerator implements AnswerGenerator {
  readonly provider = "openai" as const;
  readonly callsModel = true;
  readonly #client: OpenAI;
  readonly #apiKey: string | undefined;
  readonly #model: string;
  readonly #timeoutMs: number;
  // OpenAI's reasoning models refuse the old `max_tokens`; other servers may not know the new name.
  readonly #maxTokensParam: "max_completion_tokens" | "max_tokens";

  constructor(options: OpenAiAnswerGeneratorOptions) {
    this.#apiKey = options.apiKey;
    this.#model = options.model;
    this.#timeoutMs = options.timeoutMs;
    this.#maxTokensParam = options.baseUrl ? "max_tokens" : "max_completion_tokens";
    this.#client = new OpenAI({
      // The SDK refuses to start without a key (it would read process.env); keyless servers ignore it.
      apiKey: options.apiKey ?? "no-key",
      baseURL: options.baseUrl ?? OPENAI_BASE_URL,
      timeout: options.timeoutMs,
      maxRetries: MAX_RETRIES,
    });
  }

  async *stream(request: GenerateRequest): AsyncGenerator<GenerationEvent> {
    await loadTokenCounter();
    const messages = buildAnswerMessages(request);
    const requestedModel = request.model ?? this.#model;
    const deadline = new IdleDeadline(PROVIDER, this.#timeoutMs, request.signal);
    let answer = "";
    let model = requestedModel;
    let finishReason: string | undefined;
    let usage: Usage | undefined;
    try {
      const chunks = await this.#client.chat.completions.create(
        {
          model: requestedModel,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          temperature: request.temperature,
          [this.#maxTokensParam]: request.maxTokens,
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
    // The SDK ends the iteration quietly when its request is aborted or the body stops short.
    const stopped = deadline.stopReason();
    if (stopped) throw stopped;
    if (!finishReason) {
      throw new ProviderError(PROVIDER, true, "the answer stream ended before the answer was complete");
    }
    yield { type: "done", finishReason, model, usage: usage ?? estimateUsage(messages, answer) };
  }

  async rewriteQuery(
    question: string,
    history: ChatTurn[],
    signal?: AbortSignal,
    language?: Language,
  ): Promise<RewrittenQuery> {
    const deadline = new IdleDeadline(PROVIDER, this.#timeoutMs, signal);
    await loadTokenCounter();
    const messages = buildRewriteMessages(question, history, language);
    try {
      const completion = await this.#client.chat.completions.create(
        {
          model: this.#model,
          messages,
          temperature: 0,
          [this.#maxTokensParam]: REWRITE_MAX_TOKENS,
        },
        { signal: deadline.signal },
      );
      const rewritten = completion.choices[0]?.message?.content?.trim().replace(/^"(.*)"$/s, "$1") ?? "";
      return {
        query: rewritten || question,
        usage: completion.usage ? reportedUsage(completion.usage) : estimateUsage(messages, rewritten),
      };
    } catch (error) {
      throw deadline.stopReason() ?? toOpenAiProviderError(error, this.#apiKey, "the answer stream");
    } finally {
      deadline.dispose();
    }
  }
}

/**
 * Maps an OpenAI SDK error to a ProviderError whose message can be shown and logged: no key in it.
 * `what` names the call in the message of a plain network failure ("the answer stream").
 */
export function toOpenAiProviderError(
  error: unknown,
  apiKey: string | undefined,
  what: string,
): ProviderError {
  if (error instanceof APIConnectionError) {
    // Includes the SDK's own timeout (APIConnectionTimeoutError) and refused connections.
    return new ProviderError(PROVIDER, true, `could not reach the API: ${redact(error.message, apiKey)}`);
  }
  if (error instanceof APIError) {
    // No status: an error event inside a stream that had started, i.e. a server-side failure.
    const status = error.status;
    const transient = status === undefined || isTransientStatus(status);
    const label = status === undefined ? "error during the stream" : `HTTP ${status}`;
    return new ProviderError(PROVIDER, transient, `${label}: ${redact(error.message, apiKey)}`, { status });
  }
  // A body cut mid-stream surfaces as a plain network error from fetch.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(PROVIDER, true, `${what} failed: ${redact(message, apiKey)}`);
}

function redact(message: string, apiKey: string | undefined): string {
  const safe = apiKey ? message.split(apiKey).join("[redacted]") : message;
  // Servers echo keys in their messages, sometimes partly masked: drop anything key-shaped.
  return safe.replace(/\bsk-[\w*.-]+/g, "sk-[redacted]");
}
