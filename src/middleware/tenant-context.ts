import type { Context } from "hono";
import type { Role } from "../auth/roles";
import { roleAtMost } from "../auth/roles";
import { visitorAccess } from "../auth/visitor-scope";
import type { AppEnv, TenantContext } from "../context";
import { AppError } from "../errors";
import { callerRegionOf } from "../lib/caller-region";

/** The tenant context of a tenant-scoped request; `minimumRole` guards administrative verbs. */
export function tenantContext(c: Context<AppEnv>, minimumRole: Role = "member"): TenantContext {
  const { identity } = c.var;
  if (!identity.tenantId || !identity.role) {
    throw new AppError("tenant_required", "Pick a tenant with the X-Tenant-ID header");
  }
  // Second guard after confineVisitors: a route a visitor may not call never gets a context for one.
  if (
    identity.actor.type === "visitor" &&
    visitorAccess(c.req.method, c.req.path, identity.actor.assistantId) !== "allowed"
  ) {
    throw new AppError("forbidden", "A widget visitor token only reaches its assistant's chat");
  }
  if (!roleAtMost(minimumRole, identity.role)) {
    throw new AppError("forbidden", `This action needs the ${minimumRole} role in the tenant`);
  }
  return {
    tenantId: identity.tenantId,
    actor: identity.actor,
    role: identity.role,
    requestId: c.var.requestId,
    draw: c.var.deferredDraw,
    region: callerRegion(c),
  };
}

/**
 * The tenant context of a verb only a person may do (billing, member management): a signed-in
 * user (or the development bypass) with `minimumRole`; API keys are refused whatever their role.
 */
export function personTenantContext(c: Context<AppEnv>, minimumRole: Role): TenantContext {
  const ctx = tenantContext(c, minimumRole);
  if (ctx.actor.type === "api_key") {
    throw new AppError("forbidden", `This action needs a signed-in ${minimumRole}; API keys cannot do it`);
  }
  return ctx;
}

/** The caller's region (lib/caller-region.ts): where its lease holder and search replica live. */
export const callerRegion = (c: Context<AppEnv>) =>
  callerRegionOf(c.req.raw.cf, c.var.deps.config.quotaLeaseRegion);
