import { createRoute } from "@hono/zod-openapi";
import { reportUnanswered } from "../../services/reports/reports.service";
import { jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentUnansweredReport } from "./reports.presenters";
import { UnansweredQuerySchema, UnansweredReportSchema } from "./reports.schemas";

export const reportsRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/reports/unanswered",
    tags: ["Reports"],
    summary: "What the assistants could not answer, grouped by similar question",
    description:
      "Refusals (answers that cite nothing) and thumbed-down answers over a period, grouped by similar question within each assistant, with counts and the documents retrieved: which documents to add. Owners and admins only.",
    security: tenantSecurity,
    request: { query: UnansweredQuerySchema },
    responses: {
      200: jsonContent(UnansweredReportSchema, "The report"),
      ...problemResponses(403, 404),
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const report = await reportUnanswered({
      ...tenantCall(c, "admin"),
      input: { assistantId: query.assistant_id, from: query.from, to: query.to },
    });
    return c.json(presentUnansweredReport(report), 200);
  },
);
