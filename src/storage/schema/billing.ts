import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./tenancy";

// Stripe billing and metered usage.

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
