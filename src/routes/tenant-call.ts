import type { Context } from "hono";
import type { AppEnv, Deps, Role, TenantContext } from "../context";
import { personTenantContext, tenantContext } from "../middleware/tenant-context";

/** What a tenant-scoped service verb takes besides its input: the caller's tenant context and the dependencies. */
export interface TenantCall {
  ctx: TenantContext;
  deps: Deps;
}

/**
 * The `{ ctx, deps }` of a tenant-scoped handler, spread into the verb it calls:
 * `getAssistant({ ...tenantCall(c), input })`. `minimumRole` guards administrative verbs.
 */
export const tenantCall = (c: Context<AppEnv>, minimumRole?: Role): TenantCall => ({
  ctx: tenantContext(c, minimumRole),
  deps: c.var.deps,
});

/** The same for a verb only a signed-in person may do (billing, member management): API keys are refused. */
export const personCall = (c: Context<AppEnv>, minimumRole: Role): TenantCall => ({
  ctx: personTenantContext(c, minimumRole),
  deps: c.var.deps,
});
