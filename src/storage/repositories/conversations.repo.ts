import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Usage } from "../../providers/llm/types";
import type { Database } from "../db";
import {
  apiKeys,
  assistants,
  type ConversationOwnerType,
  conversations,
  memberships,
  messages,
  type StoredUsage,
} from "../schema";

export type ConversationRow = typeof conversations.$inferSelect;

/** Joins a message to its conversation, within the tenant. */
export function conversationOfMessage(tenantId: string) {
  return and(eq(conversations.tenantId, tenantId), eq(conversations.id, messages.conversationId));
}

/** Joins a conversation to its assistant, within the tenant. */
export function assistantOfConversation(tenantId: string) {
  return and(eq(assistants.tenantId, tenantId), eq(assistants.id, conversations.assistantId));
}
/** Who started a conversation. */
export interface ConversationOwner {
  type: ConversationOwnerType;
  id: string;
}
type MessageRecord = typeof messages.$inferSelect;
/** A message as the domain sees it: its usage in the domain's shape, whatever the stored one. */
export type MessageRow = Omit<MessageRecord, "usage"> & { usage: Usage | null };

// Usage is stored in the snake_case it was first written with; the rest of the code sees `Usage`.
const storedUsage = (usage: Usage | null): StoredUsage | null =>
  usage && {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    estimated: usage.estimated,
  };

const usageOf = (stored: StoredUsage | null): Usage | null =>
  stored && {
    promptTokens: stored.prompt_tokens,
    completionTokens: stored.completion_tokens,
    totalTokens: stored.total_tokens,
    estimated: stored.estimated,
  };

const toRecord = (row: MessageRow): MessageRecord => ({ ...row, usage: storedUsage(row.usage) });
const fromRecord = (record: MessageRecord): MessageRow => ({ ...record, usage: usageOf(record.usage) });

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

/** An assistant's conversations; only those `startedBy` started when it is given. */
export async function listConversations(
  db: Database,
  tenantId: string,
  assistantId: string,
  page: PageRequest,
  startedBy?: ConversationOwner,
) {
  return db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.assistantId, assistantId),
        startedBy ? eq(conversations.ownerType, startedBy.type) : undefined,
        startedBy ? eq(conversations.ownerId, startedBy.id) : undefined,
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
  const records = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.id));
  return records.map(fromRecord);
}

/** One message of a conversation, if it is the tenant's. */
export async function findMessage(
  db: Database,
  tenantId: string,
  conversationId: string,
  messageId: string,
): Promise<MessageRow | undefined> {
  const [record] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.conversationId, conversationId),
        eq(messages.id, messageId),
      ),
    );
  return record && fromRecord(record);
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
  return rows.reverse().map(fromRecord);
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
    db.insert(messages).values(toRecord(question)),
    db.insert(messages).values(toRecord(answer)),
    db
      .update(conversations)
      .set({ updatedAt: answer.createdAt })
      .where(
        and(eq(conversations.tenantId, question.tenantId), eq(conversations.id, question.conversationId)),
      ),
  ]);
}

/** What a conversation object writes to D1 after the fact: the same records however often it is sent. */
export interface ConversationRecords {
  tenantId: string;
  conversationId: string;
  /** The conversation's row when the object started it (its insert is the object's, not the request's). */
  conversation?: ConversationRow;
  /** The conversation's last activity. */
  updatedAt: string;
  messages: MessageRow[];
  /** The documents answers were retrieved from (see answerRetrievals), written with them. */
  retrievals?: { messageId: string; documentIds: string[] }[];
}

/**
 * Writes a conversation's records in one batch, idempotently: the conversation inserted if missing
 * and touched, each message inserted or, if it exists, overwritten with what it says now (by id,
 * and only the messages' tenant's), and the documents their answers were retrieved from. Sent
 * twice, the second changes nothing.
 */
export async function upsertConversationRecords(db: Database, records: ConversationRecords): Promise<void> {
  const { tenantId, conversationId } = records;
  const client = db.$client;
  const statements: D1PreparedStatement[] = [];
  const row = records.conversation;
  if (row) {
    statements.push(
      client
        .prepare(INSERT_CONVERSATION)
        .bind(
          row.id,
          row.tenantId,
          row.assistantId,
          row.title,
          row.ownerType ?? null,
          row.ownerId ?? null,
          row.createdAt,
          row.updatedAt,
        ),
    );
  }
  statements.push(client.prepare(TOUCH_CONVERSATION).bind(records.updatedAt, tenantId, conversationId));
  for (const message of records.messages) {
    const usage = storedUsage(message.usage);
    statements.push(
      client
        .prepare(UPSERT_MESSAGE)
        .bind(
          message.id,
          message.tenantId,
          message.conversationId,
          message.role,
          message.content,
          message.status,
          message.citations === null ? null : JSON.stringify(message.citations),
          usage === null ? null : JSON.stringify(usage),
          message.model,
          message.finishReason,
          message.error,
          message.createdAt,
          message.updatedAt,
          tenantId,
          conversationId,
        ),
    );
  }
  // After the messages they refer to; a turn completed twice keeps the first.
  for (const retrieval of records.retrievals ?? []) {
    statements.push(
      client
        .prepare(INSERT_RETRIEVAL)
        .bind(retrieval.messageId, tenantId, JSON.stringify(retrieval.documentIds)),
    );
  }
  await client.batch(statements);
}

