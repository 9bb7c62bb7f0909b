import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import type { Config } from "../config";
import { AppError } from "../errors";

type ClerkConfig = NonNullable<Config["clerk"]>;
type KeySet = ReturnType<typeof createRemoteJWKSet>;

// One key set per JWKS URL per isolate: jose caches the keys and refetches on an unknown `kid`,
// at most once a second so a flood of forged kids cannot hammer the identity provider.
const keySets = new Map<string, KeySet>();

function keySetFor(url: string): KeySet {
  let keySet = keySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), {
      cooldownDuration: 1_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
    keySets.set(url, keySet);
  }
  return keySet;
}

export interface ClerkSession {
  userId: string;
  /**
   * The user's email, lower-cased, from the `email` claim: Clerk's default session token has
   * none, so the instance adds `"email": "{{user.primary_email_address}}"` to it (a primary
   * address is one Clerk verified). Null without it: the user then cannot accept invitations.
   */
  email: string | null;
}

/** Verifies a Clerk session token and returns its user. Throws 401 AppErrors. */
export async function verifyClerkToken(token: string, clerk: ClerkConfig): Promise<ClerkSession> {
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, keySetFor(clerk.jwksUrl), {
      issuer: clerk.issuer,
      clockTolerance: clerk.clockSkewSeconds,
      algorithms: ["RS256", "ES256", "EdDSA"],
      requiredClaims: ["sub", "exp"],
    }));
  } catch (error) {
    throw new AppError("unauthenticated", describeJoseError(error));
  }
  if (clerk.authorizedParties.length > 0) {
    const party = typeof payload.azp === "string" ? payload.azp : undefined;
    if (!party || !clerk.authorizedParties.includes(party)) {
      throw new AppError("unauthenticated", "The token was issued for another application (azp)");
    }
  }
  const email = typeof payload.email === "string" && payload.email.includes("@") ? payload.email : null;
  return { userId: payload.sub as string, email: email?.toLowerCase() ?? null };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "The token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `The token's "${error.claim}" claim is not valid`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "The token was signed by an unknown key";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return "The token's signature is not valid";
  }
  if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
    // The key set could not be fetched: not the caller's fault.
    throw new AppError("service_unavailable", "The identity provider's keys could not be fetched");
  }
  return "The token is not a valid session token";
}
