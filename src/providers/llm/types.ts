import type { Language } from "../../lib/text/language";
import type { HitLists } from "../../storage/search-shard/hit-lists";

/** A retrieved chunk offered to the model, cited in answers as `[index]`. */
export interface Source {
  /** 1-based number of the source in the prompt and in `[n]` markers. */
  index: number;
  text: string;
  filename?: string;
  page?: number | null;
  section?: string | null;
  /**
   * The search lists that found it and its place in each, when it comes from a search: the
   * extractive answerer trusts a passage both lists rank high more than one only a list found.
   */
  lists?: HitLists;
}

/** One earlier message of the conversation. */
export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

export interface GenerateRequest {
  /** The assistant's own instructions (persona, tone); the grounding rules are added to it. */
  systemPrompt: string;
  question: string;
  /** Best first: extractive answers break ties by this order. */
  sources: Source[];
  /** Oldest first; the oldest turns are dropped when they exceed the history budget. */
  history: ChatTurn[];
  /**
   * The language to answer in (the assistant's setting, else the question's as detected); absent
   * when unknown: a model then answers in the question's language, the extractive answerer in
   * the one it detects or English.
   */
  language?: Language;
  /** The assistant's model override; null or absent means the configured model. */
  model?: string | null;
  temperature?: number;
  maxTokens?: number;
  /** Aborting it stops the generation: the stream then throws the signal's reason. */
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when counted with gpt-tokenizer rather than reported by the provider. */
  estimated: boolean;
}

/** Text as it is generated, then exactly one `done` (unless the stream throws). */
export type GenerationEvent =
  | { type: "delta"; text: string }
  | { type: "done"; finishReason: string; usage: Usage; model: string };

export type LlmProviderName = "extractive" | "openai" | "workers-ai";

/**
 * Writes an answer grounded in the sources. Upstream failures are thrown as ProviderError
 * (`transient` when the same call may succeed later), before or during the stream.
 */
export interface AnswerGenerator {
  readonly provider: LlmProviderName;
  /** Whether answering calls a language model: only model calls consume the plan's LLM tokens. */
  readonly callsModel: boolean;
  stream(request: GenerateRequest): AsyncIterable<GenerationEvent>;
  /**
   * Turns a follow-up ("and his height?") into a standalone search query in the question's
   * `language` (when detected); absent without an LLM.
   */
  rewriteQuery?(
    question: string,
    history: ChatTurn[],
    signal?: AbortSignal,
    language?: Language,
  ): Promise<RewrittenQuery>;
}

/** A standalone search query, and what the model call that wrote it used. */
export interface RewrittenQuery {
  query: string;
  usage: Usage;
}
