import type { z } from "@hono/zod-openapi";
import type { AuditEventRow } from "../../storage/repositories/audit.repo";
import type { AuditEventSchema } from "./audit.schemas";

export const presentAuditEvent = (row: AuditEventRow): z.infer<typeof AuditEventSchema> => ({
  id: row.id,
  action: row.action,
  actor: { type: row.actorType, id: row.actorId },
  target: { type: row.targetType, id: row.targetId },
  details: row.details ?? null,
  request_id: row.requestId,
  created_at: row.createdAt,
});
