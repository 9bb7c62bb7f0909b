import { createRoute, z } from "@hono/zod-openapi";
import {
  disableWidget,
  getWidget,
  publishWidget,
  rotateWidgetKey,
  startVisitorSession,
  WIDGET_DEFAULTS,
  type WidgetState,
} from "../../services/widgets";
import { normalizeAllowedOrigin, pageOrigin } from "../../services/widgets/origins";
import { widgetLanguages, widgetPositions } from "../../storage/schema";
import { idParams, jsonBody, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";

const MAX_ALLOWED_ORIGINS = 50;
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
  budgets: BudgetsSchema,
  created_at: z.string().datetime().nullable(),
  updated_at: z.string().datetime().nullable(),
}).openapi("Widget");

const PublishWidgetSchema = z
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

const presentPublicWidget = (widget: WidgetState) => ({
  title: widget.title,
  greeting: widget.greeting,
  primary_color: widget.primaryColor,
  position: widget.position,
  language: widget.language,
  suggested_questions: widget.suggestedQuestions,
});

export const presentWidget = (widget: WidgetState): z.infer<typeof WidgetSchema> => ({
  enabled: widget.enabled,
  publishable_key: widget.publishableKey,
  allowed_origins: widget.allowedOrigins,
  ...presentPublicWidget(widget),
  budgets: {
    visitor_messages_per_hour: widget.visitorMessagesPerHour,
    visitor_messages_per_day: widget.visitorMessagesPerDay,
    assistant_messages_per_hour: widget.assistantMessagesPerHour,
    assistant_messages_per_day: widget.assistantMessagesPerDay,
  },
  created_at: widget.createdAt,
  updated_at: widget.updatedAt,
});

const assistantParams = idParams("assistant_id", "ast_01jd3v9k2m4n5p6q7r8s9t0v1w");
const widgetResponse = (description: string) => jsonContent(WidgetSchema, description);

/** An assistant's widget settings: administrators only. */
export const widgetAdminRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/assistants/{assistant_id}/widget",
      tags: ["Widget"],
      summary: "An assistant's widget (disabled defaults when it was never set)",
      security: tenantSecurity,
      request: { params: assistantParams },
      responses: { 200: widgetResponse("The widget"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const widget = await getWidget({
        ...tenantCall(c, "admin"),
        input: { assistantId: c.req.valid("param").assistant_id },
      });
      return c.json(presentWidget(widget), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/assistants/{assistant_id}/widget",
      tags: ["Widget"],
      summary: "Set the widget and enable it; the first enabling mints its publishable key",
      security: tenantSecurity,
      request: { params: assistantParams, body: jsonBody(PublishWidgetSchema) },
      responses: { 200: widgetResponse("The enabled widget"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const widget = await publishWidget({
        ...tenantCall(c, "admin"),
        input: {
          assistantId: c.req.valid("param").assistant_id,
          settings: {
            allowedOrigins: body.allowed_origins,
            title: body.title,
            greeting: body.greeting,
            primaryColor: body.primary_color,
            position: body.position,
            language: body.language,
            suggestedQuestions: body.suggested_questions,
            visitorMessagesPerHour: body.budgets?.visitor_messages_per_hour,
            visitorMessagesPerDay: body.budgets?.visitor_messages_per_day,
            assistantMessagesPerHour: body.budgets?.assistant_messages_per_hour,
            assistantMessagesPerDay: body.budgets?.assistant_messages_per_day,
          },
        },
      });
      return c.json(presentWidget(widget), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/assistants/{assistant_id}/widget/rotate",
      tags: ["Widget"],
      summary: "Replace the publishable key; the old one stops at once, with its open sessions",
      security: tenantSecurity,
      request: { params: assistantParams },
      responses: { 200: widgetResponse("The widget with its new key"), ...problemResponses(403, 404, 409) },
    }),
    async (c) => {
      const widget = await rotateWidgetKey({
        ...tenantCall(c, "admin"),
        input: { assistantId: c.req.valid("param").assistant_id },
      });
      return c.json(presentWidget(widget), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/assistants/{assistant_id}/widget",
      tags: ["Widget"],
      summary: "Disable the widget (its settings and key are kept for a later PUT)",
      security: tenantSecurity,
      request: { params: assistantParams },
      responses: { 204: { description: "Disabled" }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await disableWidget({
        ...tenantCall(c, "admin"),
        input: { assistantId: c.req.valid("param").assistant_id },
      });
      return c.body(null, 204);
    },
  );

/** Where an embedded widget opens a visitor session: no credentials, the key and the page's Origin. */
export const widgetSessionRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/widget/session",
    tags: ["Widget"],
    summary: "Open a visitor session for an embedded widget (called by /widget/v1.js)",
    description:
      "Needs no credentials: the publishable key and the browser's `Origin`, which must be one of the widget's allowed origins. Rate-limited per client IP. Refusals are 403 problems whose `code` says which: `widget_key_invalid` (unknown or rotated key), `widget_disabled`, `widget_origin_missing`, `widget_origin_not_allowed`.",
    security: [],
    request: { body: jsonBody(WidgetSessionRequestSchema) },
    responses: {
      201: jsonContent(
        WidgetSessionSchema,
        "A visitor token bound to the assistant, the origin and the visitor",
      ),
      ...problemResponses(403, 410, 429),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const session = await startVisitorSession({
      deps: c.var.deps,
      input: {
        key: body.key,
        visitorId: body.visitor_id ?? undefined,
        origin: pageOrigin(c.req.header("origin"), c.req.header("referer")),
        clientIp: c.req.header("cf-connecting-ip") ?? "unknown",
      },
    });
    return c.json(
      {
        token: session.token,
        expires_at: session.expiresAt,
        visitor_id: session.visitorId,
        assistant_id: session.widget.assistantId,
        widget: presentPublicWidget(session.widget),
      },
      201,
    );
  },
);
