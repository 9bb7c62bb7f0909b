import { createRoute } from "@hono/zod-openapi";
import { callerRegion } from "../../middleware/tenant-context";
import { pageOrigin } from "../../services/widgets/origins";
import {
  allowWidgetOrigin,
  disableWidget,
  getWidget,
  publishWidget,
  rotateWidgetKey,
  startVisitorSession,
} from "../../services/widgets/widgets.service";
import { idParams, jsonBody, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentPublicWidget, presentWidget } from "./widgets.presenters";
import {
  AllowWidgetOriginSchema,
  PublishWidgetSchema,
  WidgetSchema,
  WidgetSessionRequestSchema,
  WidgetSessionSchema,
} from "./widgets.schemas";

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
      summary:
        "Replace the publishable key; the old one stops, with its open sessions, within the lookup bound",
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
      method: "post",
      path: "/assistants/{assistant_id}/widget/allowed-origins",
      tags: ["Widget"],
      summary: "Allow one more origin (a refused site, in one click), leaving the other settings as they are",
      security: tenantSecurity,
      request: { params: assistantParams, body: jsonBody(AllowWidgetOriginSchema) },
      responses: { 200: widgetResponse("The widget"), ...problemResponses(403, 404, 409) },
    }),
    async (c) => {
      const widget = await allowWidgetOrigin({
        ...tenantCall(c, "admin"),
        input: { assistantId: c.req.valid("param").assistant_id, origin: c.req.valid("json").origin },
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
        region: callerRegion(c),
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
