import type { Language } from "../../lib/text/language";
import { ProviderError } from "../errors";
import { IdleDeadline } from "./idle-deadline";
import { buildRewriteMessages, type ChatMessage, estimateUsage } from "./prompt";
import type { ChatTurn, GenerationEvent, RewrittenQuery, Usage } from "./types";

// What every model-calling answer generator does the same way around its own API call: end a
// stream (or refuse to), and turn a follow-up question into a standalone search query.

export interface StreamEnd {
  provider: string;
  deadline: IdleDeadline;
  messages: ChatMessage[];
  /** The text streamed so far, for an estimate when the provider reported no usage. */
  answer: string;
  model: string;
  finishReason: string | undefined;
  usage: Usage | undefined;
  /** What the error says when the stream ended without a finish reason. */
  incomplete: string;
}

/**
 * The `done` event of a stream that ended: a stop of the deadline (timeout, abort) is thrown first,
 * since SDKs end their iteration quietly when the request is aborted; a stream cut short is a
 * transient error, not a short answer.
 */
export function endOfStream(end: StreamEnd): GenerationEvent {
  const stopped = end.deadline.stopReason();
  if (stopped) throw stopped;
  if (!end.finishReason) throw new ProviderError(end.provider, true, end.incomplete);
  return {
    type: "done",
    finishReason: end.finishReason,
    model: end.model,
    usage: end.usage ?? estimateUsage(end.messages, end.answer),
  };
}

export interface FollowUpRewrite {
  provider: string;
  timeoutMs: number;
  question: string;
  history: ChatTurn[];
  signal?: AbortSignal;
  language?: Language;
  /** One non-streamed call of the model: its text (untrimmed) and the usage it reported, if any. */
  complete: (messages: ChatMessage[], signal: AbortSignal) => Promise<{ text: string; usage?: Usage }>;
  /** The provider's own error mapping (a stop of the deadline wins over it). */
  toError: (error: unknown) => unknown;
}

/** A follow-up question rewritten as a standalone query; the question itself when the model said nothing. */
export async function rewriteFollowUp(rewrite: FollowUpRewrite): Promise<RewrittenQuery> {
  const deadline = new IdleDeadline(rewrite.provider, rewrite.timeoutMs, rewrite.signal);
  const messages = buildRewriteMessages(rewrite.question, rewrite.history, rewrite.language);
  try {
    const output = await rewrite.complete(messages, deadline.signal);
    const rewritten = output.text.trim().replace(/^"(.*)"$/s, "$1");
    return {
      query: rewritten || rewrite.question,
      usage: output.usage ?? estimateUsage(messages, rewritten),
    };
  } catch (error) {
    throw deadline.stopReason() ?? rewrite.toError(error);
  } finally {
    deadline.dispose();
  }
}
