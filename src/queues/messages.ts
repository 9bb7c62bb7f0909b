// What the consumers read: each message's schema lives beside the service that sends it.
export type { QueueMessage } from "../context";
export {
  type IngestMessage,
  IngestMessageSchema,
} from "../services/ingestion/ingest-message";
export {
  isNangoSyncBody,
  type NangoSyncMessage,
  NangoSyncMessageSchema,
} from "../services/integrations/nango-sync-message";
export {
  isTenantDeletionBody,
  type TenantDeletionMessage,
  TenantDeletionMessageSchema,
} from "../services/tenants/tenant-deletion-message";
export {
  type WebhookDeliveryMessage,
  WebhookDeliveryMessageSchema,
} from "../services/webhooks/webhook-delivery-message";
