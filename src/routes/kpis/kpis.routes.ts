import { createRoute } from "@hono/zod-openapi";
import { getTenantKpis } from "../../services/kpis/kpis.service";
import { jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { TenantKpisSchema } from "./kpis.schemas";

export const kpisRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/kpis",
    tags: ["Usage"],
    summary: "The tenant's activity in one summary",
    description:
      "Documents by status, chunks, each metric against the plan (with the previous period's figure for messages, pages and tokens), and the busiest assistants. The console's Overview and the copilot's `get_kpis` tool read it.",
    security: tenantSecurity,
    responses: { 200: jsonContent(TenantKpisSchema, "The tenant's KPIs"), ...problemResponses(404) },
  }),
  async (c) => c.json(await getTenantKpis(tenantCall(c)), 200),
);
