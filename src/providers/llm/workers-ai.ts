import { loadTokenCounter } from "../../ingest/tokens";
import type { Language } from "../../lib/text/language";
import { isTransientStatus, ProviderError } from "../errors";
import { endOfStream, rewriteFollowUp } from "./generation";
import { IdleDeadline } from "./idle-deadline";
import { buildAnswerMessages, type ChatMessage, REWRITE_MAX_TOKENS } from "./prompt";
import type {
  AnswerGenerator,
  ChatTurn,
  GenerateRequest,
  GenerationEvent,
  RewrittenQuery,
  Usage,
} from "./types";

const PROVIDER = "workers-ai";

/** The part of the `AI` binding used here (the generated `Ai` type only knows literal model names). */
export interface WorkersAiBinding {
  run(
    model: string,
    inputs: { messages: ChatMessage[]; stream?: boolean; temperature?: number; max_tokens?: number },
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
}

export interface WorkersAiAnswerGeneratorOptions {
  ai: WorkersAiBinding;
  /** The model used when a request names none, e.g. `@cf/meta/llama-3.1-8b-instruct`. */
  model: string;
  /** How long to wait for the first token, and then between two chunks. */
  timeoutMs: number;
}

interface ReportedUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** The usage a model reported, when it reported both counts. */
const reportedUsage = (usage: ReportedUsage | undefined): Usage | undefined =>
  usage?.prompt_tokens !== undefined && usage.completion_tokens !== undefined
    ? {
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens,
        totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
        estimated: false,
      }
    : undefined;

interface StreamedChunk {
  response?: string;
  usage?: ReportedUsage;
  /** Some newer models stream OpenAI-shaped chunks instead. */
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
}

// Workers AI's documented errors carry an internal code; its HTTP status says whether to retry.
// https://developers.cloudflare.com/workers-ai/platform/errors/
const STATUS_OF_CODE: Record<string, number> = {
  "3003": 400,
  "3006": 413,
  "3007": 408,
  "3008": 408,
  "3023": 403,
  "3036": 429,
  "3039": 400,
  "3040": 429,
  "3041": 403,
  "3042": 404,
  "5004": 400,
  "5005": 405,
  "5007": 400,
  "5016": 403,
  "5018": 403,
  "5019": 405,
};

/** Answers with a Workers AI text-generation model through the `AI` binding, streamed. */
export class WorkersAiAnswerGenerator implements AnswerGenerator {
  readonly provider = "workers-ai" as const;
  readonly callsModel = true;

  constructor(private readonly options: WorkersAiAnswerGeneratorOptions) {}

  async *stream(request: GenerateRequest): AsyncGenerator<GenerationEvent> {
    await loadTokenCounter();
    const messages = buildAnswerMessages(request);
    const model = request.model ?? this.options.model;
    const deadline = new IdleDeadline(PROVIDER, this.options.timeoutMs, request.signal);
    let answer = "";
    let finishReason: string | undefined;
    let usage: Usage | undefined;
    try {
      const body = await this.options.ai.run(
        model,
        { messages, stream: true, temperature: request.temperature, max_tokens: request.maxTokens },
        { signal: deadline.signal },
      );
      if (!(body instanceof ReadableStream)) {
        throw new ProviderError(PROVIDER, false, `model ${model} did not return a stream`);
      }
      for await (const data of serverSentData(body, deadline)) {
        if (data === "[DONE]") {
          finishReason ??= "stop";
          break;
        }
        const chunk = JSON.parse(data) as StreamedChunk;
        const text = chunk.response ?? chunk.choices?.[0]?.delta?.content;
        if (text) {
          answer += text;
          yield { type: "delta", text };
        }
        finishReason = chunk.choices?.[0]?.finish_reason ?? finishReason;
        usage = reportedUsage(chunk.usage) ?? usage;
      }
    } catch (error) {
      throw deadline.stopReason() ?? toProviderError(error);
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
      incomplete: "the answer stream ended before [DONE]",
    });
  }

  rewriteQuery(
    question: string,
    history: ChatTurn[],
    signal?: AbortSignal,
    language?: Language,
  ): Promise<RewrittenQuery> {
    return rewriteFollowUp({
      provider: PROVIDER,
      timeoutMs: this.options.timeoutMs,
      question,
      history,
      signal,
      language,
      complete: async (messages, signal) => {
        const output = (await this.options.ai.run(
          this.options.model,
          { messages, temperature: 0, max_tokens: REWRITE_MAX_TOKENS },
          { signal },
        )) as { response?: unknown; usage?: ReportedUsage } | null;
        return {
          text: typeof output?.response === "string" ? output.response : "",
          usage: reportedUsage(output?.usage),
        };
      },
      toError: toProviderError,
    });
  }
}

/** The `data:` payloads of an SSE byte stream, in order; each chunk read restarts the deadline. */
async function* serverSentData(
  body: ReadableStream<Uint8Array>,
  deadline: IdleDeadline,
): AsyncGenerator<string> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  // A pending read does not end when the binding's call is aborted: cancelling the reader ends it.
  const stop = () => void reader.cancel().catch(() => {});
  deadline.signal.addEventListener("abort", stop, { once: true });
  let buffered = "";
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      deadline.touch();
      buffered += value;
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("data:")) yield line.slice(5).trim();
      }
    }
    if (buffered.startsWith("data:")) yield buffered.slice(5).trim();
  } finally {
    deadline.signal.removeEventListener("abort", stop);
    // Stop the upstream generation when the consumer leaves early.
    await reader.cancel().catch(() => {});
  }
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = [...message.matchAll(/\b\d{4}\b/g)].find(([digits]) => digits in STATUS_OF_CODE)?.[0];
  const status = code ? STATUS_OF_CODE[code] : undefined;
  // Without a documented code the binding itself failed (network, upstream inference): retryable.
  const transient = status === undefined || isTransientStatus(status);
  return new ProviderError(PROVIDER, transient, message, { status });
}
