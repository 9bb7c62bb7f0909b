import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { listTenantAuditEvents } from "../../services/audit/audit.service";
import { jsonContent, newRouter, PageQuerySchema, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentAuditEvent } from "./audit.presenters";
import { AuditEventPageSchema } from "./audit.schemas";

export const auditRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/audit-events",
    tags: ["Audit log"],
    summary: "List the tenant's audit events, newest first",
    description:
      "Who did what to the tenant, and when: members, API keys, widgets, deletions, plan and connections. Needs the admin role. Events are kept 400 days.",
    security: tenantSecurity,
    request: { query: PageQuerySchema },
    responses: {
      200: jsonContent(AuditEventPageSchema, "A page of events"),
      ...problemResponses(403, 404),
    },
  }),
  async (c) => {
    const page = toPageRequest(c.req.valid("query"));
    const rows = await listTenantAuditEvents({ ...tenantCall(c, "admin"), input: { page } });
    return c.json(toPage(rows, page, presentAuditEvent), 200);
  },
);