// The statements of upsertConversationRecords, written out: it runs after every turn, and drizzle's
// query building (an `is()` check per column and operator, its SQL chunks) cost a turn more CPU
// and garbage than the rest of its D1 writes. They say what drizzle's builders said.
const INSERT_CONVERSATION = `INSERT INTO conversations
  (id, tenant_id, assistant_id, title, owner_type, owner_id, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const TOUCH_CONVERSATION = `UPDATE conversations SET updated_at = ?1
  WHERE tenant_id = ?2 AND id = ?3 AND updated_at < ?1`;
/** A message inserted, or overwritten with what it says now when it is the conversation's. */
const UPSERT_MESSAGE = `INSERT INTO messages
  (id, tenant_id, conversation_id, role, content, status, citations, usage, model, finish_reason, error,
   created_at, updated_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
  ON CONFLICT (id) DO UPDATE SET content = ?5, status = ?6, citations = ?7, usage = ?8, model = ?9,
    finish_reason = ?10, error = ?11, updated_at = ?13
  WHERE messages.tenant_id = ?14 AND messages.conversation_id = ?15`;
const INSERT_RETRIEVAL = `INSERT INTO answer_retrievals (message_id, tenant_id, document_ids) VALUES (?, ?, ?)
  ON CONFLICT DO NOTHING`;

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
  const { usage, ...rest } = changes;
  await db
    .update(messages)
    .set(usage === undefined ? rest : { ...rest, usage: storedUsage(usage) })
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, messageId)));
}

export interface AssistantActivity {
  assistantId: string;
  name: string;
  /** Questions asked from `currentFrom` to `until`. */
  current: number;
  /** Questions asked from `previousFrom` to `currentFrom`. */
  previous: number;
}

/** The assistants asked the most questions since `currentFrom`, with their count in the span before. */
export async function busiestAssistants(
  db: Database,
  tenantId: string,
  range: { previousFrom: string; currentFrom: string; until: string; limit: number },
): Promise<AssistantActivity[]> {
  const current = sql<number>`sum(case when ${messages.createdAt} >= ${range.currentFrom} then 1 else 0 end)`;
  return db
    .select({
      assistantId: assistants.id,
      name: assistants.name,
      current: current.mapWith(Number),
      previous:
        sql<number>`sum(case when ${messages.createdAt} < ${range.currentFrom} then 1 else 0 end)`.mapWith(
          Number,
        ),
    })
    .from(messages)
    .innerJoin(conversations, conversationOfMessage(tenantId))
    .innerJoin(assistants, assistantOfConversation(tenantId))
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.role, "user"),
        gte(messages.createdAt, range.previousFrom),
        lt(messages.createdAt, range.until),
      ),
    )
    .groupBy(assistants.id, assistants.name)
    .orderBy(desc(current), asc(assistants.id))
    .limit(range.limit);
}

/** What narrows a workspace's list of conversations. */
export interface ConversationFilter {
  assistantId?: string;
  /** Started at or after this instant (ISO 8601). */
  from?: string;
  /** Started before this instant (ISO 8601). */
  until?: string;
  /** Only the conversations this one started. */
  startedBy?: ConversationOwner;
}

/** A conversation with what a list of the workspace's conversations shows beside it. */
export interface ListedConversationRow extends ConversationRow {
  assistantName: string;
  messageCount: number;
  /** The member's e-mail or the API key's name, when the starter is one of them and still known. */
  starterLabel: string | null;
}

/**
 * The workspace's conversations, newest first (ids are time-ordered), with their assistant's name,
 * their message count and the name of whoever started them (a member's e-mail, an API key's name).
 */
export async function listTenantConversations(
  db: Database,
  tenantId: string,
  filter: ConversationFilter,
  page: PageRequest,
): Promise<ListedConversationRow[]> {
  const messageCount = sql<number>`(select count(*) from ${messages} where ${messages.tenantId} = ${tenantId} and ${messages.conversationId} = ${conversations.id})`;
  const rows = await db
    .select({
      conversation: conversations,
      assistantName: assistants.name,
      messageCount: messageCount.mapWith(Number),
      memberEmail: memberships.email,
      memberUserId: memberships.userId,
      keyName: apiKeys.name,
    })
    .from(conversations)
    .innerJoin(assistants, assistantOfConversation(tenantId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.tenantId, tenantId),
        eq(conversations.ownerType, "user"),
        eq(memberships.userId, conversations.ownerId),
      ),
    )
    .leftJoin(
      apiKeys,
      and(
        eq(apiKeys.tenantId, tenantId),
        eq(conversations.ownerType, "api_key"),
        eq(apiKeys.id, conversations.ownerId),
      ),
    )
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        filter.assistantId ? eq(conversations.assistantId, filter.assistantId) : undefined,
        filter.from ? gte(conversations.createdAt, filter.from) : undefined,
        filter.until ? lt(conversations.createdAt, filter.until) : undefined,
        filter.startedBy ? eq(conversations.ownerType, filter.startedBy.type) : undefined,
        filter.startedBy ? eq(conversations.ownerId, filter.startedBy.id) : undefined,
        page.after ? lt(conversations.id, page.after) : undefined,
      ),
    )
    .orderBy(desc(conversations.id))
    .limit(page.limit + 1);
  return rows.map((row) => ({
    ...row.conversation,
    assistantName: row.assistantName,
    messageCount: row.messageCount,
    starterLabel: row.memberEmail ?? row.keyName ?? null,
  }));
}

/** The messages of several of the tenant's conversations, each conversation's oldest first. */
export async function listMessagesOf(
  db: Database,
  tenantId: string,
  conversationIds: string[],
): Promise<MessageRow[]> {
  if (conversationIds.length === 0) return [];
  const records = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), inArray(messages.conversationId, conversationIds)))
    .orderBy(asc(messages.conversationId), asc(messages.id));
  return records.map(fromRecord);
}
