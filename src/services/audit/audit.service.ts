import type { Actor, TenantContext, Verb } from "../../context";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import type { Database } from "../../storage/db";
import {
  type AuditEventRow,
  deleteAuditEventsBefore,
  insertAuditEvent,
  insertAuditEventStatement,
  listAuditEvents,
} from "../../storage/repositories/audit.repo";

/** How long a tenant's audit events are kept; the cron trims older ones. */
export const AUDIT_RETENTION_DAYS = 400;
/** Events the cron deletes at most per run (the next run goes on). */
const TRIMMED_PER_RUN = 5_000;

/** Everything Ancre records in a tenant's audit log. */
export type AuditAction =
  | "member.invited"
  | "member.invitation_revoked"
  | "member.role_changed"
  | "member.removed"
  | "api_key.created"
  | "api_key.revoked"
  | "widget.published"
  | "widget.key_rotated"
  | "widget.disabled"
  | "assistant.deleted"
  | "collection.deleted"
  | "plan.changed"
  | "connection.created"
  | "connection.removed"
  | "tenant.deletion_requested";

export interface AuditEntry {
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/** Who acted, as the audit log names them (visitors change nothing a tenant audits). */
function actorOf(actor: Actor | "system"): { actorType: string; actorId: string | null } {
  if (actor === "system") return { actorType: "system", actorId: null };
  switch (actor.type) {
    case "user":
      return { actorType: "user", actorId: actor.userId };
    case "api_key":
      return { actorType: "api_key", actorId: actor.keyId };
    case "dev":
      return { actorType: "dev", actorId: actor.userId };
    case "visitor":
      return { actorType: "visitor", actorId: actor.visitorId };
  }
}

/** The row of an event done by the caller of `ctx` (or by the system, for Stripe and Nango). */
export function auditRow(
  ctx: Pick<TenantContext, "tenantId"> & { actor: Actor | "system"; requestId?: string | null },
  entry: AuditEntry,
): AuditEventRow {
  return {
    id: newId("aud"),
    tenantId: ctx.tenantId,
    ...actorOf(ctx.actor),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details ?? null,
    requestId: ctx.requestId ?? null,
    createdAt: nowIso(),
  };
}

/** The statement recording `entry`, for the db.batch of the change it records. */
export const auditStatement = (db: Database, ctx: Parameters<typeof auditRow>[0], entry: AuditEntry) =>
  insertAuditEventStatement(db, auditRow(ctx, entry));

/** Records an event in the tenant's audit log, right after the change it records. */
export async function recordAuditEvent({
  ctx,
  deps,
  input,
}: Omit<Verb<AuditEntry>, "ctx"> & { ctx: Parameters<typeof auditRow>[0] }): Promise<void> {
  await insertAuditEvent(deps.db, auditRow(ctx, input));
}

/** A page of the tenant's audit log, newest first (owners and admins: the route asks for admin). */
export async function listTenantAuditEvents({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  return listAuditEvents(deps.db, ctx.tenantId, input.page);
}

/** Deletes audit events older than the retention; returns how many went. */
export async function trimAuditLog({ deps, input }: Omit<Verb<{ now: Date }>, "ctx">): Promise<number> {
  const before = new Date(input.now.getTime() - AUDIT_RETENTION_DAYS * 86_400_000).toISOString();
  return deleteAuditEventsBefore(deps.db, before, TRIMMED_PER_RUN);
}
