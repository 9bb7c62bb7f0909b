import type { WebhookDeliveryRow, WebhookEndpointRow } from "../../storage/repositories/webhooks.repo";

// The signing secret is never presented: only its prefix (the create and rotate answers add it once).
export const presentWebhookEndpoint = (row: WebhookEndpointRow) => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  disabled_reason: row.disabledReason,
  consecutive_failures: row.consecutiveFailures,
  secret_prefix: row.secretPrefix,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

export const presentWebhookDelivery = (row: WebhookDeliveryRow) => ({
  id: row.id,
  endpoint_id: row.endpointId,
  event_id: row.eventId,
  event_type: row.eventType,
  status: row.status,
  attempts: row.attempts,
  last_status_code: row.lastStatusCode,
  last_error: row.lastError,
  next_attempt_at: row.nextAttemptAt,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});
