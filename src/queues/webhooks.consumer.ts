import type { Deps } from "../context";
import { attemptDelivery, retryDelaySeconds } from "../services/webhooks/deliver";
import { WebhookDeliveryMessageSchema } from "./messages";

/**
 * Consumes the ancre-webhooks queue: one delivery attempt per message, side by side (each waits on
 * a receiver). A failed attempt is retried with the delay its delivery has reached; an error of
 * Ancre's own (D1 unavailable) is retried the same way.
 */
export async function consumeWebhookDeliveries(batch: MessageBatch<unknown>, deps: Deps): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = WebhookDeliveryMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        console.error(`dropping invalid webhook message ${message.id}`, parsed.error.issues);
        message.ack();
        return;
      }
      const delivery = parsed.data;
      try {
        const outcome = await attemptDelivery({
          ctx: { tenantId: delivery.tenant_id },
          deps,
          input: delivery,
        });
        if (outcome.done) message.ack();
        else message.retry({ delaySeconds: outcome.delaySeconds });
      } catch (error) {
        console.error(`webhook delivery ${delivery.delivery_id} failed on Ancre's side; retrying`, error);
        message.retry({
          delaySeconds: retryDelaySeconds(deps.config.webhooks.retryBaseSeconds, message.attempts),
        });
      }
    }),
  );
}
