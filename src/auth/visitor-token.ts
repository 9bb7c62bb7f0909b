import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { type Config, ConfigError } from "../config";
import { AppError } from "../errors";

/** The JWT `typ` of visitor tokens: what tells them from Clerk's session tokens. */
const VISITOR_TOKEN_TYPE = "ancre-visitor+jwt";
const ISSUER = "ancre";
const AUDIENCE = "ancre-widget";
export const VISITOR_TOKEN_TTL_SECONDS = 30 * 60;

/** What a visitor token binds: one tenant's assistant, one site's origin, one visitor, one key. */
export interface VisitorClaims {
  tenantId: string;
  assistantId: string;
  visitorId: string;
  origin: string;
  /** The publishable key the session was opened with: rotating it ends the session. */
  publishableKey: string;
}

const encoder = new TextEncoder();

function secretOf(config: Config): Uint8Array {
  if (!config.widget.tokenSecret) {
    throw new ConfigError([
      "WIDGET_TOKEN_SECRET: required outside development and test to sign widget visitor tokens (wrangler secret put WIDGET_TOKEN_SECRET; 32 characters or more)",
    ]);
  }
  return encoder.encode(config.widget.tokenSecret);
}

/** Signs a visitor token (HS256) valid for VISITOR_TOKEN_TTL_SECONDS. */
export async function signVisitorToken(
  claims: VisitorClaims,
  config: Config,
): Promise<{ token: string; expiresAt: string }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + VISITOR_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({
    tid: claims.tenantId,
    aid: claims.assistantId,
    org: claims.origin,
    pk: claims.publishableKey,
  })
    .setProtectedHeader({ alg: "HS256", typ: VISITOR_TOKEN_TYPE })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.visitorId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(secretOf(config));
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** Whether a bearer token is shaped as a visitor token (checked by verifyVisitorToken, not here). */
export function looksLikeVisitorToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).typ === VISITOR_TOKEN_TYPE;
  } catch {
    return false;
  }
}

/**
 * The origin a visitor-shaped token claims, unverified: CORS uses it to let that origin read the
 * answer to its own token (an error, unless authentication verified the token and the origin).
 */
export function claimedOrigin(token: string): string | null {
  if (!looksLikeVisitorToken(token)) return null;
  try {
    const origin = decodeJwt(token).org;
    return typeof origin === "string" ? origin : null;
  } catch {
    return null;
  }
}

/** Verifies a visitor token and returns what it binds. Throws 401 `unauthenticated` AppErrors. */
export async function verifyVisitorToken(token: string, config: Config): Promise<VisitorClaims> {
  try {
    const { payload } = await jwtVerify(token, secretOf(config), {
      algorithms: ["HS256"],
      typ: VISITOR_TOKEN_TYPE,
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "tid", "aid", "org", "pk"],
    });
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    return {
      tenantId: text(payload.tid),
      assistantId: text(payload.aid),
      visitorId: text(payload.sub),
      origin: text(payload.org),
      publishableKey: text(payload.pk),
    };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const expired = error instanceof joseErrors.JWTExpired;
    throw new AppError(
      "unauthenticated",
      expired
        ? "The visitor token has expired; start a new widget session"
        : "The visitor token is not valid; start a new widget session",
    );
  }
}
