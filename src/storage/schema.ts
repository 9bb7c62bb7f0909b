import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Actor } from "../auth/actor";
import type { Language } from "../lib/text/language";

// Timestamps are ISO 8601 UTC strings: they sort as text and read the same in SQL and JSON.
// Ids are opaque, prefixed, time-ordered strings (see lib/ids.ts).

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  plan: text("plan", { enum: ["free", "pro"] })
    .notNull()
    .default("free"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  /** Set when the owner asks for the tenant's deletion: from then on it serves nothing (see delete-tenant.ts). */
  deletionRequestedAt: text("deletion_requested_at"),
});

/** The owning tenant of a row: every table of tenant data has it, indexed, and goes with the tenant. */
const tenantRef = () =>
  text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    /** The identity provider's user id (Clerk's `sub`). */
    userId: text("user_id").notNull(),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    /** The user's email when it joined (from the session token's `email` claim), shown in member lists. */
    email: text("email"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("memberships_tenant_user_idx").on(t.tenantId, t.userId),
    index("memberships_tenant_idx").on(t.tenantId),
    index("memberships_user_idx").on(t.userId),
  ],
);

/**
 * An invitation to join a tenant with a role, addressed to an email: the signed-in user whose
 * session token carries that email accepts it (which deletes it and writes the membership).
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    /** Lower-cased. */
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    /** The user id of the person who invited. */
    invitedBy: text("invited_by").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("invitations_tenant_email_idx").on(t.tenantId, t.email),
    index("invitations_tenant_idx").on(t.tenantId),
    index("invitations_email_idx").on(t.email),
  ],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so a key can be recognised. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    /** What the key may do in its tenant; never above its creator's role, never owner. */
    role: text("role", { enum: ["admin", "member"] })
      .notNull()
      .default("member"),
    /** The user id, or the id of the key (`key_…`) that created it: a key's revocation takes its keys along. */
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_idx").on(t.keyHash), index("api_keys_tenant_idx").on(t.tenantId)],
);

export const collections = sqliteTable(
  "collections",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("collections_tenant_idx").on(t.tenantId)],
);

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

/** `uploading`: the row holds the upload's place while the file goes to R2; listings do not show it yet. */
export const documentStatuses = ["uploading", "queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
/**
 * What `documents.status` holds: the statuses the API shows, and `deleting`, a deletion under way
 * (its steps resume until done); the API never shows such a document.
 */
export const storedDocumentStatuses = [...documentStatuses, "deleting"] as const;
export type StoredDocumentStatus = (typeof storedDocumentStatuses)[number];

export const documentFormats = ["pdf", "docx", "pptx", "html", "md", "txt"] as const;
export type DocumentFormat = (typeof documentFormats)[number];

export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    format: text("format", { enum: documentFormats }).notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** Hex SHA-256 of the original: identical uploads to a collection are recognised. */
    sha256: text("sha256").notNull(),
    blobKey: text("blob_key").notNull(),
    /** The client's `metadata` JSON, kept verbatim. */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    status: text("status", { enum: storedDocumentStatuses }).notNull(),
    /** A sentence for the user when `status` is `failed`. */
    error: text("error"),
    pageCount: integer("page_count"),
    /** ISO 639-1 code of the document's language, detected at ingestion (null: unknown or unsupported). */
    language: text("language").$type<Language>(),
    chunkCount: integer("chunk_count").notNull().default(0),
    tokenCount: integer("token_count").notNull().default(0),
    pagesDone: integer("pages_done").notNull().default(0),
    pagesTotal: integer("pages_total"),
    /**
     * Pages left out because their text layer does not decode to text (fonts without a Unicode
     * map, glyph codes): the document's warnings name them. Reset by every (re)ingestion.
     */
    unreadablePages: text("unreadable_pages", { mode: "json" })
      .$type<{ page: number; reason: "unmapped_glyphs" | "private_use" }[]>()
      .notNull()
      .default([]),
    /** Bumped by every (re)ingestion; queue messages of an older generation are ignored. */
    generation: integer("generation").notNull().default(1),
    /**
     * While `queued` or `processing`: until when the ingestion is presumed alive. Every batch renews
     * it; once it has passed, the sweeper re-enqueues the batch the document is at (null: none yet).
     */
    leaseExpiresAt: text("lease_expires_at"),
    /** Times the sweeper re-enqueued this generation since its last progress; bounded, then failed. */
    sweeps: integer("sweeps").notNull().default(0),
    /**
     * The document's place in listings, from the tenant's counter when its upload completes (null
     * while uploading): a document that appears later always sorts after every cursor issued before.
     */
    listPosition: integer("list_position"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("documents_tenant_idx").on(t.tenantId),
    index("documents_collection_idx").on(t.collectionId),
    uniqueIndex("documents_content_idx").on(t.tenantId, t.collectionId, t.sha256),
    index("documents_lease_idx").on(t.status, t.leaseExpiresAt),
    uniqueIndex("documents_list_position_idx").on(t.tenantId, t.listPosition),
  ],
);

