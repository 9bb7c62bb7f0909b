import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Actor, AppEnv } from "../context";
import { rateLimited, rateLimitHeaders, takeRequest } from "../services/quotas/quotas.service";
import { callerRegion } from "./tenant-context";

async function draw(c: Context<AppEnv>, tenantId: string, key: string, perRegion?: boolean): Promise<void> {
  const ctx = { tenantId, region: callerRegion(c) };
  const decision = await takeRequest({ ctx, deps: c.var.deps, input: { key, perRegion } });
  c.set("rateLimit", decision);
  if (!decision.allowed) throw rateLimited(decision);
}

/** The bucket of a caller without an API key: its user, or a widget visitor. */
const personBucket = (actor: Exclude<Actor, { type: "api_key" }>) =>
  actor.type === "visitor" ? `visitor:${actor.visitorId}` : `user:${actor.userId}`;

function addHeaders(c: Context<AppEnv>): void {
  const decision = c.var.rateLimit ?? c.var.deferredDraw?.decision;
  if (!decision) return;
  // c.header copies a finalized response first, so streamed and error responses get them too.
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value);
}

/**
 * A draw left to the route's quota call that the request never made (its input was refused, say):
 * taken now, so that every request counts; over the limit, the answer becomes the 429 it would
 * have been (nothing was done: the request stopped before its quota call).
 */
async function drawIfLeft(c: Context<AppEnv>): Promise<void> {
  const deferred = c.var.deferredDraw;
  const tenantId = c.var.identity.tenantId;
  if (!deferred || deferred.decision || c.var.rateLimit || !tenantId) return;
  await draw(c, tenantId, deferred.key, deferred.perRegion);
}

// Hono wraps a handler mounted from a router with its own error handler, keeping the original here.
const COMPOSED_HANDLER = "__COMPOSED_HANDLER";

/** Whether the route the request goes to takes its draw with its quota call (meteredByService). */
const routeTakesDraw = (c: Context<AppEnv>) =>
  matchedRoutes(c).some(
    ({ handler }) =>
      handler === meteredByService ||
      (handler as unknown as Record<string, unknown>)[COMPOSED_HANDLER] === meteredByService,
  );

/**
 * Every request made with an API key draws from that key's bucket (the plan's requests per
 * minute); over it, 429 `rate_limited` with `Retry-After`. Register after authentication. On a
 * route marked meteredByService the draw goes with the route's one call to the tenant's object.
 */
export function rateLimitApiKeys(): MiddlewareHandler<AppEnv> {
  return async function rateLimitApiKeys(c, next) {
    const { identity } = c.var;
    if (identity.actor.type === "api_key" && identity.tenantId) {
      const key = `key:${identity.actor.keyId}`;
      if (routeTakesDraw(c)) c.set("deferredDraw", { key });
      else await draw(c, identity.tenantId, key);
    }
    await next();
    await drawIfLeft(c);
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
    await draw(c, identity.tenantId, personBucket(identity.actor), identity.actor.type === "visitor");
  }
  await next();
  addHeaders(c);
};

/**
 * meteredRoute for routes whose service makes one call to the tenant's object for the whole
 * request (chat, upload): the draw is not taken here but left in the request's context, and that call
 * takes it along with the reservation (services/quotas admit). A request that stops before the
 * call still draws, after (drawIfLeft).
 */
export const meteredByService: MiddlewareHandler<AppEnv> = async function meteredByService(c, next) {
  const { identity } = c.var;
  if (!c.var.rateLimit && !c.var.deferredDraw && identity.tenantId && identity.actor.type !== "api_key") {
    // A visitor is one browser, served in one region: its bucket is kept there (see DeferredDraw).
    c.set("deferredDraw", {
      key: personBucket(identity.actor),
      perRegion: identity.actor.type === "visitor",
    });
  }
  await next();
  await drawIfLeft(c);
  addHeaders(c);
};
