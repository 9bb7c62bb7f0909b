import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { apiKeys, assistants, collections, memberships, tenants } from "../schema";

export type TenantRow = typeof tenants.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;

export async function insertTenantWithOwner(
  db: Database,
  tenant: TenantRow,
  owner: MembershipRow,
): Promise<void> {
  await db.batch([db.insert(tenants).values(tenant), db.insert(memberships).values(owner)]);
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
