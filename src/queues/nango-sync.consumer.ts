import type { Deps } from "../context";
import { failSync, runSyncStep } from "../services/integrations/sync";
import { retryDelaySeconds } from "./ingest.consumer";
import { NangoSyncMessageSchema } from "./messages";

/** Deliveries of one sync step before the sync fails, saying so. */
export const MAX_SYNC_ATTEMPTS = 5;

/** Consumes connector sync steps one by one; a step that fails retries with backoff, then fails the sync. */
export async function consumeNangoSyncs(messages: readonly Message<unknown>[], deps: Deps): Promise<void> {
  for (const message of messages) {
    const parsed = NangoSyncMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(`dropping invalid sync message ${message.id}`, parsed.error.issues);
      message.ack();
      continue;
    }
    const { tenant_id: tenantId, sync_id: syncId, step } = parsed.data;
    try {
      await runSyncStep({ ctx: { tenantId }, deps, input: { syncId, step } });
      message.ack();
    } catch (error) {
      if (message.attempts >= MAX_SYNC_ATTEMPTS) {
        console.error(`sync ${syncId} failed for good at step ${step}`, error);
        const reason = `The sync failed after ${message.attempts} attempts: Nango or the provider did not answer; start it again later`;
        await failSync(deps, { tenantId, id: syncId }, reason);
        message.ack();
      } else {
        console.warn(`sync ${syncId} will retry step ${step} (attempt ${message.attempts})`, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}
