import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Actor } from "../../auth/actor";
import { collections, documents } from "./documents";
import { tenantRef } from "./tenancy";

// Nango connections and the syncs that import their files.

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
