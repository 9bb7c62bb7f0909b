import type { Deps } from "../../context";
import { trimDeliveries } from "../../storage/repositories/webhooks.repo";

/** How long an endpoint's delivery log keeps a delivery. */
export const DELIVERY_RETENTION_DAYS = 30;
// A cron run deletes at most this many: well within its time; the next run goes on.
const DELIVERIES_PER_RUN = 5000;

/** Deletes deliveries (of every tenant) older than the retention; returns how many went. */
export async function trimWebhookDeliveries({
  deps,
  input,
}: {
  deps: Deps;
  input: { now: Date };
}): Promise<number> {
  const before = new Date(input.now.getTime() - DELIVERY_RETENTION_DAYS * 86_400_000).toISOString();
  return trimDeliveries(deps.db, before, DELIVERIES_PER_RUN);
}
