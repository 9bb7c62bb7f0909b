import { depsFor } from "../deps";
import { consumeDeadLetters, consumeIngestBatch } from "./ingest.consumer";

/** Dispatches a batch to the consumer of the queue it came from (names as in wrangler.toml). */
export async function handleQueue(batch: MessageBatch, env: Env): Promise<void> {
  const deps = depsFor(env);
  if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, deps);
  if (batch.queue.startsWith("ancre-ingest")) return consumeIngestBatch(batch, deps);
  console.error(`no consumer for queue ${batch.queue}`);
  batch.retryAll();
}
