import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Language } from "../../lib/text/language";
import { collections } from "./documents";
import { tenantRef } from "./tenancy";

// Assistants, the collections they answer from, and the widgets that embed them.

/**
 * An assistant's answer language: one of the supported languages, or `auto` (the question's). Spelled
 * out rather than imported: drizzle-kit cannot load the language detector the list lives beside.
 */
export const assistantLanguages = [
  "auto",
  "en",
  "fr",
  "de",
  "es",
  "it",
  "pt",
  "nl",
] as const satisfies readonly ("auto" | Language)[];
export type AssistantLanguage = (typeof assistantLanguages)[number];

export const assistants = sqliteTable(
  "assistants",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    name: text("name").notNull(),
    systemPrompt: text("system_prompt").notNull(),
    /** Model override; null means the configured default. */
    model: text("model"),
    temperature: real("temperature").notNull(),
    topK: integer("top_k").notNull(),
    /** The language of answers: `auto` follows each question's. */
    language: text("language", { enum: assistantLanguages }).notNull().default("auto"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("assistants_tenant_idx").on(t.tenantId)],
);

export const assistantCollections = sqliteTable(
  "assistant_collections",
  {
    tenantId: tenantRef(),
    assistantId: text("assistant_id")
      .notNull()
      .references(() => assistants.id, { onDelete: "cascade" }),
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.assistantId, t.collectionId] }),
    index("assistant_collections_tenant_idx").on(t.tenantId),
    index("assistant_collections_collection_idx").on(t.collectionId),
  ],
);

export const widgetPositions = ["bottom-right", "bottom-left"] as const;
export const widgetLanguages = ["auto", "en", "fr", "de", "es", "it", "pt", "nl"] as const;

/** A site whose page was refused a visitor session, and when it last tried. */
export interface RefusedOrigin {
  origin: string;
  lastSeenAt: string;
}

/**
 * An assistant's embeddable widget (at most one): where it may be embedded, how it looks, and what
 * its visitors may spend. The publishable key is public by design (it sits in every embedding
 * page and grants nothing alone), so it is stored as is: the console shows it whenever asked, and
 * rotating it replaces it, which stops the old one at once.
 */
export const widgets = sqliteTable(
  "widgets",
  {
    assistantId: text("assistant_id")
      .primaryKey()
      .references(() => assistants.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    /** `pk_…`; minted at the first enabling, replaced by a rotation, kept while disabled. */
    publishableKey: text("publishable_key"),
    /** Normalised origins: `scheme://host[:port]`, or `https://*.example.com` for any subdomain. */
    allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>().notNull(),
    title: text("title").notNull(),
    greeting: text("greeting").notNull(),
    primaryColor: text("primary_color").notNull(),
    position: text("position", { enum: widgetPositions }).notNull(),
    language: text("language", { enum: widgetLanguages }).notNull(),
    suggestedQuestions: text("suggested_questions", { mode: "json" }).$type<string[]>().notNull(),
    visitorMessagesPerHour: integer("visitor_messages_per_hour").notNull(),
    visitorMessagesPerDay: integer("visitor_messages_per_day").notNull(),
    assistantMessagesPerHour: integer("assistant_messages_per_hour").notNull(),
    assistantMessagesPerDay: integer("assistant_messages_per_day").notNull(),
    /** The last few distinct origins refused a session, most recent first (bounded by the service). */
    refusedOrigins: text("refused_origins", { mode: "json" }).$type<RefusedOrigin[]>().notNull().default([]),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("widgets_tenant_idx").on(t.tenantId),
    uniqueIndex("widgets_publishable_key_idx").on(t.publishableKey),
  ],
);
