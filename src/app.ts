import { OpenAPIHono } from "@hono/zod-openapi";
import { except } from "hono/combine";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { APP_VERSION, ConfigError } from "./config";
import type { AppEnv } from "./context";
import { AppError, problemResponse } from "./errors";
import { log } from "./lib/log";
import { authenticate } from "./middleware/authenticate";
import { limitBody, MAX_JSON_BODY_BYTES } from "./middleware/body-limit";
import { confineVisitors } from "./middleware/confine-visitors";
import { BOOKMARK_HEADER, loadDepsInSession } from "./middleware/d1-session";
import { meteredRoute, rateLimitApiKeys } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { widgetCors } from "./middleware/widget-cors";
import { apiKeysRoutes } from "./routes/api-keys/api-keys.routes";
import { serveRedoc, serveSwaggerUi } from "./routes/api-reference/api-reference";
import { assistantsRoutes } from "./routes/assistants/assistants.routes";
import { auditRoutes } from "./routes/audit/audit.routes";
import { billingRoutes, billingWebhookRoutes } from "./routes/billing/billing.routes";
import { chatRoutes } from "./routes/chat/chat.routes";
import { collectionsRoutes } from "./routes/collections/collections.routes";
import { serveConsolePage } from "./routes/console/console.routes";
import { CONSOLE_PAGE_PATHS } from "./routes/console/console-pages";
import { consoleConfigRoutes } from "./routes/console-config/console-config.routes";
import { conversationsRoutes } from "./routes/conversations/conversations.routes";
import { COPILOT_PATH, forwardToCopilot } from "./routes/copilotkit/copilot.proxy";
import { documentsRoutes } from "./routes/documents/documents.routes";
import { healthRoutes } from "./routes/health/health.routes";
import { nangoRoutes, nangoWebhookRoutes } from "./routes/integrations/nango.routes";
import { invitationsRoutes, receivedInvitationsRoutes } from "./routes/invitations/invitations.routes";
import { kpisRoutes } from "./routes/kpis/kpis.routes";
import { membersRoutes } from "./routes/members/members.routes";
import { openaiRoutes } from "./routes/openai/openai.routes";
import { reportsRoutes } from "./routes/reports/reports.routes";
import { searchRoutes } from "./routes/search/search.routes";
import { tenantsRoutes } from "./routes/tenants/tenants.routes";
import { usageRoutes } from "./routes/usage/usage.routes";
import { webhooksRoutes } from "./routes/webhooks/webhooks.routes";
import { serveWidgetDemo, WIDGET_DEMO_PATH } from "./routes/widgets/widget-demo";
import { serveWidgetPreview, WIDGET_PREVIEW_PATH } from "./routes/widgets/widget-preview";
import { serveWidgetScript, WIDGET_SCRIPT_PATH } from "./routes/widgets/widget-script";
import { widgetAdminRoutes, widgetSessionRoutes } from "./routes/widgets/widgets.routes";

export const API_PREFIX = "/api/v1";

/** The head of `/openapi.json`; the console's client generator (scripts/gen-api.ts) builds the same document. */
export const OPENAPI_DOCUMENT_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Ancre API",
    version: APP_VERSION,
    description:
      "Multi-tenant RAG: collections, documents, assistants and cited answers. Errors are RFC 9457 problem details.",
  },
};

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 415) {
      return new AppError("unsupported_media_type", "Send the body as application/json");
    }
    if (/malformed json/i.test(error.message)) {
      return new AppError("malformed_json", "The request body is not valid JSON");
    }
    if (error.status === 400) return new AppError("bad_request", error.message);
  }
  return undefined;
}

