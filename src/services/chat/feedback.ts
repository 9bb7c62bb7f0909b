import type { Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { nowIso } from "../../lib/time";
import { findMessage } from "../../storage/repositories/conversations.repo";
import { deleteFeedback, type FeedbackRow, upsertFeedback } from "../../storage/repositories/feedback.repo";
import type { FeedbackRating } from "../../storage/schema";
import { getConversationRow } from "./chat.service";
import { ownerOf, startedBy } from "./ownership";

interface AnswerRef {
  assistantId: string;
  conversationId: string;
  messageId: string;
}

/**
 * The answer `messageId` of a conversation the caller started. Another tenant's answer, or one of
 * a conversation the caller may not read (another visitor's, another member's), is a 404; a
 * question is a 404 too (only answers are rated). Owners and admins read every conversation but
 * rate only their own: feedback is the asker's word on the answer they got.
 */
async function answerToRate({ ctx, deps, input }: Verb<AnswerRef>) {
  const conversation = await getConversationRow({ ctx, deps, input });
  const owner = ownerOf(ctx.actor);
  if (!startedBy(conversation, owner)) {
    throw new AppError("forbidden", "Only the one who asked can rate the answers of this conversation");
  }
  const message = await findMessage(deps.db, ctx.tenantId, conversation.id, input.messageId);
  if (message?.role !== "assistant") throw notFound("Message", input.messageId);
  return { conversation, message, owner };
}

/**
 * Gives or changes the caller's feedback on an answer: a thumb up or down and an optional comment
 * (an absent comment keeps the one given before; null clears it). Only complete answers are rated.
 */
export async function rateAnswer({
  ctx,
  deps,
  input,
}: Verb<AnswerRef & { rating: FeedbackRating; comment?: string | null }>): Promise<FeedbackRow> {
  const { conversation, message, owner } = await answerToRate({ ctx, deps, input });
  if (message.status !== "complete") {
    throw new AppError("conflict", "Only a complete answer can be rated; wait for its end or ask again");
  }
  const now = nowIso();
  const comment = input.comment === undefined ? undefined : input.comment || null;
  return upsertFeedback(
    deps.db,
    {
      messageId: message.id,
      tenantId: ctx.tenantId,
      conversationId: conversation.id,
      rating: input.rating,
      comment: comment ?? null,
      authorType: owner.type,
      authorId: owner.id,
      createdAt: now,
      updatedAt: now,
    },
    comment === undefined,
  );
}

/** Withdraws the caller's feedback on an answer; a 404 when there was none. */
export async function withdrawFeedback({ ctx, deps, input }: Verb<AnswerRef>): Promise<void> {
  const { conversation, message } = await answerToRate({ ctx, deps, input });
  if (!(await deleteFeedback(deps.db, ctx.tenantId, conversation.id, message.id))) {
    throw notFound("Feedback", message.id);
  }
}
