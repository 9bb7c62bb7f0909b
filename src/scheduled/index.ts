import { depsFor } from "../deps";
import { logged } from "../lib/log";
import { trimAuditLog } from "../services/audit/audit.service";
import { sweepStalledDeletions } from "../services/documents/deletion";
import { sweepStalledIngestions } from "../services/ingestion/sweep";
import { moveAllLegacyChunks } from "../services/search/legacy-chunks";
import { trimWebhookDeliveries } from "../services/webhooks/retention";

// A run moves at most this many chunks: well within a scheduled run's time, and the next run goes on.
const LEGACY_CHUNKS_PER_RUN = 20_000;

/**
 * The cron trigger (wrangler.toml `[triggers]`): resumes or fails ingestions whose message was
 * lost, finishes document deletions a failed step left under way, trims webhook deliveries past their
 * retention, then moves chunks left in D1 by earlier releases into the tenants' search shards, and
 * trims audit events past their retention.
 */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  await logged("cron", { cron: controller.cron }, async (add) => {
    const deps = depsFor(env);
    const now = new Date(controller.scheduledTime);
    const swept = await sweepStalledIngestions({ deps, input: { now } });
    add({ ingestions_requeued: swept.requeued, ingestions_failed: swept.failed });
    const deleted = await sweepStalledDeletions({ deps, input: { now } });
    add({ document_deletions_finished: deleted });
    const webhookDeliveries = await trimWebhookDeliveries({ deps, input: { now } });
    add({ webhook_deliveries_trimmed: webhookDeliveries });
    const moved = await moveAllLegacyChunks({ deps, input: { maxChunks: LEGACY_CHUNKS_PER_RUN } });
    add({ legacy_chunks_moved: moved });
    const trimmed = await trimAuditLog({ deps, input: { now } });
    add({ audit_events_trimmed: trimmed });
  });
}
