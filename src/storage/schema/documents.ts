import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Language } from "../../lib/text/language";
import { tenantRef, tenants } from "./tenancy";

// Collections, their documents and the chunks D1 still holds from before the search shards.

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
 * `uploading`: the row holds the upload's place while the file goes to R2 and until the upload is
 * published (after its 202); the API shows it as `queued`, and not at all once abandoned.
 */
export const documentStatuses = ["uploading", "queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
/**
 * What `documents.status` holds: the statuses the API shows, and `deleting`, a deletion under way
 * (its steps resume until done); the API never shows such a document.
 */
export const storedDocumentStatuses = [...documentStatuses, "deleting"] as const;
export type StoredDocumentStatus = (typeof storedDocumentStatuses)[number];

/**
 * Why a document failed, for clients to put in their own words: a parser's reason (the file's
 * fault), a quota used up during ingestion, the model that failed for good, or an ingestion given
 * up after its retries.
 */
export const documentFailureCodes = [
  "empty",
  "encrypted",
  "no_text_layer",
  "no_text_found",
  "unreadable_text",
  "corrupt",
  "too_large",
  "unsupported",
  "hostile",
  "pages_quota_exceeded",
  "tokens_quota_exceeded",
  "model_failed",
  "ingestion_abandoned",
] as const;
export type DocumentFailureCode = (typeof documentFailureCodes)[number];

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
    /** Why it failed, as a code a client can translate (DocumentFailureCode); null otherwise. */
    errorCode: text("error_code").$type<DocumentFailureCode>(),
    pageCount: integer("page_count"),
    /** ISO 639-1 code of the document's language, detected at ingestion (null: unknown or unsupported). */
    language: text("language").$type<Language>(),
    chunkCount: integer("chunk_count").notNull().default(0),
    tokenCount: integer("token_count").notNull().default(0),
    pagesDone: integer("pages_done").notNull().default(0),
    pagesTotal: integer("pages_total"),
    /**
     * Pages left out because their text layer does not decode to text (fonts without a Unicode
     * map, glyph codes), and pages indexed once the words their text layer spaced out letter by
     * letter were rejoined ("letter_spaced"): the document's warnings name them. Reset by every
     * (re)ingestion.
     */
    unreadablePages: text("unreadable_pages", { mode: "json" })
      .$type<{ page: number; reason: "unmapped_glyphs" | "private_use" | "letter_spaced" }[]>()
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
     * The document's place in listings, from the tenant's counter when its upload's row is inserted
     * (null in rows inserted before that, until published): a document that appears later always
     * sorts after every cursor issued before.
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
