import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { auditEvents } from "../schema";

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** The statement that records an event, to run on its own or in the batch of the change it records. */
export const insertAuditEventStatement = (db: Database, row: AuditEventRow) =>
  db.insert(auditEvents).values(row);

export async function insertAuditEvent(db: Database, row: AuditEventRow): Promise<void> {
  await insertAuditEventStatement(db, row);
}

/** A page of the tenant's events, newest first (ids are time-ordered); `limit + 1` rows. */
export async function listAuditEvents(
  db: Database,
  tenantId: string,
  page: PageRequest,
): Promise<AuditEventRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), page.after ? lt(auditEvents.id, page.after) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(page.limit + 1);
}

/** Deletes events recorded before `before`, every tenant's, at most `limit` of them; returns how many. */
export async function deleteAuditEventsBefore(db: Database, before: string, limit: number): Promise<number> {
  const old = db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(lt(auditEvents.createdAt, before))
    .limit(limit);
  const deleted = await db
    .delete(auditEvents)
    .where(inArray(auditEvents.id, old))
    .returning({ id: auditEvents.id });
  return deleted.length;
}
