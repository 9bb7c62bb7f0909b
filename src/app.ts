import { type ErrorHandler, Hono, type MiddlewareHandler, type NotFoundHandler } from "hono";
import { except } from "hono/combine";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "./config";
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
import { serveRedoc, serveSwaggerUi } from "./routes/api-reference/api-reference";
import { serveConsolePage } from "./routes/console/console.routes";
import { CONSOLE_PAGE_PATHS } from "./routes/console/console-pages";
import { COPILOT_PATH, forwardToCopilot } from "./routes/copilotkit/copilot.proxy";
import { groupsForPath, type Mount, mount, type RouteGroup, routeGroup } from "./routes/route-groups";
import { serveWidgetDemo, WIDGET_DEMO_PATH } from "./routes/widgets/widget-demo";
import { serveWidgetPreview, WIDGET_PREVIEW_PATH } from "./routes/widgets/widget-preview";
import { serveWidgetScript, WIDGET_SCRIPT_PATH } from "./routes/widgets/widget-script";

export const API_PREFIX = "/api/v1";

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

/** Any path or method no route answers: a 404 problem. */
const routeNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    new AppError("route_not_found", `No route for ${c.req.method} ${c.req.path}`),
    c.var.requestId ?? "unknown",
  );

/** Errors thrown anywhere: an AppError's problem, Hono's body errors as theirs, anything else a 500. */
const answerError: ErrorHandler<AppEnv> = (error, c) => {
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
};

const corsFromConfig: MiddlewareHandler<AppEnv> = async function corsFromConfig(c, next) {
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
};

/**
 * The route modules, each evaluated by the first request under one of its first path segments
 * (`/api/v1/<segment>/…`), with its zod schemas and the services only it calls: a cold isolate
 * evaluates the group its request needs and no other. Every group is loaded for `/openapi.json`.
 */
