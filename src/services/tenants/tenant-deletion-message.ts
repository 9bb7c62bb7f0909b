import { z } from "zod";
import { tenantDeletionSteps } from "./deletion";

/** Run one bounded step of a tenant's deletion; the step sends the next message itself. */
export const TenantDeletionMessageSchema = z.object({
  kind: z.literal("tenant_deletion"),
  tenant_id: z.string().min(1),
  step: z.enum(tenantDeletionSteps),
  /** The final pass, run once the longest work in flight is over: it removes what such work wrote late. */
  final: z.literal(true).optional(),
});

export type TenantDeletionMessage = z.infer<typeof TenantDeletionMessageSchema>;

/** Whether a body is meant for the tenant deletion consumer (which still validates it). */
export const isTenantDeletionBody = (body: unknown): boolean =>
  (body as { kind?: unknown } | null)?.kind === "tenant_deletion";
