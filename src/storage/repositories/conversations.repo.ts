import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { conversations, messages } from "../schema";

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

export async function insertConversation(db: Database, row: ConversationRow): Promise<void> {
  await db.insert(conversations).values(row);
}

export async function findConversation(
  db: Database,
  tenantId: string,
  assistantId: string,
  conversationId: string,
): Promise<ConversationRow | undefined> {
  return db.query.conversations.findFirst({
    where: and(
      eq(conversations.tenantId, tenantId),
      eq(conversations.assistantId, assistantId),
      eq(conversations.id, conversationId),
    ),
  });
}

export async function listConversations(
  db: Database,
  tenantId: string,
  assistantId: string,
  page: PageRequest,
) {
  return db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.assistantId, assistantId),
        page.after ? gt(conversations.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(conversations.id))
    .limit(page.limit + 1);
}

export async function deleteConversationRow(
  db: Database,
  tenantId: string,
  conversationId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)))
    .returning({ id: conversations.id });
  return deleted.length > 0;
}

/** A conversation's messages, oldest first (ids are time-ordered). */
export async function listMessages(
  db: Database,
  tenantId: string,
  conversationId: string,
): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.id));
}

/** The last `limit` completed messages of a conversation, oldest first: the history of a new turn. */
export async function recentCompletedMessages(
  db: Database,
  tenantId: string,
  conversationId: string,
  limit: number,
): Promise<MessageRow[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.conversationId, conversationId),
        inArray(messages.status, ["complete"]),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

/**
 * Writes a turn's two messages together: the question (complete) and the answer (generating),
 * and touches their conversation (only if it is the messages' tenant's).
 */
export async function insertTurnMessages(
  db: Database,
  question: MessageRow,
  answer: MessageRow,
): Promise<void> {
  await db.batch([
    db.insert(messages).values(question),
    db.insert(messages).values(answer),
    db
      .update(conversations)
      .set({ updatedAt: answer.createdAt })
      .where(
        and(eq(conversations.tenantId, question.tenantId), eq(conversations.id, question.conversationId)),
      ),
  ]);
}

export async function updateMessage(
  db: Database,
  tenantId: string,
  messageId: string,
  changes: Partial<
    Pick<
      MessageRow,
      "content" | "status" | "citations" | "usage" | "model" | "finishReason" | "error" | "updatedAt"
    >
  >,
): Promise<void> {
  await db
    .update(messages)
    .set(changes)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, messageId)));
}
