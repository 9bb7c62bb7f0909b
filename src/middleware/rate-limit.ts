import type { Context, MiddlewareHandler } from "hono";
import type { Actor, AppEnv } from "../context";
import { rateLimited, rateLimitHeaders, takeRequest } from "../services/quotas/quotas.service";

async function draw(c: Context<AppEnv>, tenantId: string, key: string): Promise<void> {
  const decision = await takeRequest({ ctx: { tenantId }, deps: c.var.deps, input: { key } });
  c.set("rateLimit", decision);
  if (!decision.allowed) throw rateLimited(decision);
}

/** The bucket of a caller without an API key: its user, or a widget visitor. */
const personBucket = (actor: Exclude<Actor, { type: "api_key" }>) =>
  actor.type === "visitor" ? `visitor:${actor.visitorId}` : `user:${actor.userId}`;

function addHeaders(c: Context<AppEnv>): void {
  const decision = c.var.rateLimit;
  if (!decision) return;
  // c.header copies a finalized response first, so streamed and error responses get them too.
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value);
}

/**
 * Every request made with an API key draws from that key's bucket (the plan's requests per
 * minute); over it, 429 `rate_limited` with `Retry-After`. Register after authentication.
 */
export function rateLimitApiKeys(): MiddlewareHandler<AppEnv> {
  return async function rateLimitApiKeys(c, next) {
    const { identity } = c.var;
    if (identity.actor.type === "api_key" && identity.tenantId) {
      await draw(c, identity.tenantId, `key:${identity.actor.keyId}`);
    }
    await next();
    addHeaders(c);
  };
}

/**
 * For the expensive routes (upload, chat): callers without an API key draw from their user's
 * bucket too, and the response carries the RateLimit-* headers whoever the caller is.
 */
export const meteredRoute: MiddlewareHandler<AppEnv> = async function meteredRoute(c, next) {
  const { identity } = c.var;
  if (!c.var.rateLimit && identity.tenantId && identity.actor.type !== "api_key") {
    await draw(c, identity.tenantId, personBucket(identity.actor));
  }
  await next();
  addHeaders(c);
};
