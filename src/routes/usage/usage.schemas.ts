import { z } from "@hono/zod-openapi";
import { meteredMetrics, planNames } from "../../services/plans/plans.service";

const MetricUsageSchema = z
  .object({
    used: z.number().int(),
    reserved: z.number().int().openapi({ description: "Held by work in progress" }),
    limit: z.number().int(),
    remaining: z.number().int(),
    resets_at: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: "When the count starts again; null for resources, which do not reset" }),
  })
  .openapi("MetricUsage");

export const UsageSchema = z
  .object({
    plan: z.enum(planNames),
    period: z.object({ start: z.string().datetime(), end: z.string().datetime() }).openapi({
      description:
        "The billing period: the subscription's for paid tenants, the calendar month (UTC) otherwise",
    }),
    metrics: z.object({
      assistants: MetricUsageSchema,
      collections: MetricUsageSchema,
      documents: MetricUsageSchema,
      storage_bytes: MetricUsageSchema,
      chat_messages: MetricUsageSchema,
      ingested_pages: MetricUsageSchema,
      llm_tokens: MetricUsageSchema,
    }),
    rate_limit: z.object({ requests_per_minute: z.number().int() }),
  })
  .openapi("Usage");

const isCalendarDay = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
  );
};

export const day = z.string().refine(isCalendarDay, "a calendar date as YYYY-MM-DD");

export const HistoryQuerySchema = z.object({
  from: day.optional().openapi({ description: "First day (UTC), included; default: 29 days before `to`" }),
  to: day.optional().openapi({ description: "Last day (UTC), included; default: today" }),
  granularity: z.enum(["day", "month"]).default("day"),
});

export const UsageHistorySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    granularity: z.enum(["day", "month"]),
    buckets: z.array(
      z.object({
        start: z.string().openapi({ description: "YYYY-MM-DD, or YYYY-MM for months" }),
        metrics: z
          .object(Object.fromEntries(meteredMetrics.map((metric) => [metric, z.number().int()])))
          .openapi({ description: "Net amount in the bucket: consumed, minus what deletions gave back" }),
      }),
    ),
  })
  .openapi("UsageHistory");
