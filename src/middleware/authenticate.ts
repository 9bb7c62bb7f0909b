import type { Context, MiddlewareHandler } from "hono";
import { looksLikeApiKey } from "../auth/api-key-format";
import { verifyClerkToken } from "../auth/clerk-jwt";
import { COPILOT_TOKEN_ROUTES, looksLikeCopilotToken, verifyCopilotToken } from "../auth/copilot-token";
import { looksLikeVisitorToken } from "../auth/visitor-token";
import type { Config } from "../config";
import type { AppEnv, Identity } from "../context";
import { AppError, notFound } from "../errors";
import { sha256Hex } from "../lib/crypto";
import { tenantBeingDeleted } from "../services/tenants/deletion";
import { pageOrigin } from "../services/widgets/origins";
import { authenticateVisitor } from "../services/widgets/widgets.service";
import { cachedLookup } from "../storage/lookup-cache";
import { findActiveKeyByHash, touchKey } from "../storage/repositories/api-keys.repo";
import { findMembership, findTenant } from "../storage/repositories/tenants.repo";

/** The user id that owns what is created through the development auth bypass. */
export const DEV_USER_ID = "dev";

const LAST_USED_RESOLUTION_MS = 60_000;

/** When this isolate last wrote each key's `last_used_at` (ms), for its last 1,000 keys. */
const touchedAt = new Map<string, number>();
const TOUCHED_KEYS = 1000;

/**
 * Writes a key's `last_used_at` after the response, unless it is known to be within the
 * resolution already (this isolate wrote it, or the key's row says so: the value only grows), when
 * the write would change nothing: most requests then cost no D1 write, nor its CPU on the way in.
 */
function touchKeyAfterResponse(c: Context<AppEnv>, key: { id: string; lastUsedAt: string | null }): void {
  const now = Date.now();
  const last = Math.max(touchedAt.get(key.id) ?? 0, key.lastUsedAt ? Date.parse(key.lastUsedAt) : 0);
  if (now - last < LAST_USED_RESOLUTION_MS) return;
  if (touchedAt.size >= TOUCHED_KEYS) touchedAt.delete(touchedAt.keys().next().value!);
  touchedAt.set(key.id, now);
  const staleBefore = new Date(now - LAST_USED_RESOLUTION_MS).toISOString();
  c.executionCtx.waitUntil(
    touchKey(c.var.deps.db, key.id, new Date(now).toISOString(), staleBefore).catch((error: unknown) => {
      touchedAt.delete(key.id);
      throw error;
    }),
  );
}

/** A tenant whose deletion was requested serves nothing more: 410, whoever asks (see delete-tenant.ts). */
function refuseTenantBeingDeleted(tenantId: string, deletionRequestedAt: string | null): void {
  if (deletionRequestedAt) throw tenantBeingDeleted(tenantId, deletionRequestedAt);
}

/**
 * The identity a copilot token grants: the caller the API authenticated when it forwarded the
 * request to the copilot Worker, on the copilot's tool routes only.
 */
async function copilotIdentity(config: Config, token: string, route: string): Promise<Identity> {
  const grant = config.copilot && (await verifyCopilotToken(token, config.copilot.internalSecret));
  if (!grant) throw new AppError("unauthenticated", "The copilot token is not valid or has expired");
  if (!(COPILOT_TOKEN_ROUTES as readonly string[]).includes(route)) {
    throw new AppError("forbidden", "A copilot token opens only the copilot's tools");
  }
  return { actor: grant.actor, tenantId: grant.tenantId, role: grant.role };
}

