import type { MiddlewareHandler } from "hono";
import { visitorRouteAssistant } from "../auth/visitor-scope";
import { claimedOrigin } from "../auth/visitor-token";
import type { AppEnv } from "../context";
import { normalizeRequestOrigin } from "../services/widgets/origins";

const SESSION_PATH = "/api/v1/widget/session";
const EXPOSED_HEADERS = "X-Request-ID, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
const PREFLIGHT_MAX_AGE_SECONDS = 600;

function bearerToken(authorization: string | undefined): string | null {
  const [scheme, token] = authorization?.split(/\s+/, 2) ?? [];
  return scheme?.toLowerCase() === "bearer" && token ? token : null;
}

/**
 * CORS for embedded widgets, on the session route and the chat routes a visitor token reaches
 * (docs/widget.md). Neither ever answers `*` nor allows credentials (cookies): Ancre uses none.
 * - Preflights carry no token, so any origin may send its request; the request itself decides.
 *   On the chat routes, origins of CORS_ALLOWED_ORIGINS keep the console's own preflight.
 * - The session route's answers are readable by the origin that asked: a token is only ever
 *   issued to an allowed origin, and a refusal must be readable for the widget to explain it.
 * - A chat answer is readable by an origin only when the request carries a visitor token claiming
 *   that origin; authentication verifies the claim, so only a refusal reaches anyone else.
 * Other requests and routes get the configuration's CORS (src/app.ts).
 */
export function widgetCors(): MiddlewareHandler<AppEnv> {
  return async function widgetCors(c, next) {
    const path = c.req.path;
    const isSession = path === SESSION_PATH;
    if (!isSession && visitorRouteAssistant(path) === null) return next();
    const origin = normalizeRequestOrigin(c.req.header("origin"));
    if (!origin) return next();
    if (c.req.method === "OPTIONS") {
      const configured = c.var.deps.config.corsAllowedOrigins;
      if (!isSession && (configured.includes("*") || configured.includes(origin))) return next();
      return new Response(null, {
        status: 204,
        headers: {
          "Access-Control-Allow-Origin": origin,
          "Access-Control-Allow-Methods": isSession ? "POST" : "GET, POST, PUT, DELETE",
          "Access-Control-Allow-Headers": isSession
            ? "Content-Type, X-Request-ID"
            : "Authorization, Content-Type, Last-Event-ID, X-Request-ID",
          "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_SECONDS),
          Vary: "Origin, Access-Control-Request-Headers",
        },
      });
    }
    await next();
    const token = bearerToken(c.req.header("authorization"));
    if (isSession || (token && claimedOrigin(token) === origin)) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
      c.header("Vary", "Origin", { append: true });
    }
  };
}
