import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { ClerkFake } from "../provided-context";
import { type FakeServer, sendJson, startFakeServer } from "./http-server";

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256" },
  };
}

/** A local stand-in for a Clerk instance's JWKS endpoint, with keys generated at start. */
export async function startClerkFake(): Promise<{ fake: ClerkFake; server: FakeServer }> {
  const served = await keyPair("kid-served");
  const rotated = await keyPair("kid-rotated");
  // Signs with a key that the JWKS never lists, under the served key's kid: a forged signature.
  const stranger = await keyPair("kid-served");
  const published: JWK[] = [served.publicJwk];
  let fetches = 0;

  const server = await startFakeServer((req, body, res) => {
    if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
      fetches++;
      return sendJson(res, 200, { keys: published });
    }
    if (req.method === "POST" && req.url === "/__rotate") {
      const jwk = JSON.parse(body.toString()) as JWK;
      if (!published.some((key) => key.kid === jwk.kid)) published.push(jwk);
      return sendJson(res, 200, { keys: published.length });
    }
    if (req.method === "GET" && req.url === "/__stats") return sendJson(res, 200, { fetches });
    sendJson(res, 404, { error: "not found" });
  });

  return {
    server,
    fake: {
      jwksUrl: `${server.url}/.well-known/jwks.json`,
      rotateUrl: `${server.url}/__rotate`,
      statsUrl: `${server.url}/__stats`,
      issuer: "https://clerk.ancre.test",
      keys: { served: served.privateJwk, rotated: rotated.privateJwk, stranger: stranger.privateJwk },
    },
  };
}
