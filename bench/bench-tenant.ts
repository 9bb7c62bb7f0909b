import type { Deps, Identity, TenantContext } from "../src/context";
import { createCollection } from "../src/services/collections";
import { createTenant } from "../src/services/tenants";

/** A new tenant owned by the bench user, with one "SciFact" collection, through the services. */
export async function createBenchTenant(deps: Deps, name: string) {
  const identity: Identity = { actor: { type: "dev", userId: "bench" }, tenantId: null, role: null };
  const tenant = await createTenant({ identity, deps, input: { name } });
  const ctx: TenantContext = {
    tenantId: tenant.id,
    actor: identity.actor,
    role: "owner",
    requestId: "req_bench",
  };
  const collection = await createCollection({ ctx, deps, input: { name: "SciFact" } });
  return { tenant, ctx, collection };
}
