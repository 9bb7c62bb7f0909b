import { importJWK, type JWK, SignJWT } from "jose";
import { inject } from "vitest";
import { apiWithEnv } from "./api";

export const AUTHORIZED_PARTY = "https://app.ancre.test";

/** Env overrides that turn on Clerk verification against the local JWKS fake, bypass off. */
export function clerkEnv(overrides: Record<string, string> = {}) {
  const clerk = inject("clerk");
  return {
    DEV_AUTH_BYPASS: "false",
    CLERK_JWKS_URL: clerk.jwksUrl,
    CLERK_ISSUER: clerk.issuer,
    CLERK_AUTHORIZED_PARTIES: AUTHORIZED_PARTY,
    ...overrides,
  };
}

export interface TokenOptions {
  sub?: string;
  key?: JWK;
  issuer?: string;
  azp?: string | null;
  /** The `email` claim a Clerk instance adds to its session token (see src/auth/clerk-jwt.ts). */
  email?: string;
  /** Seconds from now; negative for the past. */
  expiresIn?: number;
  notBefore?: number;
}

/** Signs a session token shaped like Clerk's (RS256, sub, azp, iss, exp, nbf). */
export async function signToken(options: TokenOptions = {}): Promise<string> {
  const clerk = inject("clerk");
  const jwk = options.key ?? clerk.keys.served;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { sid: "sess_test" };
  if (options.azp !== null) claims.azp = options.azp ?? AUTHORIZED_PARTY;
  if (options.email) claims.email = options.email;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: jwk.kid, typ: "JWT" })
    .setSubject(options.sub ?? "user_alice")
    .setIssuer(options.issuer ?? clerk.issuer)
    .setIssuedAt(now - 5)
    .setNotBefore(now + (options.notBefore ?? -5))
    .setExpirationTime(now + (options.expiresIn ?? 60))
    .sign(await importJWK(jwk, "RS256"));
}

/** A client of the app with Clerk on and the bypass off, sending `token` when given. */
export function clerkClient(token?: string, headers: Record<string, string> = {}) {
  return apiWithEnv(clerkEnv(), token ? { authorization: `Bearer ${token}`, ...headers } : headers);
}