/** Builds the Worker's HTTP app: middleware, routers, OpenAPI document, error handling. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  app.use(requestId());
  app.use(requestLog());
  app.use(loadDepsInSession());
  // Embedded widgets' CORS first: it answers its own preflights and adds to the responses after.
  app.use(`${API_PREFIX}/*`, widgetCors());
  // Both the API and the copilot's runtime (/api/copilotkit) are called from browsers.
  app.use("/api/*", async function corsFromConfig(c, next) {
    const allowed = c.var.deps.config.corsAllowedOrigins;
    return cors({
      origin: (origin) => (allowed.includes("*") || allowed.includes(origin) ? origin : null),
      allowHeaders: [
        "Authorization",
        "Content-Type",
        "X-Tenant-ID",
        "X-Request-ID",
        "Last-Event-ID",
        BOOKMARK_HEADER,
      ],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: [
        "X-Request-ID",
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        BOOKMARK_HEADER,
      ],
      maxAge: 600,
    })(c, next);
  });

  // Every body is JSON except an upload's, which its route bounds by MAX_UPLOAD_BYTES.
  app.use(
    `${API_PREFIX}/*`,
    except(`${API_PREFIX}/documents/upload/*`, limitBody({ maxBytes: MAX_JSON_BODY_BYTES })),
  );
  app.use(`${COPILOT_PATH}/*`, limitBody({ maxBytes: MAX_JSON_BODY_BYTES }));

  // Health answers without credentials: it is registered before the authentication middleware.
  app.route(API_PREFIX, healthRoutes);
  // So is the console's configuration: it tells the console how to sign in.
  app.route(API_PREFIX, consoleConfigRoutes);
  app.get("/health", (c) => c.redirect(`${API_PREFIX}/health`, 307));
  // Stripe's webhook proves itself by signature, not by credentials.
  app.route(API_PREFIX, billingWebhookRoutes);
  // Embedded widgets prove themselves by their publishable key and the page's Origin.
  app.route(API_PREFIX, widgetSessionRoutes);
  // Nango's webhook proves itself by its HMAC signature.
  app.route(API_PREFIX, nangoWebhookRoutes);

  app.use(`${API_PREFIX}/*`, authenticate());
  app.use(`${API_PREFIX}/*`, confineVisitors());
  app.use(`${API_PREFIX}/*`, rateLimitApiKeys());
  app.route(API_PREFIX, tenantsRoutes);
  app.route(API_PREFIX, apiKeysRoutes);
  app.route(API_PREFIX, membersRoutes);
  app.route(API_PREFIX, invitationsRoutes);
  app.route(API_PREFIX, receivedInvitationsRoutes);
  app.route(API_PREFIX, collectionsRoutes);
  app.route(API_PREFIX, assistantsRoutes);
  app.route(API_PREFIX, widgetAdminRoutes);
  app.route(API_PREFIX, documentsRoutes);
  app.route(API_PREFIX, searchRoutes);
  app.route(API_PREFIX, chatRoutes);
  app.route(API_PREFIX, conversationsRoutes);
  app.route(API_PREFIX, openaiRoutes);
  app.route(API_PREFIX, usageRoutes);
  app.route(API_PREFIX, kpisRoutes);
  app.route(API_PREFIX, reportsRoutes);
  app.route(API_PREFIX, billingRoutes);
  app.route(API_PREFIX, nangoRoutes);
  app.route(API_PREFIX, webhooksRoutes);
  app.route(API_PREFIX, auditRoutes);

  // The copilot Worker's runtime (CopilotKit's protocol, outside the OpenAPI document), behind
  // the same authentication and rate limits as the API.
  app.use(`${COPILOT_PATH}/*`, authenticate(), rateLimitApiKeys(), meteredRoute);
  app.all(`${COPILOT_PATH}/*`, forwardToCopilot);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Clerk session token. Pick the tenant with X-Tenant-ID.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKeyAuth", {
    type: "http",
    scheme: "bearer",
    description: "A tenant API key (`ak_…`); the key decides the tenant.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "tenantHeader", {
    type: "apiKey",
    in: "header",
    name: "X-Tenant-ID",
    description: "The tenant to act in (with a session token or the development bypass).",
  });
  app.doc31("/openapi.json", OPENAPI_DOCUMENT_INFO);
  app.get("/docs", serveSwaggerUi);
  app.get("/redoc", serveRedoc);
  app.get(WIDGET_SCRIPT_PATH, serveWidgetScript);
  app.get(WIDGET_DEMO_PATH, serveWidgetDemo);
  app.get(WIDGET_PREVIEW_PATH, serveWidgetPreview);
  // Every path but the built files reaches the Worker (wrangler.toml [assets]): the console's
  // pages get its index.html with their security headers, any other path is a 404 problem.
  for (const path of CONSOLE_PAGE_PATHS) app.get(path, serveConsolePage);

  app.notFound((c) =>
    problemResponse(
      new AppError("route_not_found", `No route for ${c.req.method} ${c.req.path}`),
      c.var.requestId ?? "unknown",
    ),
  );

  app.onError((error, c) => {
    const requestId = c.var.requestId ?? "unknown";
    if (error instanceof ConfigError) {
      // Which variables are wrong is for the operator's log: callers, signed in or not, learn nothing.
      log("error", "configuration_invalid", { request_id: requestId }, error);
      return problemResponse(
        new AppError(
          "configuration_invalid",
          `The service is not configured correctly; quote request id ${requestId}`,
        ),
        requestId,
      );
    }
    const appError = toAppError(error);
    if (appError) return problemResponse(appError, requestId);
    log("error", "unhandled_error", { request_id: requestId }, error);
    return problemResponse(
      new AppError("internal_error", `An unexpected error occurred; quote request id ${requestId}`),
      requestId,
    );
  });

  return app;
}
