import type { Deps } from "../context";
import { log } from "../lib/log";
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
    const line = { message_id: message.id, kind: "tenant_deletion", attempt: message.attempts };
    const parsed = TenantDeletionMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "queue_message", { ...line, outcome: "dropped_invalid" });
      message.ack();
      continue;
    }
    const { tenant_id: tenantId, step, final } = parsed.data;
    const start = Date.now();
    const fields = { ...line, tenant_id: tenantId, step };
    try {
      await runTenantDeletionStep({ ctx: { tenantId }, deps, input: { step, final } });
      message.ack();
      log("info", "queue_message", { ...fields, outcome: "ack", duration_ms: Date.now() - start });
    } catch (error) {
      const durationMs = Date.now() - start;
      if (message.attempts >= MAX_DELETION_ATTEMPTS) {
        // Stalled: asking for the deletion again resumes it.
        log("error", "queue_message", { ...fields, outcome: "stalled", duration_ms: durationMs }, error);
        message.ack();
      } else {
        log("warn", "queue_message", { ...fields, outcome: "retry", duration_ms: durationMs }, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}