export function apiRouteGroups() {
  const health = routeGroup("health", ["health"], () => import("./routes/health/health.routes"));
  const consoleConfig = routeGroup(
    "console-config",
    ["config"],
    () => import("./routes/console-config/console-config.routes"),
  );
  const billing = routeGroup("billing", ["billing"], () => import("./routes/billing/billing.routes"));
  const widgets = routeGroup(
    "widgets",
    ["widget", "assistants"],
    () => import("./routes/widgets/widgets.routes"),
  );
  const nango = routeGroup(
    "integrations",
    ["integrations"],
    () => import("./routes/integrations/nango.routes"),
  );
  const tenants = routeGroup("tenants", ["tenants"], () => import("./routes/tenants/tenants.routes"));
  const apiKeys = routeGroup("api-keys", ["api-keys"], () => import("./routes/api-keys/api-keys.routes"));
  const members = routeGroup("members", ["members"], () => import("./routes/members/members.routes"));
  const invitations = routeGroup(
    "invitations",
    ["invitations", "user"],
    () => import("./routes/invitations/invitations.routes"),
  );
  const collections = routeGroup(
    "collections",
    ["collections"],
    () => import("./routes/collections/collections.routes"),
  );
  const assistants = routeGroup(
    "assistants",
    ["assistants"],
    () => import("./routes/assistants/assistants.routes"),
  );
  const documents = routeGroup(
    "documents",
    ["documents"],
    () => import("./routes/documents/documents.routes"),
  );
  const search = routeGroup("search", ["search"], () => import("./routes/search/search.routes"));
  const chat = routeGroup("chat", ["chat"], () => import("./routes/chat/chat.routes"));
  const conversations = routeGroup(
    "conversations",
    ["conversations"],
    () => import("./routes/conversations/conversations.routes"),
  );
  const openai = routeGroup("openai", ["openai"], () => import("./routes/openai/openai.routes"));
  const usage = routeGroup("usage", ["usage"], () => import("./routes/usage/usage.routes"));
  const kpis = routeGroup("kpis", ["kpis"], () => import("./routes/kpis/kpis.routes"));
  const reports = routeGroup("reports", ["reports"], () => import("./routes/reports/reports.routes"));
  const webhooks = routeGroup("webhooks", ["webhooks"], () => import("./routes/webhooks/webhooks.routes"));
  const audit = routeGroup("audit", ["audit-events"], () => import("./routes/audit/audit.routes"));
  return {
    groups: [
      health,
      consoleConfig,
      billing,
      widgets,
      nango,
      tenants,
      apiKeys,
      members,
      invitations,
      collections,
      assistants,
      documents,
      search,
      chat,
      conversations,
      openai,
      usage,
      kpis,
      reports,
      webhooks,
      audit,
    ] as RouteGroup[],
    // Mounted before the authentication middleware, in this order.
    publicRouters: [
      // Health answers without credentials; so does the console's configuration (how to sign in).
      mount(health, (m) => m.healthRoutes),
      mount(consoleConfig, (m) => m.consoleConfigRoutes),
      // Stripe's webhook proves itself by signature, not by credentials.
      mount(billing, (m) => m.billingWebhookRoutes),
      // Embedded widgets prove themselves by their publishable key and the page's Origin.
      mount(widgets, (m) => m.widgetSessionRoutes),
      // Nango's webhook proves itself by its HMAC signature.
      mount(nango, (m) => m.nangoWebhookRoutes),
    ],
    // Mounted after authentication, confinement of visitors and the API keys' rate limit, in this order.
    tenantRouters: [
      mount(tenants, (m) => m.tenantsRoutes),
      mount(apiKeys, (m) => m.apiKeysRoutes),
      mount(members, (m) => m.membersRoutes),
      mount(invitations, (m) => m.invitationsRoutes),
      mount(invitations, (m) => m.receivedInvitationsRoutes),
      mount(collections, (m) => m.collectionsRoutes),
      mount(assistants, (m) => m.assistantsRoutes),
      mount(widgets, (m) => m.widgetAdminRoutes),
      mount(documents, (m) => m.documentsRoutes),
      mount(search, (m) => m.searchRoutes),
      mount(chat, (m) => m.chatRoutes),
      mount(conversations, (m) => m.conversationsRoutes),
      mount(openai, (m) => m.openaiRoutes),
      mount(usage, (m) => m.usageRoutes),
      mount(kpis, (m) => m.kpisRoutes),
      mount(reports, (m) => m.reportsRoutes),
      mount(billing, (m) => m.billingRoutes),
      mount(nango, (m) => m.nangoRoutes),
      mount(webhooks, (m) => m.webhooksRoutes),
      mount(audit, (m) => m.auditRoutes),
    ],
  };
}

/** The Worker's HTTP app: `fetch`, and the OpenAPI document of every route. */
export interface App {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  /** `/openapi.json`'s document: every group loaded and mounted in order. */
  openApiDocument(): Promise<unknown>;
  /** The app with every group mounted (what `fetch` would be if nothing were lazy). */
  withEveryGroup(): Promise<Hono<AppEnv>>;
  /** The names of the groups loaded so far, in the app's order. */
  loadedGroups(): string[];
}

/**
 * Builds the Worker's HTTP app: middleware, route groups, OpenAPI document, error handling.
 *
 * A request is served by a Hono app holding the middleware, the routes outside the groups and the
 * groups its path may reach (`groupsForPath`), registered in the one order below: every route that
 * matches the request, and so its chain of middleware and handlers, is the same as in an app holding
 * every group. Those apps are built once per set of groups and kept.
 */