/**
 * Resolves `{ actor, tenantId, role }` from `Authorization` and `X-Tenant-ID`:
 * a Clerk session JWT, a tenant API key (`ak_…`), a widget visitor token (with the `Origin` it was
 * issued for; its tenant is the token's), a copilot token (`ct_…`, the copilot Worker's tools
 * calling back), or, with DEV_AUTH_BYPASS, the header alone.
 * A tenant the caller cannot see is a 404, exactly like one that does not exist.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const { config, db } = c.var.deps;
    const requestedTenant = c.req.header("x-tenant-id")?.trim() || null;
    const authorization = c.req.header("authorization");
    let identity: Identity;

    if (authorization) {
      const [scheme, token] = authorization.split(/\s+/, 2);
      if (scheme?.toLowerCase() !== "bearer" || !token) {
        throw new AppError("unauthenticated", "Use 'Authorization: Bearer <token or API key>'");
      }
      if (looksLikeCopilotToken(token)) {
        identity = await copilotIdentity(config, token, `${c.req.method} ${c.req.path}`);
        if (requestedTenant && requestedTenant !== identity.tenantId) {
          throw new AppError("forbidden", "This copilot token belongs to another tenant than X-Tenant-ID");
        }
        const tenant = await findTenant(db, identity.tenantId!);
        if (!tenant) throw notFound("Tenant", identity.tenantId!);
        refuseTenantBeingDeleted(tenant.id, tenant.deletionRequestedAt);
      } else if (looksLikeApiKey(token)) {
        const keyHash = await sha256Hex(token);
        // Cached for the lookup bound: a key revoked elsewhere is refused within it (lookup-cache.ts).
        const key = await cachedLookup(c.var.deps, `api-key:${keyHash}`, () =>
          findActiveKeyByHash(db, keyHash),
        );
        if (!key) throw new AppError("unauthenticated", "The API key is not valid or was revoked");
        refuseTenantBeingDeleted(key.tenantId, key.tenantDeletionRequestedAt);
        if (requestedTenant && requestedTenant !== key.tenantId) {
          throw new AppError("forbidden", "This API key belongs to another tenant than X-Tenant-ID");
        }
        touchKeyAfterResponse(c, key);
        identity = { actor: { type: "api_key", keyId: key.id }, tenantId: key.tenantId, role: key.role };
      } else if (looksLikeVisitorToken(token)) {
        identity = await authenticateVisitor({
          deps: c.var.deps,
          input: { token, origin: pageOrigin(c.req.header("origin"), c.req.header("referer")) },
        });
        if (requestedTenant && requestedTenant !== identity.tenantId) {
          throw new AppError("forbidden", "This visitor token belongs to another tenant than X-Tenant-ID");
        }
      } else {
        if (!config.clerk) {
          throw new AppError("unauthenticated", "Session tokens are not accepted: CLERK_JWKS_URL is not set");
        }
        const { userId, email } = await verifyClerkToken(token, config.clerk);
        identity = { actor: { type: "user", userId, email }, tenantId: null, role: null };
        if (requestedTenant) {
          // Cached for the lookup bound, as an API key is: a member removed or demoted through
          // another isolate loses access within it, through this one at once (lookup-cache.ts).
          const membership = await cachedLookup(c.var.deps, `member:${requestedTenant}:${userId}`, () =>
            findMembership(db, requestedTenant, userId),
          );
          if (!membership) throw notFound("Tenant", requestedTenant);
          refuseTenantBeingDeleted(requestedTenant, membership.tenantDeletionRequestedAt);
          identity = { ...identity, tenantId: requestedTenant, role: membership.role };
        }
      }
    } else if (config.devAuthBypass) {
      identity = { actor: { type: "dev", userId: DEV_USER_ID }, tenantId: null, role: null };
      if (requestedTenant) {
        const tenant = await cachedLookup(c.var.deps, `tenant:${requestedTenant}`, () =>
          findTenant(db, requestedTenant),
        );
        if (!tenant) throw notFound("Tenant", requestedTenant);
        refuseTenantBeingDeleted(requestedTenant, tenant.deletionRequestedAt);
        identity = { ...identity, tenantId: requestedTenant, role: "owner" };
      }
    } else {
      throw new AppError(
        "unauthenticated",
        "Authentication required: send a session token or an API key",
        {},
        {
          "www-authenticate": 'Bearer realm="ancre"',
        },
      );
    }

    c.set("identity", identity);
    await next();
  };
}
