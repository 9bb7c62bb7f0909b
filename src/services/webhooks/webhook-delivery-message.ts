import { z } from "zod";
import { webhookEventTypes } from "../../storage/schema/webhooks";

/** The event a test delivery sends: subscribed to by no one, sent on request to one endpoint. */
export const TEST_EVENT_TYPE = "webhook.test";

/** What an endpoint receives as the body of a delivery (docs/webhooks.md). */
export const WebhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum([...webhookEventTypes, TEST_EVENT_TYPE]),
  created_at: z.string(),
  tenant_id: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** One attempt (and its retries) to deliver an event to one endpoint, on the ancre-webhooks queue. */
export const WebhookDeliveryMessageSchema = z.object({
  kind: z.literal("webhook_delivery"),
  tenant_id: z.string().min(1),
  endpoint_id: z.string().min(1),
  delivery_id: z.string().min(1),
  event: WebhookEventSchema,
});
export type WebhookDeliveryMessage = z.infer<typeof WebhookDeliveryMessageSchema>;