export function createApp(): App {
  const { groups, publicRouters, tenantRouters } = apiRouteGroups();
  // Built once, shared by every app below, as there was one app before.
  const middleware = {
    requestId: requestId(),
    requestLog: requestLog(),
    session: loadDepsInSession(),
    widgetCors: widgetCors(),
    jsonBodies: except(`${API_PREFIX}/documents/upload/*`, limitBody({ maxBytes: MAX_JSON_BODY_BYTES })),
    copilotBodies: limitBody({ maxBytes: MAX_JSON_BODY_BYTES }),
    authenticate: authenticate(),
    confineVisitors: confineVisitors(),
    rateLimit: rateLimitApiKeys(),
    copilotAuthenticate: authenticate(),
    copilotRateLimit: rateLimitApiKeys(),
  };
  let document: Promise<unknown> | undefined;
  const openApiDocument = () => {
    document ??= (async () => {
      await Promise.all(groups.map((group) => group.load()));
      const { openApiDocumentOf } = await import("./routes/openapi-document");
      return openApiDocumentOf(
        API_PREFIX,
        [...publicRouters, ...tenantRouters].map((mounted) => mounted.router()),
      );
    })();
    return document;
  };

  function build(mounted: ReadonlySet<RouteGroup>) {
    const app = new Hono<AppEnv>();
    const route = (routers: Mount[]) => {
      for (const { group, router } of routers) if (mounted.has(group)) app.route(API_PREFIX, router());
    };

    app.use(middleware.requestId);
    app.use(middleware.requestLog);
    app.use(middleware.session);
    // Embedded widgets' CORS first: it answers its own preflights and adds to the responses after.
    app.use(`${API_PREFIX}/*`, middleware.widgetCors);
    // Both the API and the copilot's runtime (/api/copilotkit) are called from browsers.
    app.use("/api/*", corsFromConfig);

    // Every body is JSON except an upload's, which its route bounds by MAX_UPLOAD_BYTES.
    app.use(`${API_PREFIX}/*`, middleware.jsonBodies);
    app.use(`${COPILOT_PATH}/*`, middleware.copilotBodies);

    // Registered before the authentication middleware: see publicRouters.
    route(publicRouters);
    app.get("/health", (c) => c.redirect(`${API_PREFIX}/health`, 307));

    app.use(`${API_PREFIX}/*`, middleware.authenticate);
    app.use(`${API_PREFIX}/*`, middleware.confineVisitors);
    app.use(`${API_PREFIX}/*`, middleware.rateLimit);
    route(tenantRouters);

    // The copilot Worker's runtime (CopilotKit's protocol, outside the OpenAPI document), behind
    // the same authentication and rate limits as the API.
    app.use(`${COPILOT_PATH}/*`, middleware.copilotAuthenticate, middleware.copilotRateLimit, meteredRoute);
    app.all(`${COPILOT_PATH}/*`, forwardToCopilot);

    app.get("/openapi.json", async (c) => c.json(await openApiDocument()));
    app.get("/docs", serveSwaggerUi);
    app.get("/redoc", serveRedoc);
    app.get(WIDGET_SCRIPT_PATH, serveWidgetScript);
    app.get(WIDGET_DEMO_PATH, serveWidgetDemo);
    app.get(WIDGET_PREVIEW_PATH, serveWidgetPreview);
    // Every path but the built files reaches the Worker (wrangler.toml [assets]): the console's
    // pages get its index.html with their security headers, any other path is a 404 problem.
    for (const path of CONSOLE_PAGE_PATHS) app.get(path, serveConsolePage);

    app.notFound(routeNotFound);
    app.onError(answerError);
    return app;
  }

  const apps = new Map<string, Hono<AppEnv>>();
  const appFor = (reached: RouteGroup[]) => {
    const key = reached.map((group) => group.name).join(" ");
    let app = apps.get(key);
    if (!app) {
      app = build(new Set(reached));
      apps.set(key, app);
    }
    return app;
  };
  // Paths are read as Hono reads them (percent-decoded), so that a group is never missed.
  const pathOf = appFor([]).getPath;

  return {
    fetch(request, env, ctx) {
      const reached = groupsForPath(groups, API_PREFIX, pathOf(request, { env }));
      if (reached.every((group) => group.module !== undefined))
        return appFor(reached).fetch(request, env, ctx);
      return Promise.all(reached.map((group) => group.load())).then(() =>
        appFor(reached).fetch(request, env, ctx),
      );
    },
    openApiDocument,
    async withEveryGroup() {
      await Promise.all(groups.map((group) => group.load()));
      return appFor(groups);
    },
    loadedGroups: () => groups.filter((group) => group.module !== undefined).map((group) => group.name),
  };
}
