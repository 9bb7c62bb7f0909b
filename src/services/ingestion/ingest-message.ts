import { z } from "zod";
import { MESSAGE_CONTENT_BYTES } from "./message-content";

/** Ingest one batch of a document: batch 0 starts it, later batches continue a large PDF. */
export const IngestMessageSchema = z.object({
  kind: z.literal("ingest"),
  tenant_id: z.string().min(1),
  document_id: z.string().min(1),
  /** The document's ingestion generation when the message was sent; stale messages are dropped. */
  generation: z.number().int().positive(),
  /** The message's place in the document's ingestion (0 starts it): for logs, and for messages without `first_page`. */
  batch: z.number().int().min(0),
  /**
   * The first page (slide, page equivalent) of the batch: where the previous one ended, batches
   * being sized by their work. Absent in messages sent before that: `batch` × the pages per batch + 1.
   */
  first_page: z.number().int().min(1).optional(),
  /**
   * On an upload's first message: what finishing the upload takes (its reservation, made at the
   * lease holder of `region` when there is one, and its bytes), for a consumer that finds the
   * document still uploading because the isolate that answered the 202 ended before finishing it.
   */
  upload: z
    .object({
      reservation_id: z.string().min(1),
      size_bytes: z.number().int().min(0),
      region: z.string().min(1).optional(),
    })
    .optional(),
  /** The file's bytes, base64, on an upload's first message when they are few (see MESSAGE_CONTENT_BYTES). */
  content: z
    .string()
    .max(Math.ceil(MESSAGE_CONTENT_BYTES / 3) * 4)
    .optional(),
});

export type IngestMessage = z.infer<typeof IngestMessageSchema>;
