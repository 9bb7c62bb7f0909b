import { z } from "zod";
import { tenantDeletionSteps } from "../services/tenants/deletion";

/** Ingest one batch of a document: batch 0 starts it, later batches continue a large PDF. */
export const IngestMessageSchema = z.object({
  kind: z.literal("ingest"),
  tenant_id: z.string().min(1),
  document_id: z.string().min(1),
  /** The document's ingestion generation when the message was sent; stale messages are dropped. */
  generation: z.number().int().positive(),
  batch: z.number().int().min(0),
});

export type IngestMessage = z.infer<typeof IngestMessageSchema>;

/** Run one bounded step of a tenant's deletion; the step sends the next message itself. */
export const TenantDeletionMessageSchema = z.object({
  kind: z.literal("tenant_deletion"),
  tenant_id: z.string().min(1),
  step: z.enum(tenantDeletionSteps),
  /** The final pass, run once the longest work in flight is over: it removes what such work wrote late. */
  final: z.literal(true).optional(),
});

export type TenantDeletionMessage = z.infer<typeof TenantDeletionMessageSchema>;

/** Run one bounded step of a connector's sync; the step sends the next message itself. */
export const NangoSyncMessageSchema = z.object({
  kind: z.literal("nango_sync"),
  tenant_id: z.string().min(1),
  sync_id: z.string().min(1),
  /** The sync's step when the message was sent; a message of a step already run is stale. */
  step: z.number().int().min(0),
});

export type NangoSyncMessage = z.infer<typeof NangoSyncMessageSchema>;

/** What the ancre-ingest queue carries: ingestion batches, tenant deletion steps and sync steps. */
export type QueueMessage = IngestMessage | TenantDeletionMessage | NangoSyncMessage;

/** Whether a body is meant for the tenant deletion consumer (which still validates it). */
export const isTenantDeletionBody = (body: unknown): boolean =>
  (body as { kind?: unknown } | null)?.kind === "tenant_deletion";

/** Whether a body is meant for the connector sync consumer (which still validates it). */
export const isNangoSyncBody = (body: unknown): boolean =>
  (body as { kind?: unknown } | null)?.kind === "nango_sync";
