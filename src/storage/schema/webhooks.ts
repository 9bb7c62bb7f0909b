import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenantRef } from "./tenancy";

// Outgoing webhooks: the endpoints a tenant registers, and each delivery of an event to one of them.

/** The events an endpoint can subscribe to (docs/webhooks.md gives their payloads). */
export const webhookEventTypes = [
  "document.ready",
  "document.failed",
  "quota.threshold",
  "sync.completed",
  "conversation.created",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    url: text("url").notNull(),
    description: text("description"),
    /** The events it receives, a JSON array of WebhookEventType. */
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    /** The signing secret, AES-GCM encrypted (services/webhooks/secret-box.ts); shown in clear only when made. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    /** The secret's first characters, so that a secret can be recognised. */
    secretPrefix: text("secret_prefix").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Why Ancre disabled it, as a sentence (null when enabled, or disabled by the tenant). */
    disabledReason: text("disabled_reason"),
    /** Deliveries in a row that gave up; any success resets it. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId)],
);

export const webhookDeliveryStatuses = ["pending", "retrying", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/** One event sent to one endpoint, with every attempt's outcome folded in. Kept for a retention. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    status: text("status", { enum: webhookDeliveryStatuses }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** The receiver's HTTP status on the last attempt (null when none came back). */
    lastStatusCode: integer("last_status_code"),
    /** What went wrong on the last attempt, as a sentence. */
    lastError: text("last_error"),
    /** When the next attempt is due while retrying. */
    nextAttemptAt: text("next_attempt_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("webhook_deliveries_tenant_idx").on(t.tenantId),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_created_idx").on(t.createdAt),
  ],
);
