import type { Context } from "hono";
import type { AppEnv, Role, TenantContext } from "../context";
import { AppError } from "../errors";

const rank: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** The tenant context of a tenant-scoped request; `minimumRole` guards administrative verbs. */
export function tenantContext(c: Context<AppEnv>, minimumRole: Role = "member"): TenantContext {
  const { identity } = c.var;
  if (!identity.tenantId || !identity.role) {
    throw new AppError("tenant_required", "Pick a tenant with the X-Tenant-ID header");
  }
  if (rank[identity.role] < rank[minimumRole]) {
    throw new AppError("forbidden", `This action needs the ${minimumRole} role in the tenant`);
  }
  return {
    tenantId: identity.tenantId,
    actor: identity.actor,
    role: identity.role,
    requestId: c.var.requestId,
  };
}
