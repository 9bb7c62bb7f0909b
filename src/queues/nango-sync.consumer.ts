import type { Deps } from "../context";
import { log } from "../lib/log";
import { failSync, runSyncStep } from "../services/integrations/sync";
import { retryDelaySeconds } from "./ingest.consumer";
import { NangoSyncMessageSchema } from "./messages";

/** Deliveries of one sync step before the sync fails, saying so. */
export const MAX_SYNC_ATTEMPTS = 5;

/** Consumes connector sync steps one by one; a step that fails retries with backoff, then fails the sync. */
export async function consumeNangoSyncs(messages: readonly Message<unknown>[], deps: Deps): Promise<void> {
  for (const message of messages) {
    const line = { message_id: message.id, kind: "nango_sync", attempt: message.attempts };
    const parsed = NangoSyncMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "queue_message", { ...line, outcome: "dropped_invalid" });
      message.ack();
      continue;
    }
    const { tenant_id: tenantId, sync_id: syncId, step } = parsed.data;
    const start = Date.now();
    const fields = { ...line, tenant_id: tenantId, sync_id: syncId, step };
    try {
      await runSyncStep({ ctx: { tenantId }, deps, input: { syncId, step } });
      message.ack();
      log("info", "queue_message", { ...fields, outcome: "ack", duration_ms: Date.now() - start });
    } catch (error) {
      const durationMs = Date.now() - start;
      if (message.attempts >= MAX_SYNC_ATTEMPTS) {
        log("error", "queue_message", { ...fields, outcome: "failed", duration_ms: durationMs }, error);
        const reason = `The sync failed after ${message.attempts} attempts: Nango or the provider did not answer; start it again later`;
        await failSync(deps, { tenantId, id: syncId }, reason);
        message.ack();
      } else {
        log("warn", "queue_message", { ...fields, outcome: "retry", duration_ms: durationMs }, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}
