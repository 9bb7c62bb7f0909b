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

const SECRET_KEY = "sk_test_ancre_clerk_fake";

/**
 * A local stand-in for a Clerk instance: its JWKS endpoint, with keys generated at start, and the
 * Backend API's `POST /v1/invitations` (bearer secret key checked, body as Clerk validates it; an
 * address at `refused.test` is refused as Clerk refuses an unusable one).
 */
export async function startClerkFake(): Promise<{ fake: ClerkFake; server: FakeServer }> {
  const served = await keyPair("kid-served");
  const rotated = await keyPair("kid-rotated");
  // Signs with a key that the JWKS never lists, under the served key's kid: a forged signature.
  const stranger = await keyPair("kid-served");
  const published: JWK[] = [served.publicJwk];
  let fetches = 0;
  const invitations: { authorization: string | undefined; body: Record<string, unknown> }[] = [];

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
    if (req.method === "POST" && req.url === "/v1/invitations") {
      if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) {
        return sendJson(res, 401, { errors: [{ code: "authentication_invalid", message: "Unauthorized" }] });
      }
      const sent = JSON.parse(body.toString() || "{}") as Record<string, unknown>;
      invitations.push({ authorization: req.headers.authorization, body: sent });
      const email = String(sent.email_address ?? "");
      if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.endsWith("@refused.test")) {
        return sendJson(res, 422, {
          errors: [
            {
              code: "form_param_format_invalid",
              message: "is invalid",
              meta: { param_name: "email_address" },
            },
          ],
        });
      }
      const now = Date.now();
      return sendJson(res, 200, {
        object: "invitation",
        id: `inv_clerk_${invitations.length}`,
        email_address: email,
        public_metadata: sent.public_metadata ?? {},
        revoked: false,
        status: "pending",
        url: `https://accounts.clerk.test/sign-up?__clerk_ticket=ticket_${invitations.length}`,
        created_at: now,
        updated_at: now,
      });
    }
    if (req.method === "GET" && req.url === "/__invitations") return sendJson(res, 200, invitations);
    sendJson(res, 404, { error: "not found" });
  });

  return {
    server,
    fake: {
      jwksUrl: `${server.url}/.well-known/jwks.json`,
      rotateUrl: `${server.url}/__rotate`,
      statsUrl: `${server.url}/__stats`,
      issuer: "https://clerk.ancre.test",
      apiUrl: server.url,
      secretKey: SECRET_KEY,
      invitationsLogUrl: `${server.url}/__invitations`,
      keys: { served: served.privateJwk, rotated: rotated.privateJwk, stranger: stranger.privateJwk },
    },
  };
}
