import { z } from "@hono/zod-openapi";
import { pageOf } from "../openapi";

export const AuditEventSchema = z
  .object({
    id: z.string().openapi({ example: "aud_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    action: z.string().openapi({
      description:
        "What happened: member.invited, member.invitation_revoked, member.role_changed, member.removed, api_key.created, api_key.revoked, widget.published, widget.key_rotated, widget.disabled, assistant.deleted, collection.deleted, plan.changed, connection.created, connection.removed, tenant.deletion_requested",
      example: "api_key.created",
    }),
    actor: z.object({
      type: z.string().openapi({ description: "user, api_key, dev or system (Stripe, Nango)" }),
      id: z.string().nullable().openapi({ description: "The user id or the key id; null for the system" }),
    }),
    target: z.object({
      type: z.string().openapi({ example: "api_key" }),
      id: z.string().nullable().openapi({ example: "key_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    }),
    details: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .nullable()
      .openapi({ description: "A few values that say more (a new role, a plan); never a secret" }),
    request_id: z.string().nullable(),
    created_at: z.string().datetime(),
  })
  .openapi("AuditEvent");

export const AuditEventPageSchema = pageOf(AuditEventSchema, "AuditEventPage");