/** The last listing position given to one of the tenant's documents (see documents.list_position). */
export const documentListCounters = sqliteTable("document_list_counters", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  lastPosition: integer("last_position").notNull(),
});

export const chunks = sqliteTable(
  "chunks",
  {
    /** Deterministic: derived from the document, the position and the content hash. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    collectionId: text("collection_id").notNull(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    pageStart: integer("page_start"),
    pageEnd: integer("page_end"),
    /** Headings above the chunk, joined with " > ". */
    section: text("section"),
    /**
     * Where each page of a chunk spanning several pages starts in its text: [[0, 3], [1520, 4]].
     * Null for a chunk on one page (or none), so that a citation names the page of its excerpt.
     */
    pageOffsets: text("page_offsets", { mode: "json" }).$type<[number, number][]>(),
    tokenCount: integer("token_count").notNull(),
    generation: integer("generation").notNull(),
  },
  (t) => [
    index("chunks_tenant_idx").on(t.tenantId),
    index("chunks_document_idx").on(t.documentId, t.position),
    index("chunks_collection_idx").on(t.collectionId),
  ],
);

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

/** A tenant's Stripe customer and subscription, kept in step by the webhook. The plan itself is `tenants.plan`. */
export const tenantBilling = sqliteTable(
  "tenant_billing",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    /** Stripe's subscription status: `active`, `trialing`, `past_due`, `canceled`… */
    subscriptionStatus: text("subscription_status"),
    /** The subscription's current period: flow quotas reset at its start. */
    currentPeriodStart: text("current_period_start"),
    currentPeriodEnd: text("current_period_end"),
    /** When the last invoice payment failed; cleared when the subscription is active again. */
    paymentFailedAt: text("payment_failed_at"),
    /**
     * Tickets taken by webhook deliveries before they read the subscriptions from Stripe, in order;
     * a delivery writes only if no later ticket has written (see billing.repo.ts).
     */
    syncTicketsIssued: integer("sync_tickets_issued").notNull().default(0),
    /** The ticket of the delivery whose reading of Stripe is stored here. */
    syncTicketApplied: integer("sync_ticket_applied").notNull().default(0),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tenant_billing_customer_idx").on(t.stripeCustomerId)],
);

/**
 * Usage mirrored from the tenant quota Durable Object: one row per commit or give-back, with the
 * billing period it counted in. Period totals and history are sums over these rows.
 * (No foreign key: the mirror must never be refused.)
 */
export const usageEvents = sqliteTable(
  "usage_events",
  {
    /** Chosen by the Durable Object, so a re-sent event is recorded once. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    metric: text("metric").notNull(),
    /** Positive when consumed, negative when given back (a deleted document). */
    amount: integer("amount").notNull(),
    /** Start of the billing period it counts in; empty for resources that do not reset. */
    periodStart: text("period_start").notNull(),
    at: text("at").notNull(),
  },
  (t) => [
    index("usage_events_tenant_idx").on(t.tenantId, t.at),
    index("usage_events_period_idx").on(t.tenantId, t.metric, t.periodStart),
  ],
);

/** Stripe events already handled: a replayed event is acknowledged and ignored. */
export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    tenantId: text("tenant_id"),
    processedAt: text("processed_at").notNull(),
  },
  (t) => [index("stripe_events_tenant_idx").on(t.tenantId)],
);

export const widgetPositions = ["bottom-right", "bottom-left"] as const;
export const widgetLanguages = ["auto", "en", "fr", "de", "es", "it", "pt", "nl"] as const;

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
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("widgets_tenant_idx").on(t.tenantId),
    uniqueIndex("widgets_publishable_key_idx").on(t.publishableKey),
  ],
);

/**
 * A tenant's connection to a provider through Nango, one per integration: recorded by Nango's
 * auth webhook (or the Connect UI's callback, checked with Nango).
 */
export const nangoConnectionStatuses = ["active", "failed"] as const;
export type NangoConnectionStatus = (typeof nangoConnectionStatuses)[number];

