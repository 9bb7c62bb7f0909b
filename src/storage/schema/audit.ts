import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenantRef } from "./tenancy";

// The audit log: who did what to a tenant, and when.

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
