import { depsFor } from "../deps";
import { log } from "../lib/log";
import { consumeDeadLetters, consumeIngestBatch } from "./ingest.consumer";
import { isNangoSyncBody, isTenantDeletionBody } from "./messages";
import { consumeNangoSyncs } from "./nango-sync.consumer";
import { consumeTenantDeletions } from "./tenant-deletion.consumer";
import { consumeWebhookDeliveries } from "./webhooks.consumer";

/** The same batch with only some of its messages (acking or retrying all means all of those). */
function subBatch<Body>(batch: MessageBatch<Body>, messages: readonly Message<Body>[]): MessageBatch<Body> {
  return {
    queue: batch.queue,
    metadata: batch.metadata,
    messages,
    ackAll: () => {
      for (const message of messages) message.ack();
    },
    retryAll: (options) => {
      for (const message of messages) message.retry(options);
    },
  };
}

/** Dispatches a batch to the consumer of the queue it came from (names as in wrangler.toml). */
export async function handleQueue(batch: MessageBatch, env: Env): Promise<void> {
  const deps = depsFor(env);
  if (batch.queue.startsWith("ancre-webhooks")) return consumeWebhookDeliveries(batch, deps);
  if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, deps);
  if (batch.queue.startsWith("ancre-ingest")) {
    // The queue also carries the steps of tenant deletions and connector syncs, told apart by their `kind`.
    const deletions = batch.messages.filter((message) => isTenantDeletionBody(message.body));
    await consumeTenantDeletions(deletions, deps);
    const syncs = batch.messages.filter((message) => isNangoSyncBody(message.body));
    await consumeNangoSyncs(syncs, deps);
    const ingestion = batch.messages.filter(
      (message) => !isTenantDeletionBody(message.body) && !isNangoSyncBody(message.body),
    );
    return consumeIngestBatch(subBatch(batch, ingestion), deps);
  }
  log("error", "queue_batch", {
    queue: batch.queue,
    outcome: "no_consumer",
    messages: batch.messages.length,
  });
  batch.retryAll();
}
