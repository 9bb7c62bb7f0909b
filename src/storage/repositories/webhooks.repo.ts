import { and, asc, count, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { tenants, type WebhookEventType, webhookDeliveries, webhookEndpoints } from "../schema";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertEndpoint(db: Database, row: WebhookEndpointRow): Promise<void> {
  await db.insert(webhookEndpoints).values(row);
  forgetLookups();
}

export async function countEndpoints(db: Database, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.tenantId, tenantId));
  return row?.n ?? 0;
}

export async function listEndpoints(db: Database, tenantId: string, page: PageRequest) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        page.after ? gt(webhookEndpoints.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(webhookEndpoints.id))
    .limit(page.limit + 1);
}

export async function findEndpoint(
  db: Database,
  tenantId: string,
  endpointId: string,
): Promise<WebhookEndpointRow | undefined> {
  return db.query.webhookEndpoints.findFirst({
    where: and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)),
  });
}

/** The endpoint, if its tenant is not being deleted: a delivery to it may go out. */
export async function findDeliverableEndpoint(
  db: Database,
  tenantId: string,
  endpointId: string,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db
    .select({ endpoint: webhookEndpoints })
    .from(webhookEndpoints)
    .innerJoin(tenants, eq(tenants.id, webhookEndpoints.tenantId))
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        eq(webhookEndpoints.id, endpointId),
        isNull(tenants.deletionRequestedAt),
      ),
    )
    .limit(1);
  return row?.endpoint;
}

/** Changes the tenant's endpoint; returns it as it now is, undefined when the tenant has no such endpoint. */
export async function updateEndpoint(
  db: Database,
  tenantId: string,
  endpointId: string,
  patch: Partial<Omit<WebhookEndpointRow, "id" | "tenantId" | "createdAt">>,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set(patch)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)))
    .returning();
  forgetLookups();
  return row;
}

/** Deletes the tenant's endpoint with its deliveries; whether it existed. */
export async function deleteEndpoint(db: Database, tenantId: string, endpointId: string): Promise<boolean> {
  const [, deleted] = await db.batch([
    db
      .delete(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId))),
    db
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)))
      .returning({ id: webhookEndpoints.id }),
  ]);
  forgetLookups();
  return deleted.length > 0;
}

/** The tenant's enabled endpoints and the events each receives. */
export async function subscribedEndpoints(
  db: Database,
  tenantId: string,
): Promise<{ id: string; events: WebhookEventType[] }[]> {
  return db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true)));
}

/** Records a delivery that waits for its first attempt (a test event sent from the API). */
export async function insertDelivery(db: Database, row: WebhookDeliveryRow): Promise<void> {
  await db.insert(webhookDeliveries).values(row).onConflictDoNothing();
}

/**
 * Counts one more attempt of a delivery, creating its row on the first; returns the row as it now
 * is. A delivery already delivered or given up is returned unchanged (a re-delivered message).
 */
export async function startDeliveryAttempt(
  db: Database,
  row: Omit<WebhookDeliveryRow, "attempts" | "lastStatusCode" | "lastError" | "nextAttemptAt">,
): Promise<WebhookDeliveryRow> {
  const [started] = await db
    .insert(webhookDeliveries)
    .values({ ...row, attempts: 1 })
    .onConflictDoUpdate({
      target: webhookDeliveries.id,
      set: { attempts: sql`${webhookDeliveries.attempts} + 1`, updatedAt: row.updatedAt },
      setWhere: sql`${webhookDeliveries.status} IN ('pending', 'retrying')`,
    })
    .returning();
  if (started) return started;
  const [settled] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, row.tenantId), eq(webhookDeliveries.id, row.id)));
  return settled!;
}

/** Records the outcome of a delivery's attempt. */
export async function settleDeliveryAttempt(
  db: Database,
  tenantId: string,
  deliveryId: string,
  outcome: Pick<
    WebhookDeliveryRow,
    "status" | "lastStatusCode" | "lastError" | "nextAttemptAt" | "updatedAt"
  >,
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set(outcome)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)));
}

/** A delivery went through: the endpoint's run of failures ends. */
export async function markEndpointReachable(db: Database, tenantId: string, endpointId: string) {
  await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures: 0 })
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        eq(webhookEndpoints.id, endpointId),
        gt(webhookEndpoints.consecutiveFailures, 0),
      ),
    );
}

/** An attempt failed: one more in the endpoint's run; returns the run's length. */
export async function countEndpointFailure(
  db: Database,
  tenantId: string,
  endpointId: string,
): Promise<number> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)))
    .returning({ failures: webhookEndpoints.consecutiveFailures });
  return row?.failures ?? 0;
}

/** Disables an enabled endpoint with the reason; whether this call disabled it. */
export async function disableEndpoint(
  db: Database,
  tenantId: string,
  endpointId: string,
  reason: string,
  at: string,
): Promise<boolean> {
  const rows = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: at })
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        eq(webhookEndpoints.id, endpointId),
        eq(webhookEndpoints.enabled, true),
      ),
    )
    .returning({ id: webhookEndpoints.id });
  forgetLookups();
  return rows.length > 0;
}

/** A page of an endpoint's deliveries, newest first. */
export async function listDeliveries(db: Database, tenantId: string, endpointId: string, page: PageRequest) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpointId),
        page.after ? lt(webhookDeliveries.id, page.after) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(page.limit + 1);
}

/** Deletes up to `limit` deliveries (of any tenant) made before `before`; returns how many went. */
export async function trimDeliveries(db: Database, before: string, limit: number): Promise<number> {
  const deleted = await db.all(
    sql`DELETE FROM ${webhookDeliveries} WHERE rowid IN (SELECT rowid FROM ${webhookDeliveries} WHERE created_at < ${before} LIMIT ${limit}) RETURNING 1`,
  );
  return deleted.length;
}
