import { and, desc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db";
import {
  answerRetrievals,
  assistants,
  conversations,
  documents,
  type FeedbackRating,
  messageFeedback,
  messages,
} from "../schema";
import { assistantOfConversation, conversationOfMessage } from "./conversations.repo";

export type FeedbackRow = typeof messageFeedback.$inferSelect;

/**
 * Gives or changes the feedback on an answer (one per answer): the last one given stands, with the
 * comment given before when `keepComment`.
 */
export async function upsertFeedback(
  db: Database,
  row: FeedbackRow,
  keepComment = false,
): Promise<FeedbackRow> {
  const [stored] = await db
    .insert(messageFeedback)
    .values(row)
    .onConflictDoUpdate({
      target: messageFeedback.messageId,
      set: keepComment
        ? { rating: row.rating, updatedAt: row.updatedAt }
        : { rating: row.rating, comment: row.comment, updatedAt: row.updatedAt },
      // The key is the message's id alone: never touch a row of another tenant or conversation.
      setWhere: and(
        eq(messageFeedback.tenantId, row.tenantId),
        eq(messageFeedback.conversationId, row.conversationId),
      ),
    })
    .returning();
  return stored ?? row;
}

/** Withdraws the feedback on an answer; whether there was one. */
export async function deleteFeedback(
  db: Database,
  tenantId: string,
  conversationId: string,
  messageId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(messageFeedback)
    .where(
      and(
        eq(messageFeedback.tenantId, tenantId),
        eq(messageFeedback.conversationId, conversationId),
        eq(messageFeedback.messageId, messageId),
      ),
    )
    .returning({ id: messageFeedback.messageId });
  return deleted.length > 0;
}

/** The feedback given in a conversation, by answer id. */
export async function feedbackOfConversation(
  db: Database,
  tenantId: string,
  conversationId: string,
): Promise<Map<string, FeedbackRow>> {
  const rows = await db
    .select()
    .from(messageFeedback)
    .where(and(eq(messageFeedback.tenantId, tenantId), eq(messageFeedback.conversationId, conversationId)));
  return new Map(rows.map((row) => [row.messageId, row]));
}

/** An answer the report of unanswered questions considers: a refusal or a thumbed-down answer. */
export interface UnansweredRow {
  messageId: string;
  assistantId: string;
  assistantName: string;
  /** The question the answer replied to: the conversation's last user message before it. */
  question: string | null;
  citationCount: number;
  rating: FeedbackRating | null;
  comment: string | null;
  retrievedDocumentIds: string[] | null;
  createdAt: string;
}

/**
 * The tenant's completed answers from `from` (included) to `to` (excluded) that cite nothing (the
 * answerer refused, or found nothing) or were thumbed down, newest first, at most `limit`.
 */
export async function unansweredAnswers(
  db: Database,
  tenantId: string,
  range: { from: string; to: string; assistantId?: string; limit: number },
): Promise<UnansweredRow[]> {
  const citationCount = sql<number>`json_array_length(coalesce(${messages.citations}, '[]'))`;
  const question = sql<string | null>`(select q.content from ${messages} q
    where q.tenant_id = ${messages.tenantId} and q.conversation_id = ${messages.conversationId}
      and q.role = 'user' and q.id < ${messages.id}
    order by q.id desc limit 1)`;
  const rows = await db
    .select({
      messageId: messages.id,
      assistantId: conversations.assistantId,
      assistantName: assistants.name,
      question,
      citationCount: citationCount.mapWith(Number),
      rating: messageFeedback.rating,
      comment: messageFeedback.comment,
      retrievedDocumentIds: answerRetrievals.documentIds,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .innerJoin(conversations, conversationOfMessage(tenantId))
    .innerJoin(assistants, assistantOfConversation(tenantId))
    .leftJoin(
      messageFeedback,
      and(eq(messageFeedback.tenantId, tenantId), eq(messageFeedback.messageId, messages.id)),
    )
    .leftJoin(
      answerRetrievals,
      and(eq(answerRetrievals.tenantId, tenantId), eq(answerRetrievals.messageId, messages.id)),
    )
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.role, "assistant"),
        eq(messages.status, "complete"),
        gte(messages.createdAt, range.from),
        lt(messages.createdAt, range.to),
        range.assistantId ? eq(conversations.assistantId, range.assistantId) : undefined,
        or(sql`${citationCount} = 0`, eq(messageFeedback.rating, "down")),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(range.limit);
  return rows.map((row) => ({ ...row, retrievedDocumentIds: row.retrievedDocumentIds ?? null }));
}

/** The filenames of the tenant's documents among `ids` (deleted ones are absent). */
export async function documentFilenames(
  db: Database,
  tenantId: string,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const names = new Map<string, string>();
  // D1 binds at most 100 parameters a query.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: documents.id, filename: documents.filename })
      .from(documents)
      .where(and(eq(documents.tenantId, tenantId), inArray(documents.id, ids.slice(i, i + 90))));
    for (const row of rows) names.set(row.id, row.filename);
  }
  return names;
}
