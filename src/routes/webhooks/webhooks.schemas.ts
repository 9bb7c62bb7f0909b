import { z } from "@hono/zod-openapi";
import { MAX_ENDPOINT_URL_LENGTH } from "../../services/webhooks/endpoint-url";
import { webhookDeliveryStatuses, webhookEventTypes } from "../../storage/schema/webhooks";
import { pageOf } from "../openapi";

export const WebhookEventTypeSchema = z.enum(webhookEventTypes).openapi("WebhookEventType", {
  description:
    "document.ready and document.failed: ingestion finished; quota.threshold: a monthly quota passed 80 % or 100 %; sync.completed: a connector's import ended; conversation.created: a widget visitor started a conversation",
});

const urlField = z.string().trim().min(1).max(MAX_ENDPOINT_URL_LENGTH).openapi({
  description:
    "Where events are posted: https to a public host (plain http and local addresses only in development)",
  example: "https://hooks.example.com/ancre",
});
const descriptionField = z.string().trim().max(200).nullable();
const eventsField = z.array(WebhookEventTypeSchema).min(1).max(webhookEventTypes.length);

export const CreateWebhookEndpointSchema = z
  .object({ url: urlField, description: descriptionField.optional(), events: eventsField })
  .openapi("CreateWebhookEndpoint");

export const UpdateWebhookEndpointSchema = z
  .object({
    url: urlField.optional(),
    description: descriptionField.optional(),
    events: eventsField.optional(),
    enabled: z.boolean().optional().openapi({
      description: "true re-enables an endpoint (clearing why it was disabled); false pauses it",
    }),
  })
  .openapi("UpdateWebhookEndpoint");

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: "whe_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(WebhookEventTypeSchema),
    enabled: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .openapi({ description: "Why Ancre disabled the endpoint, as a sentence; null otherwise" }),
    consecutive_failures: z.number().int().openapi({ description: "Failed delivery attempts in a row" }),
    secret_prefix: z
      .string()
      .openapi({ description: "The signing secret's first characters", example: "whsec_3kq9" }),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("WebhookEndpoint");

export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description: "The signing secret (Ancre-Signature): shown once, store it now",
    example: "whsec_3kq9x2m4n5p6q7r8s9t0v1w2x3y4z5a6b7c8d",
  }),
}).openapi("CreatedWebhookEndpoint");

export const WebhookEndpointPageSchema = pageOf(WebhookEndpointSchema, "WebhookEndpointPage");

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({ example: "whd_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryPageSchema = pageOf(WebhookDeliverySchema, "WebhookDeliveryPage");
