import { z } from "@hono/zod-openapi";
import { day } from "../usage/usage.schemas";

export const UnansweredQuerySchema = z.object({
  assistant_id: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Only this assistant's answers; default: every assistant of the tenant" }),
  from: day.optional().openapi({ description: "First day (UTC), included; default: 29 days before `to`" }),
  to: day.optional().openapi({ description: "Last day (UTC), included; default: today" }),
});

const UnansweredGroupSchema = z
  .object({
    assistant_id: z.string(),
    assistant_name: z.string(),
    question: z.string().openapi({ description: "The group's most asked wording" }),
    questions: z
      .array(z.string())
      .openapi({ description: "Its distinct wordings, most asked first (5 at most)" }),
    count: z
      .number()
      .int()
      .openapi({ description: "Answers in the group: refusals plus thumbed-down answers" }),
    refusals: z
      .number()
      .int()
      .openapi({ description: "Answers that cite nothing: the answerer refused or found nothing" }),
    thumbs_down: z.number().int(),
    comments: z
      .array(z.string())
      .openapi({ description: "The latest comments left with a thumb down (3 at most)" }),
    documents: z
      .array(z.object({ document_id: z.string(), filename: z.string(), count: z.number().int() }))
      .openapi({
        description:
          "The documents retrieved for these questions, most often first (5 at most): what the answers were looked for in",
      }),
    last_asked_at: z.string().datetime(),
  })
  .openapi("UnansweredGroup");

export const UnansweredReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    assistant_id: z.string().nullable(),
    grouping: z.literal("terms").openapi({
      description:
        "How questions are grouped: by their content terms (stop words out, stemmed, in the question's language), rare terms weighing more; two questions are alike when the terms they share carry half the weight of the shorter one's terms",
    }),
    answers: z.number().int().openapi({ description: "Answers the report read" }),
    truncated: z.boolean().openapi({
      description: "true when the period held more answers than a report reads (2,000, newest first)",
    }),
    groups: z.array(UnansweredGroupSchema).openapi({ description: "Most frequent first" }),
  })
  .openapi("UnansweredReport");
