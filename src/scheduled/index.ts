import { depsFor } from "../deps";
import { sweepStalledIngestions } from "../services/ingestion/sweep";

/** The cron trigger (wrangler.toml `[triggers]`): resumes or fails ingestions whose message was lost. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const deps = depsFor(env);
  const swept = await sweepStalledIngestions({ deps, input: { now: new Date(controller.scheduledTime) } });
  if (swept.requeued > 0 || swept.failed > 0) {
    console.warn(`stalled ingestions: ${swept.requeued} re-enqueued, ${swept.failed} failed`);
  }
}
