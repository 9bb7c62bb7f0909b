import { createRoute } from "@hono/zod-openapi";
import { getTenantKpis } from "../../services/kpis";
import { jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { TenantKpisSchema } from "./kpi.schemas";

export const kpiRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/copilotkit/actions/kpi",
    tags: ["Copilot"],
    summary: "The tenant's KPIs for the copilot's generative UI",
    description:
      "Documents by status, chunks, storage, messages and tokens this period against the previous one, each quota's use in percent, and the busiest assistants.",
    security: tenantSecurity,
    responses: { 200: jsonContent(TenantKpisSchema, "The tenant's KPIs"), ...problemResponses(404) },
  }),
  async (c) => c.json(await getTenantKpis(tenantCall(c)), 200),
);
