import { and, eq, exists, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { stripeEvents, tenantBilling, tenants } from "../schema";

export type TenantBillingRow = typeof tenantBilling.$inferSelect;
type PlanName = (typeof tenants.$inferSelect)["plan"];

/** A tenant's stored plan with its subscription period (null on a calendar month). */
export async function findPlanAndPeriod(db: Database, tenantId: string) {
  const [row] = await db
    .select({
      plan: tenants.plan,
      periodStart: tenantBilling.currentPeriodStart,
      periodEnd: tenantBilling.currentPeriodEnd,
    })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId));
  return row;
}

/** The same with the billing sync ticket that stored it (0 before any): what a quota object keeps. */
export async function findPlanWithTicket(db: Database, tenantId: string) {
  const [row] = await db
    .select({
      plan: tenants.plan,
      periodStart: tenantBilling.currentPeriodStart,
      periodEnd: tenantBilling.currentPeriodEnd,
      ticket: tenantBilling.syncTicketApplied,
    })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId));
  return row && { ...row, ticket: row.ticket ?? 0 };
}

export async function findBilling(db: Database, tenantId: string): Promise<TenantBillingRow | undefined> {
  return db.query.tenantBilling.findFirst({ where: eq(tenantBilling.tenantId, tenantId) });
}

export async function findTenantIdByCustomer(db: Database, customerId: string): Promise<string | undefined> {
  const row = await db.query.tenantBilling.findFirst({
    columns: { tenantId: true },
    where: eq(tenantBilling.stripeCustomerId, customerId),
  });
  return row?.tenantId;
}

/** Records the tenant's Stripe customer, or replaces one Stripe deleted. */
export async function saveCustomerId(db: Database, tenantId: string, customerId: string, at: string) {
  await db
    .insert(tenantBilling)
    .values({ tenantId, stripeCustomerId: customerId, updatedAt: at })
    .onConflictDoUpdate({
      target: tenantBilling.tenantId,
      set: { stripeCustomerId: customerId, updatedAt: at },
    });
}

export async function isStripeEventProcessed(db: Database, eventId: string): Promise<boolean> {
  const row = await db.query.stripeEvents.findFirst({
    columns: { id: true },
    where: eq(stripeEvents.id, eventId),
  });
  return row !== undefined;
}

export interface StripeEventRecord {
  id: string;
  type: string;
  tenantId: string | null;
  at: string;
}

const recordOf = (db: Database, event: StripeEventRecord) =>
  db.insert(stripeEvents).values({
    id: event.id,
    type: event.type,
    tenantId: event.tenantId,
    processedAt: event.at,
  });

/** Records an event that changes nothing Ancre keeps. A second delivery fails on the event id. */
export async function recordStripeEvent(db: Database, event: StripeEventRecord): Promise<void> {
  await recordOf(db, event);
}

/**
 * Takes the tenant's next sync ticket, in one statement, before its subscriptions are read from
 * Stripe: tickets order the readings, so a later reading is never overwritten by an earlier one.
 * Returns it with the tenant's Stripe customer on record (null when none yet), the one to read.
 */
export async function takeSyncTicket(
  db: Database,
  tenantId: string,
  at: string,
): Promise<{ ticket: number; customerId: string | null }> {
  const [row] = await db
    .insert(tenantBilling)
    .values({ tenantId, syncTicketsIssued: 1, updatedAt: at })
    .onConflictDoUpdate({
      target: tenantBilling.tenantId,
      set: { syncTicketsIssued: sql`${tenantBilling.syncTicketsIssued} + 1`, updatedAt: at },
    })
    .returning({ ticket: tenantBilling.syncTicketsIssued, customerId: tenantBilling.stripeCustomerId });
  return row!;
}

/** The subscription state read from Stripe under `ticket`, and the plan it puts the tenant on. */
export interface SubscriptionState {
  tenantId: string;
  ticket: number;
  plan: PlanName;
  fields: Pick<
    TenantBillingRow,
    | "stripeCustomerId"
    | "stripeSubscriptionId"
    | "subscriptionStatus"
    | "currentPeriodStart"
    | "currentPeriodEnd"
  > &
    Partial<Pick<TenantBillingRow, "paymentFailedAt">>;
}

/**
 * Records the event and stores the state read under its ticket, in one batch. Each write is a
 * single conditional statement: the state lands only if no later ticket has landed and the
 * customer read is still the tenant's (or it had none), and the plan follows only if the state
 * did. Returns whether the state was stored.
 */
export async function applySubscriptionState(
  db: Database,
  event: StripeEventRecord,
  state: SubscriptionState,
): Promise<boolean> {
  const [, stored] = await db.batch([
    recordOf(db, event),
    db
      .update(tenantBilling)
      .set({ ...state.fields, syncTicketApplied: state.ticket, updatedAt: event.at })
      .where(
        and(
          eq(tenantBilling.tenantId, state.tenantId),
          lt(tenantBilling.syncTicketApplied, state.ticket),
          // A checkout may have replaced the customer since the ticket was taken.
          or(
            isNull(tenantBilling.stripeCustomerId),
            eq(tenantBilling.stripeCustomerId, state.fields.stripeCustomerId ?? ""),
          ),
        ),
      )
      .returning({ tenantId: tenantBilling.tenantId }),
    db
      .update(tenants)
      .set({ plan: state.plan, updatedAt: event.at })
      .where(
        and(
          eq(tenants.id, state.tenantId),
          exists(
            db
              .select({ one: sql`1` })
              .from(tenantBilling)
              .where(
                and(
                  eq(tenantBilling.tenantId, state.tenantId),
                  eq(tenantBilling.syncTicketApplied, state.ticket),
                ),
              ),
          ),
        ),
      ),
  ]);
  forgetLookups();
  return stored.length > 0;
}