export const nangoConnections = sqliteTable(
  "nango_connections",
  {
    tenantId: tenantRef(),
    /** Nango's integration id (its provider config key), the `{provider}` of the API's paths. */
    integrationId: text("integration_id").notNull(),
    /** Nango's provider behind the integration (`google-drive`, `notion`): it decides how files are listed. */
    provider: text("provider").notNull(),
    /** Nango's connection id. */
    connectionId: text("connection_id").notNull(),
    status: text("status", { enum: nangoConnectionStatuses }).notNull(),
    /** Why the connection failed, for the user. */
    error: text("error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  // The key starts with tenant_id: it is the tenant's index too.
  (t) => [primaryKey({ columns: [t.tenantId, t.integrationId] })],
);

/** `stopped`: a quota was met; `failed`: the provider or Nango could not be read. */
export const nangoSyncStatuses = [
  "queued",
  "listing",
  "importing",
  "removing",
  "completed",
  "stopped",
  "failed",
] as const;
export type NangoSyncStatus = (typeof nangoSyncStatuses)[number];

/** One import of a connection's files into a collection, run by the queue one bounded step at a time. */
export const nangoSyncs = sqliteTable(
  "nango_syncs",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    integrationId: text("integration_id").notNull(),
    connectionId: text("connection_id").notNull(),
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    status: text("status", { enum: nangoSyncStatuses }).notNull(),
    /** Why the sync stopped or failed, as a sentence for the user. */
    error: text("error"),
    /** The step the next queue message must carry; a message of any other step is stale. */
    step: integer("step").notNull().default(0),
    /** The provider's cursor of the next page to list (null: the first page, or listing is done). */
    cursor: text("cursor"),
    /** Documents deleted because their file is gone from the source. */
    removed: integer("removed").notNull().default(0),
    /** Who started it: the documents it imports are added in their name. */
    startedBy: text("started_by", { mode: "json" }).$type<Actor>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (t) => [
    index("nango_syncs_tenant_idx").on(t.tenantId),
    index("nango_syncs_connection_idx").on(t.tenantId, t.integrationId, t.status),
    index("nango_syncs_collection_idx").on(t.collectionId),
  ],
);

export const nangoSyncItemStatuses = [
  "pending",
  "added",
  "updated",
  "unchanged",
  "skipped",
  "failed",
] as const;
export type NangoSyncItemStatus = (typeof nangoSyncItemStatuses)[number];

/** A file a sync found at the source, and what became of it. */
export const nangoSyncItems = sqliteTable(
  "nango_sync_items",
  {
    tenantId: tenantRef(),
    syncId: text("sync_id")
      .notNull()
      .references(() => nangoSyncs.id, { onDelete: "cascade" }),
    /** The provider's id of the file or page. */
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    /** The provider's revision (Drive's version, Notion's last edit time). */
    revision: text("revision").notNull(),
    /** How to fetch it (a MIME type for Drive, `page` for Notion). */
    kind: text("kind").notNull(),
    status: text("status", { enum: nangoSyncItemStatuses }).notNull(),
    /** Why it failed or was skipped, for the user. */
    error: text("error"),
    documentId: text("document_id"),
  },
  (t) => [
    primaryKey({ columns: [t.syncId, t.externalId] }),
    index("nango_sync_items_tenant_idx").on(t.tenantId),
    index("nango_sync_items_status_idx").on(t.syncId, t.status),
  ],
);

/** Where an imported document came from: a later sync updates it or deletes it with its source. */
export const importedDocuments = sqliteTable(
  "imported_documents",
  {
    documentId: text("document_id")
      .primaryKey()
      .references(() => documents.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    collectionId: text("collection_id").notNull(),
    integrationId: text("integration_id").notNull(),
    externalId: text("external_id").notNull(),
    revision: text("revision").notNull(),
    syncedAt: text("synced_at").notNull(),
  },
  (t) => [
    uniqueIndex("imported_documents_source_idx").on(
      t.tenantId,
      t.collectionId,
      t.integrationId,
      t.externalId,
    ),
    index("imported_documents_tenant_idx").on(t.tenantId),
  ],
);

/**
 * Who did what to a tenant, and when: membership, API key, widget, assistant, collection, plan,
 * connection and deletion changes. Kept for a retention (services/audit), deleted with the tenant.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    /** Time-ordered (`aud_…`): the newest first is the id's descending order. */
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    /** `user`, `api_key`, `dev` or `system` (Stripe, Nango, the cron). */
    actorType: text("actor_type").notNull(),
    /** The user id or the key id; null for the system. */
    actorId: text("actor_id"),
    /** What happened, as `resource.verb`: `member.invited`, `api_key.revoked`… */
    action: text("action").notNull(),
    /** The kind and id of what it happened to. */
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    /** A few ids or values that say more (a new role, a plan); never a secret or an e-mail. */
    details: text("details", { mode: "json" }).$type<Record<string, string | number | boolean | null>>(),
    requestId: text("request_id"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("audit_events_tenant_idx").on(t.tenantId, t.id),
    index("audit_events_created_idx").on(t.createdAt),
  ],
);
