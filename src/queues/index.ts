/** Dispatches a batch to the consumer of the queue it came from. */
export async function handleQueue(batch: MessageBatch, _env: Env, _ctx: ExecutionContext): Promise<void> {
  for (const message of batch.messages) {
    console.warn(`no consumer for queue ${batch.queue}; dropping message ${message.id}`);
    message.ack();
  }
}
