import type { Deps } from "../context";
import { runTenantDeletionStep } from "../services/tenants/delete-tenant";
import { retryDelaySeconds } from "./ingest.consumer";
import { TenantDeletionMessageSchema } from "./messages";

/** Deliveries of one step before the deletion stalls; asking for the deletion again resumes it. */
export const MAX_DELETION_ATTEMPTS = 5;

/** Consumes tenant deletion steps one by one; a failed step retries with backoff. */
export async function consumeTenantDeletions(
  messages: readonly Message<unknown>[],
  deps: Deps,
): Promise<void> {
  for (const message of messages) {
    const parsed = TenantDeletionMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(`dropping invalid tenant deletion message ${message.id}`, parsed.error.issues);
      message.ack();
      continue;
    }
    const { tenant_id: tenantId, step, final } = parsed.data;
    try {
      await runTenantDeletionStep({ ctx: { tenantId }, deps, input: { step, final } });
      message.ack();
    } catch (error) {
      if (message.attempts >= MAX_DELETION_ATTEMPTS) {
        console.error(`deletion of tenant ${tenantId} stalled at ${step}; DELETE it again to resume`, error);
        message.ack();
      } else {
        console.warn(
          `deletion of tenant ${tenantId} will retry ${step} (attempt ${message.attempts})`,
          error,
        );
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}
