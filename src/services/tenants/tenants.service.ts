import type { Deps, Identity, Role } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  countTenantResources,
  findMembership,
  findTenant,
  insertFreeTenantWithinLimit,
  listTenantsOfUser,
  type TenantRow,
} from "../../storage/repositories/tenants.repo";
import { planLimits } from "../plans/plans.service";
import { tenantBeingDeleted } from "./deletion";

export interface TenantWithRole extends TenantRow {
  role: Role;
}

/**
 * Creates a Free tenant; the calling user becomes its owner. API keys cannot create tenants, and a
 * user owns at most `MAX_FREE_TENANTS_PER_USER` Free tenants (403 `plan_limit_reached` beyond).
 */
export async function createTenant({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { name: string };
}): Promise<TenantWithRole> {
  if (identity.actor.type === "api_key") {
    throw new AppError("forbidden", "API keys act inside their tenant and cannot create tenants");
  }
  if (identity.actor.type === "visitor")
    throw new AppError("forbidden", "Widget visitors cannot create tenants");
  // The development bypass exists only in development and test, where one local user makes
  // tenants freely; every signed-in user is held to the limit.
  const limit = identity.actor.type === "dev" ? Number.MAX_SAFE_INTEGER : deps.config.tenants.maxFreePerUser;
  const now = nowIso();
  const tenant: TenantRow = {
    id: newId("ten"),
    name: input.name,
    plan: "free",
    createdAt: now,
    updatedAt: now,
    deletionRequestedAt: null,
  };
  const owner = {
    id: newId("mem"),
    tenantId: tenant.id,
    userId: identity.actor.userId,
    role: "owner" as const,
    email: identity.actor.type === "user" ? identity.actor.email : null,
    createdAt: now,
  };
  if (!(await insertFreeTenantWithinLimit(deps.db, tenant, owner, limit))) {
    throw new AppError(
      "plan_limit_reached",
      `You already own ${limit} Free tenants, the most one user may have; upgrade one to Pro, or work in one you have`,
      { metric: "free_tenants", limit, plan: "free" },
    );
  }
  return { ...tenant, role: "owner" };
}

/** The tenants the caller can act in: a user's memberships, or an API key's own tenant. */
export async function listTenants({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { page: PageRequest };
}): Promise<TenantWithRole[]> {
  const { page } = input;
  if (identity.actor.type === "api_key") {
    const tenant = identity.tenantId ? await findTenant(deps.db, identity.tenantId) : undefined;
    if (!tenant || (page.after && tenant.id <= page.after)) return [];
    return [{ ...tenant, role: identity.role ?? "member" }];
  }
  if (identity.actor.type === "visitor") return [];
  const rows = await listTenantsOfUser(deps.db, identity.actor.userId, page);
  return rows.map(({ tenant, role }) => ({ ...tenant, role }));
}

/** A tenant's details with its plan limits and resource counts, if the caller may see it. */
export async function getTenant({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { tenantId: string };
}) {
  const role = await roleIn(identity, deps, input.tenantId);
  const tenant = role ? await findTenant(deps.db, input.tenantId) : undefined;
  if (!tenant || !role) throw notFound("Tenant", input.tenantId);
  if (tenant.deletionRequestedAt) throw tenantBeingDeleted(tenant.id, tenant.deletionRequestedAt);
  const counts = await countTenantResources(deps.db, tenant.id);
  return { ...tenant, role, limits: planLimits(deps.config, tenant.plan), counts };
}

/**
 * The caller's role in the tenant, or null when it may not see it. An API key, or the bypass with
 * X-Tenant-ID, is bound to one tenant and sees only that one; a user sees every tenant it is a member of.
 */
export async function roleIn(identity: Identity, deps: Deps, tenantId: string): Promise<Role | null> {
  if (identity.actor.type === "visitor") return null;
  if (identity.actor.type === "api_key" || (identity.actor.type === "dev" && identity.tenantId)) {
    return identity.tenantId === tenantId ? identity.role : null;
  }
  return (await findMembership(deps.db, tenantId, identity.actor.userId))?.role ?? null;
}
