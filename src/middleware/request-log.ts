import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../context";
import { log } from "../lib/log";

/** The error code of a problem+json response, if it is one. */
async function problemCode(res: Response): Promise<string | undefined> {
  if (!res.headers.get("content-type")?.includes("application/problem+json")) return undefined;
  try {
    const body = (await res.clone().json()) as { code?: unknown };
    return typeof body.code === "string" ? body.code : undefined;
  } catch {
    return undefined;
  }
}

/** The route template that answered (`/api/v1/collections/:id`), not the path with its ids. */
function routeTemplate(c: Context<AppEnv>): string {
  try {
    return routePath(c) || c.req.path;
  } catch {
    return "";
  }
}

/**
 * Writes one `request` log line when a request ends (request id, tenant, actor type, route
 * template, status, duration, error code) and records the request in the tenant's metrics.
 * The path's own ids, the query, headers and bodies are never logged.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const start = Date.now();
    await next();
    const durationMs = Date.now() - start;
    const identity = c.get("identity");
    const route = routeTemplate(c);
    const status = c.res.status;
    const errorCode = status >= 400 ? await problemCode(c.res) : undefined;
    const tenantId = identity?.tenantId ?? null;
    log(status >= 500 ? "error" : "info", "request", {
      request_id: c.get("requestId"),
      method: c.req.method,
      route,
      status,
      duration_ms: durationMs,
      tenant_id: tenantId,
      actor_type: identity?.actor.type ?? "anonymous",
      error_code: errorCode,
    });
    c.get("deps")?.metrics.record({ type: "request", tenantId, route, status, durationMs, errorCode });
  };
}
