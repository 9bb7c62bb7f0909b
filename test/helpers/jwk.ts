import type { JWK } from "jose";

/** The public half of a private RSA JWK. */
export function publicPartOf(jwk: JWK): JWK {
  const { kty, n, e, kid, alg } = jwk;
  return { kty, n, e, kid, alg, use: "sig" };
}
