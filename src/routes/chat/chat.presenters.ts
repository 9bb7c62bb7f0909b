import { toProblem } from "../../errors";
import { sseFrame } from "../../lib/sse";
import type { Usage } from "../../providers/llm/types";
import type { StartedTurn } from "../../services/chat/chat.service";
import type { AnswerEvent, TurnEvent, TurnSpec } from "../../services/chat/conversation.interface";
import { appErrorOf } from "../../services/chat/turn";
import type { ConversationRow, MessageRow } from "../../storage/repositories/conversations.repo";
import type { FeedbackRow } from "../../storage/repositories/feedback.repo";
import type { AnswerMode } from "./chat.schemas";

/** Token counts as every JSON answer shows them (chat, stored messages, Chat Completions). */
export const presentUsage = (usage: Usage) => ({
  prompt_tokens: usage.promptTokens,
  completion_tokens: usage.completionTokens,
  total_tokens: usage.totalTokens,
  estimated: usage.estimated,
});

export const presentConversation = (row: ConversationRow) => ({
  id: row.id,
  assistant_id: row.assistantId,
  title: row.title,
  owner: row.ownerType && row.ownerId ? { type: row.ownerType, id: row.ownerId } : null,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

/**
 * How an answer was made, read from the model it records: the extractive answerer records
 * `extractive`, an answer with nothing to answer from `none`, a language model its name.
 */
export function answerModeOf(model: string): AnswerMode {
  return model === "extractive" || model === "none" ? model : "model";
}

export const presentFeedback = (row: FeedbackRow) => ({
  rating: row.rating,
  comment: row.comment,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

export const presentMessage = (row: MessageRow & { feedback?: FeedbackRow }) => ({
  id: row.id,
  role: row.role,
  content: row.content,
  status: row.status,
  citations: row.citations ?? [],
  usage: row.usage && presentUsage(row.usage),
  model: row.model,
  finish_reason: row.finishReason,
  error: row.error,
  answer_mode:
    row.role === "assistant" && row.status === "complete" && row.model !== null
      ? answerModeOf(row.model)
      : null,
  feedback: row.feedback ? presentFeedback(row.feedback) : null,
  created_at: row.createdAt,
});

/** The answer of `POST /chat/{assistant_id}`. */
export const presentAnswer = (turn: StartedTurn, done: Extract<AnswerEvent, { type: "done" }>) => ({
  conversation_id: turn.conversation.id,
  message_id: turn.spec.assistantMessageId,
  answer: done.answer,
  citations: done.citations,
  usage: presentUsage(done.usage),
  model: done.model,
  answer_mode: answerModeOf(done.model),
  finish_reason: done.finishReason,
});

/** The SSE data of a turn's event; an `error` carries the same problem JSON as an HTTP error. */
function turnEventData(event: TurnEvent, turn: Pick<TurnSpec, "assistantMessageId" | "requestId">) {
  switch (event.type) {
    case "meta":
      return { conversation_id: event.conversationId, message_id: event.messageId };
    case "citations":
      return { citations: event.citations };
    case "delta":
      return { text: event.text };
    case "done":
      return {
        message_id: turn.assistantMessageId,
        usage: presentUsage(event.usage),
        finish_reason: event.finishReason,
        model: event.model,
        answer_mode: answerModeOf(event.model),
        citations: event.citations,
        // Sent as X-D1-Bookmark, a read sees the conversation as this turn left it.
        ...(event.bookmark ? { bookmark: event.bookmark } : {}),
      };
    case "error":
      return toProblem(appErrorOf(event.error), turn.requestId);
  }
}

/** One SSE frame of a turn's event, numbered `id`. */
export const turnEventFrame = (
  id: number,
  event: TurnEvent,
  turn: Pick<TurnSpec, "assistantMessageId" | "requestId">,
): string => sseFrame(id, event.type, turnEventData(event, turn));
