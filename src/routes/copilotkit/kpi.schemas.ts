import { z } from "@hono/zod-openapi";

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
