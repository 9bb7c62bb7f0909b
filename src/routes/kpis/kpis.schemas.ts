import { z } from "@hono/zod-openapi";

const PeriodSchema = z.object({ start: z.string().datetime(), end: z.string().datetime() });

const MetricFigureSchema = z
  .object({
    used: z.number(),
    limit: z.number(),
    percent: z
      .number()
      .openapi({ example: 12.5, description: "`used` as a share of `limit`, to one decimal" }),
    previous: z.number().optional().openapi({
      description: "The same figure over the previous period, for flows (messages, pages, tokens)",
    }),
  })
  .openapi("MetricFigure");

const count = z.number().int();

export const TenantKpisSchema = z
  .object({
    period: PeriodSchema.openapi({ description: "The current billing period" }),
    previous_period: PeriodSchema.openapi({ description: "The period `previous` figures cover" }),
    usage: z
      .object({
        assistants: MetricFigureSchema,
        collections: MetricFigureSchema,
        documents: MetricFigureSchema,
        storage_bytes: MetricFigureSchema,
        chat_messages: MetricFigureSchema,
        ingested_pages: MetricFigureSchema,
        llm_tokens: MetricFigureSchema,
      })
      .openapi({ description: "Each metric against the plan, as `GET /usage` counts it" }),
    documents: z.object({
      by_status: z.object({ queued: count, processing: count, ready: count, failed: count }),
      total: count.openapi({
        description: "Documents of every status above (uploads in progress are not counted)",
      }),
      chunks: count.openapi({ description: "Passages indexed" }),
    }),
    busiest_assistants: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          questions: count.openapi({ description: "Questions asked this period" }),
          previous_questions: count.openapi({ description: "Questions asked over the previous period" }),
        }),
      )
      .openapi({
        description: "Up to five assistants asked anything over both periods, busiest this period first",
      }),
  })
  .openapi("TenantKpis");
