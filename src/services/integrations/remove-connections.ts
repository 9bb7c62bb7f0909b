import { log } from "../../lib/log";
import { deleteConnectionRow, listConnections } from "../../storage/repositories/nango.repo";
import type { QuotaVerb } from "../quotas/quotas.service";
import { NangoClient } from "./nango-client";

/**
 * Removes up to `limit` of a tenant's connections, in Nango (when configured) and here: a deleted
 * tenant leaves no credentials behind in Nango. Returns whether none is left.
 */
export async function removeTenantConnections({
  ctx,
  deps,
  input,
}: QuotaVerb<{ limit: number }>): Promise<boolean> {
  const connections = (await listConnections(deps.db, ctx.tenantId)).slice(0, input.limit);
  const nango = deps.config.nango ? new NangoClient(deps.config.nango) : undefined;
  if (!nango && connections.length > 0) {
    log("warn", "nango_not_configured", { tenant_id: ctx.tenantId });
  }
  for (const connection of connections) {
    await nango?.deleteConnection(connection);
    await deleteConnectionRow(deps.db, connection);
  }
  return connections.length < input.limit;
}
