import { z } from "zod";

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
