import type { MiddlewareHandler } from "hono";
import { visitorAccess, visitorRouteAssistant } from "../auth/visitor-scope";
import type { AppEnv } from "../context";
import { AppError, notFound } from "../errors";

/**
 * A widget visitor token reaches its own assistant's chat routes and nothing else (see
 * auth/visitor-scope.ts): another assistant is a 404 as if it did not exist, any other route a
 * 403. Deny by default, so a route added later is closed to visitors. Register after authentication.
 */
export function confineVisitors(): MiddlewareHandler<AppEnv> {
  return async function confineVisitors(c, next) {
    const { actor } = c.var.identity;
    if (actor.type === "visitor") {
      const access = visitorAccess(c.req.method, c.req.path, actor.assistantId);
      if (access === "other_assistant") {
        throw notFound("Assistant", visitorRouteAssistant(c.req.path, c.req.method) ?? "");
      }
      if (access === "forbidden") {
        throw new AppError(
          "forbidden",
          "A widget visitor token only reaches its assistant's chat and its own conversations",
        );
      }
    }
    await next();
  };
}
