import { z } from "zod";

/** Run one bounded step of a connector's sync; the step sends the next message itself. */
export const NangoSyncMessageSchema = z.object({
  kind: z.literal("nango_sync"),
  tenant_id: z.string().min(1),
  sync_id: z.string().min(1),
  /** The sync's step when the message was sent; a message of a step already run is stale. */
  step: z.number().int().min(0),
});

export type NangoSyncMessage = z.infer<typeof NangoSyncMessageSchema>;

/** Whether a body is meant for the connector sync consumer (which still validates it). */
export const isNangoSyncBody = (body: unknown): boolean =>
  (body as { kind?: unknown } | null)?.kind === "nango_sync";
