import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { apiKeys, assistants, collections, memberships, tenants } from "../schema";

export type TenantRow = typeof tenants.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;

/**
 * Inserts a Free tenant and its owner's membership in one batch, only while the owner owns fewer
 * than `maxFreeOwned` Free tenants. The count and the insert are one statement, so concurrent
 * creations cannot overshoot. Returns false when the limit refused it.
 */
export async function insertFreeTenantWithinLimit(
  db: Database,
  tenant: TenantRow,
  owner: MembershipRow,
  maxFreeOwned: number,
): Promise<boolean> {
  // Plain D1 statements: drizzle cannot batch an INSERT … SELECT … WHERE.
  const insertTenant = db.$client
    .prepare(
      `INSERT INTO tenants (id, name, plan, created_at, updated_at)
       SELECT ?1, ?2, 'free', ?3, ?4
       WHERE (SELECT COUNT(*) FROM memberships m JOIN tenants t ON t.id = m.tenant_id
              WHERE m.user_id = ?5 AND m.role = 'owner' AND t.plan = 'free'
                AND t.deletion_requested_at IS NULL) < ?6`,
    )
    .bind(tenant.id, tenant.name, tenant.createdAt, tenant.updatedAt, owner.userId, maxFreeOwned);
  // Written only if the tenant row was, so a refused tenant leaves no membership.
  const insertOwner = db.$client
    .prepare(
      `INSERT INTO memberships (id, tenant_id, user_id, role, email, created_at)
       SELECT ?1, ?2, ?3, 'owner', ?4, ?5 WHERE EXISTS (SELECT 1 FROM tenants WHERE id = ?2)`,
    )
    .bind(owner.id, tenant.id, owner.userId, owner.email, owner.createdAt);
  const [inserted] = await db.$client.batch([insertTenant, insertOwner]);
  return inserted?.meta.changes === 1;
}

export async function findTenant(db: Database, tenantId: string): Promise<TenantRow | undefined> {
  return db.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
}

/** The user's membership in the tenant, with when the tenant's deletion was requested (null while it lives). */
export async function findMembership(
  db: Database,
  tenantId: string,
  userId: string,
): Promise<(MembershipRow & { tenantDeletionRequestedAt: string | null }) | undefined> {
  const [row] = await db
    .select({ membership: memberships, tenantDeletionRequestedAt: tenants.deletionRequestedAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .limit(1);
  return row && { ...row.membership, tenantDeletionRequestedAt: row.tenantDeletionRequestedAt };
}

/** The tenants a user belongs to, with the user's role, in creation order; tenants being deleted are left out. */
export async function listTenantsOfUser(db: Database, userId: string, page: PageRequest) {
  return db
    .select({ tenant: tenants, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(
      and(
        eq(memberships.userId, userId),
        isNull(tenants.deletionRequestedAt),
        page.after ? gt(tenants.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(tenants.id))
    .limit(page.limit + 1);
}

export interface TenantCounts {
  collections: number;
  assistants: number;
  api_keys: number;
}

export async function countTenantResources(db: Database, tenantId: string): Promise<TenantCounts> {
  const [collectionCount, assistantCount, keyCount] = await db.batch([
    db.select({ n: count() }).from(collections).where(eq(collections.tenantId, tenantId)),
    db.select({ n: count() }).from(assistants).where(eq(assistants.tenantId, tenantId)),
    db
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt))),
  ]);
  return {
    collections: collectionCount[0]?.n ?? 0,
    assistants: assistantCount[0]?.n ?? 0,
    api_keys: keyCount[0]?.n ?? 0,
  };
}
