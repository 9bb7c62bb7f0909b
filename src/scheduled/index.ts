import { depsFor } from "../deps";
import { moveAllLegacyChunks } from "../services/search/legacy-chunks";

// A run moves at most this many chunks: well within a scheduled run's time, and the next run goes on.
const CHUNKS_PER_RUN = 20_000;

/** The cron trigger (wrangler.toml): moves chunks left in D1 by earlier releases into the search shards. */
export async function handleScheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const moved = await moveAllLegacyChunks({ deps: depsFor(env), input: { maxChunks: CHUNKS_PER_RUN } });
  if (moved > 0) console.log(`moved ${moved} chunks from D1 into the tenants' search shards`);
}
