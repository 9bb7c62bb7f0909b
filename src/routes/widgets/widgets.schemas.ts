import { z } from "@hono/zod-openapi";
import { normalizeAllowedOrigin } from "../../services/widgets/allowed-origins";
import { MAX_ALLOWED_ORIGINS, WIDGET_DEFAULTS } from "../../services/widgets/widgets.service";
import { widgetLanguages, widgetPositions } from "../../storage/schema";

const MAX_SUGGESTED_QUESTIONS = 6;

const MAX_BUDGET = 1_000_000;

const allowedOrigin = z
  .string()
  .max(300)
  .superRefine((value, ctx) => {
    const check = normalizeAllowedOrigin(value);
    if (!check.ok) ctx.addIssue({ code: "custom", message: `${value} ${check.reason}` });
  })
  .openapi({ example: "https://www.example.com" });

const budget = (fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_BUDGET)
    .openapi({ description: `Default ${fallback}` });

const BudgetsSchema = z
  .object({
    visitor_messages_per_hour: budget(WIDGET_DEFAULTS.visitorMessagesPerHour),
    visitor_messages_per_day: budget(WIDGET_DEFAULTS.visitorMessagesPerDay),
    assistant_messages_per_hour: budget(WIDGET_DEFAULTS.assistantMessagesPerHour),
    assistant_messages_per_day: budget(WIDGET_DEFAULTS.assistantMessagesPerDay),
  })
  .openapi("WidgetBudgets", {
    description:
      "Messages a visitor, and all visitors of the assistant together, may send per UTC hour and day",
  });

const appearanceFields = {
  title: z.string().trim().min(1).max(80),
  greeting: z.string().trim().max(500),
  primary_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #2563eb")
    .transform((value) => value.toLowerCase())
    .openapi({ example: WIDGET_DEFAULTS.primaryColor }),
  position: z.enum(widgetPositions),
  language: z.enum(widgetLanguages).openapi({ description: "`auto`: the visitor's browser language" }),
  suggested_questions: z.array(z.string().trim().min(1).max(200)).max(MAX_SUGGESTED_QUESTIONS),
};

/** The widget's public face: what a visitor's page receives with its session. */
const PublicWidgetSchema = z
  .object({
    title: z.string(),
    greeting: z.string(),
    primary_color: z.string(),
    position: z.enum(widgetPositions),
    language: z.enum(widgetLanguages),
    suggested_questions: z.array(z.string()),
  })
  .openapi("PublicWidget");

export const WidgetSchema = PublicWidgetSchema.extend({
  enabled: z.boolean(),
  publishable_key: z
    .string()
    .nullable()
    .openapi({ description: "`pk_…`, safe to put in a page; null until the widget is first enabled" }),
  allowed_origins: z.array(z.string()),
  refused_origins: z
    .array(z.object({ origin: z.string(), last_seen_at: z.string().datetime() }).openapi("RefusedOrigin"))
    .openapi({
      description:
        "Sites recently refused a visitor session (the last 20 distinct ones, most recent first, not counting those allowed since)",
    }),
  budgets: BudgetsSchema,
  created_at: z.string().datetime().nullable(),
  updated_at: z.string().datetime().nullable(),
}).openapi("Widget");

export const PublishWidgetSchema = z
  .object({
    allowed_origins: z.array(allowedOrigin).min(1).max(MAX_ALLOWED_ORIGINS).openapi({
      description:
        "Exact origins (`scheme://host[:port]`; http only for localhost and 127.0.0.1) or `https://*.example.com` for every subdomain",
    }),
    ...z.object(appearanceFields).partial().shape,
    budgets: BudgetsSchema.partial().optional(),
  })
  .openapi("PublishWidget", {
    description: "Every field left out takes its default (title: the assistant's name)",
  });

export const AllowWidgetOriginSchema = z
  .object({ origin: allowedOrigin })
  .openapi("AllowWidgetOrigin", { description: "An origin to add to the widget's allowed origins" });

export const WidgetSessionRequestSchema = z
  .object({
    key: z.string().min(1).max(100).openapi({ example: "pk_0123456789abcdefghjkmnpqrstvwxyz" }),
    visitor_id: z
      .string()
      .nullish()
      .openapi({ description: "The id a previous session returned; kept when valid, replaced otherwise" }),
  })
  .openapi("WidgetSessionRequest");

export const WidgetSessionSchema = z
  .object({
    token: z.string().openapi({ description: "Send as `Authorization: Bearer …` from the same origin" }),
    expires_at: z.string().datetime(),
    visitor_id: z.string(),
    assistant_id: z.string(),
    widget: PublicWidgetSchema,
  })
  .openapi("WidgetSession");
