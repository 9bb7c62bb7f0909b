import { eq, sql } from "drizzle-orm";
import type { Database } from "../db";
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

export interface BillingChange {
  tenantId: string;
  /** The plan to switch to; undefined leaves it. */
  plan?: PlanName;
  fields: Partial<Omit<TenantBillingRow, "tenantId" | "updatedAt" | "lastEventCreated">>;
  /** For subscription events: applied only if no newer event was applied before. */
  eventCreated?: number;
}

/**
 * Applies a Stripe event's changes and records the event id, all in one batch: either both land
 * or neither. A second delivery of the same event fails on the event id and changes nothing. A
 * subscription event older than one already applied is only recorded.
 */
export async function applyStripeEvent(
  db: Database,
  event: StripeEventRecord,
  change: BillingChange | undefined,
): Promise<void> {
  const record = db.insert(stripeEvents).values({
    id: event.id,
    type: event.type,
    tenantId: event.tenantId,
    processedAt: event.at,
  });
  const created = change?.eventCreated ?? null;
  if (!change || (created !== null && (await isOlderThanApplied(db, change.tenantId, created)))) {
    await record;
    return;
  }
  const upsert = db
    .insert(tenantBilling)
    .values({ tenantId: change.tenantId, ...change.fields, lastEventCreated: created, updatedAt: event.at })
    .onConflictDoUpdate({
      target: tenantBilling.tenantId,
      set: {
        ...change.fields,
        lastEventCreated: sql`MAX(COALESCE(${tenantBilling.lastEventCreated}, 0), COALESCE(excluded.last_event_created, 0))`,
        updatedAt: event.at,
      },
    });
  if (change.plan) {
    await db.batch([
      record,
      upsert,
      db
        .update(tenants)
        .set({ plan: change.plan, updatedAt: event.at })
        .where(eq(tenants.id, change.tenantId)),
    ]);
  } else {
    await db.batch([record, upsert]);
  }
}

async function isOlderThanApplied(db: Database, tenantId: string, created: number): Promise<boolean> {
  const billing = await findBilling(db, tenantId);
  return billing?.lastEventCreated != null && created < billing.lastEventCreated;
}
