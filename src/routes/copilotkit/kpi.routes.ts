import { createRoute, z } from "@hono/zod-openapi";
import { getTenantKpis } from "../../services/kpis";
import { jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";

const PeriodSchema = z.object({ start: z.string().datetime(), end: z.string().datetime() });

export const KpiSchema = z
  .object({
    key: z.string().openapi({
      example: "chat_messages",
      description:
        "Stable name: a usage metric, `documents.<status>`, `chunks`, `quota.<metric>` or `assistant.<id>.messages`",
    }),
    label: z.string().openapi({ example: "Messages this period" }),
    value: z.number(),
    unit: z.string().openapi({ example: "messages" }),
    limit: z.number().optional().openapi({ description: "The plan's limit, for figures a quota bounds" }),
    previous: z.number().optional().openapi({ description: "The same figure over the previous period" }),
  })
  .openapi("Kpi");

export const TenantKpisSchema = z
  .object({
    period: PeriodSchema.openapi({ description: "The current billing period" }),
    previous_period: PeriodSchema.openapi({ description: "The period `previous` figures cover" }),
    kpis: z.array(KpiSchema),
  })
  .openapi("TenantKpis");

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
