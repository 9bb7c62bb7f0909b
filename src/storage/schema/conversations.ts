import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { assistants } from "./assistants";
import { tenantRef } from "./tenancy";

// Conversations and their messages.

/** Who can start a conversation: a signed-in user, an API key, a widget visitor. */
export const conversationOwnerTypes = ["user", "api_key", "visitor"] as const;
export type ConversationOwnerType = (typeof conversationOwnerTypes)[number];

export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    assistantId: text("assistant_id")
      .notNull()
      .references(() => assistants.id, { onDelete: "cascade" }),
    /** The start of the first question, for lists. */
    title: text("title").notNull(),
    /**
     * Who started the conversation: only they send messages into it, and members see only theirs.
     * Null for conversations started before owners were recorded: owners and admins alone see those.
     */
    ownerType: text("owner_type", { enum: conversationOwnerTypes }),
    ownerId: text("owner_id"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("conversations_tenant_idx").on(t.tenantId),
    index("conversations_assistant_idx").on(t.assistantId),
    index("conversations_owner_idx").on(t.tenantId, t.ownerType, t.ownerId),
  ],
);

export const messageStatuses = ["generating", "complete", "failed"] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** A citation as stored with an answer: the `[n]` marker, the chunk and a verbatim excerpt of it. */
export interface StoredCitation {
  index: number;
  chunk_id: string;
  document_id: string;
  filename: string;
  page: number | null;
  section: string | null;
  excerpt: string;
  score: number;
}

export interface StoredUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** true when counted with gpt-tokenizer rather than reported by the provider. */
  estimated: boolean;
}

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    status: text("status", { enum: messageStatuses }).notNull(),
    citations: text("citations", { mode: "json" }).$type<StoredCitation[]>(),
    usage: text("usage", { mode: "json" }).$type<StoredUsage>(),
    model: text("model"),
    finishReason: text("finish_reason"),
    /** Why generation failed, for the user. */
    error: text("error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("messages_tenant_idx").on(t.tenantId),
    index("messages_conversation_idx").on(t.conversationId, t.id),
  ],
);

export const feedbackRatings = ["up", "down"] as const;
export type FeedbackRating = (typeof feedbackRatings)[number];

/**
 * A thumb up or down on an answer, with an optional comment: one per answer, given and changed by
 * whoever started its conversation (a user, an API key, a widget visitor). Kept beside the
 * messages rather than on them, so that answering never writes it.
 */
export const messageFeedback = sqliteTable(
  "message_feedback",
  {
    messageId: text("message_id")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    rating: text("rating", { enum: feedbackRatings }).notNull(),
    comment: text("comment"),
    authorType: text("author_type", { enum: conversationOwnerTypes }).notNull(),
    authorId: text("author_id").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("message_feedback_tenant_idx").on(t.tenantId),
    index("message_feedback_conversation_idx").on(t.conversationId),
  ],
);

/**
 * The documents a turn retrieved to answer from, most relevant first (an answer's citations keep
 * only those it quoted): what the report of unanswered questions shows beside a refusal.
 */
export const answerRetrievals = sqliteTable(
  "answer_retrievals",
  {
    messageId: text("message_id")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    documentIds: text("document_ids", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [index("answer_retrievals_tenant_idx").on(t.tenantId)],
);
