import { depsFor } from "../deps";
import { sweepStalledDeletions } from "../services/documents/deletion";
import { sweepStalledIngestions } from "../services/ingestion/sweep";
import { moveAllLegacyChunks } from "../services/search/legacy-chunks";
import { trimWebhookDeliveries } from "../services/webhooks/retention";

// A run moves at most this many chunks: well within a scheduled run's time, and the next run goes on.
const LEGACY_CHUNKS_PER_RUN = 20_000;

/**
 * The cron trigger (wrangler.toml `[triggers]`): resumes or fails ingestions whose message was
 * lost, finishes document deletions a failed step left under way, trims webhook deliveries past their
 * retention, then moves chunks left in D1 by earlier releases into the tenants' search shards.
 */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const deps = depsFor(env);
  const swept = await sweepStalledIngestions({ deps, input: { now: new Date(controller.scheduledTime) } });
  if (swept.requeued > 0 || swept.failed > 0) {
    console.warn(`stalled ingestions: ${swept.requeued} re-enqueued, ${swept.failed} failed`);
  }
  const deleted = await sweepStalledDeletions({ deps, input: { now: new Date(controller.scheduledTime) } });
  if (deleted > 0) console.warn(`document deletions left under way: ${deleted} finished`);
  await trimWebhookDeliveries({ deps, input: { now: new Date(controller.scheduledTime) } });
  const moved = await moveAllLegacyChunks({ deps, input: { maxChunks: LEGACY_CHUNKS_PER_RUN } });
  if (moved > 0) console.log(`moved ${moved} chunks from D1 into the tenants' search shards`);
}
