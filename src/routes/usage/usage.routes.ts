import { createRoute } from "@hono/zod-openapi";
import { getUsage, getUsageHistory } from "../../services/usage/usage.service";
import { jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { HistoryQuerySchema, UsageHistorySchema, UsageSchema } from "./usage.schemas";

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export const usageRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/usage",
      tags: ["Usage"],
      summary: "What the tenant used this billing period, its limits and what is left",
      security: tenantSecurity,
      responses: { 200: jsonContent(UsageSchema, "Usage of every metric"), ...problemResponses(404) },
    }),
    async (c) => {
      const current = await getUsage(tenantCall(c));
      return c.json(
        {
          plan: current.plan,
          period: current.period,
          metrics: current.metrics,
          rate_limit: { requests_per_minute: current.requests_per_minute },
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/usage/history",
      tags: ["Usage"],
      summary: "Usage per day or month",
      security: tenantSecurity,
      request: { query: HistoryQuerySchema },
      responses: {
        200: jsonContent(UsageHistorySchema, "One bucket per day or month"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const to = query.to ?? isoDay(new Date());
      const from = query.from ?? isoDay(new Date(new Date(`${to}T00:00:00Z`).getTime() - 29 * 86_400_000));
      const history = await getUsageHistory({
        ...tenantCall(c),
        input: { from, to, granularity: query.granularity },
      });
      return c.json(history, 200);
    },
  );
