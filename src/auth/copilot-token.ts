import type { Actor } from "./actor";
import type { Role } from "./roles";

// The token the API Worker gives the copilot Worker with each request it forwards, after its own
// authentication: it names the tenant, the caller and their role, is signed (HMAC-SHA256) with the
// secret both Workers share, and expires within minutes. The copilot Worker refuses any request
// without a valid one, and presents it back when its tools call the API for that tenant, where it
// opens only the routes in COPILOT_TOKEN_ROUTES. This module is shared by both Workers.

/** Copilot tokens read `ct_<payload>.<signature>`, both base64url. */
export const COPILOT_TOKEN_PREFIX = "ct_";

/** Long enough for one agent run and its tool calls; a new token comes with every request. */
export const COPILOT_TOKEN_TTL_MS = 10 * 60 * 1000;

/** The only API routes (method and path) a copilot token opens: the copilot's two tools. */
export const COPILOT_TOKEN_ROUTES = ["GET /api/v1/kpis", "POST /api/v1/search"] as const;

/** Who the copilot acts for. */
export interface CopilotGrant {
  tenantId: string;
  actor: Actor;
  role: Role;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const encoder = new TextEncoder();

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const hmacKey = (secret: string, usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);

export const looksLikeCopilotToken = (token: string): boolean => token.startsWith(COPILOT_TOKEN_PREFIX);

/** Signs a grant into a copilot token. */
export async function signCopilotToken(grant: CopilotGrant, secret: string): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify(grant)));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(payload));
  return `${COPILOT_TOKEN_PREFIX}${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The grant of a copilot token signed with `secret` and not expired, else undefined. */
export async function verifyCopilotToken(
  token: string,
  secret: string,
  now = Date.now(),
): Promise<CopilotGrant | undefined> {
  if (!looksLikeCopilotToken(token)) return undefined;
  const [payload, signature, ...rest] = token.slice(COPILOT_TOKEN_PREFIX.length).split(".");
  const signatureBytes = signature === undefined ? undefined : fromBase64Url(signature);
  if (!payload || !signatureBytes || rest.length > 0) return undefined;
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret, "verify"),
    signatureBytes,
    encoder.encode(payload),
  );
  if (!valid) return undefined;
  const grant = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as CopilotGrant;
  return typeof grant.expiresAt === "number" && grant.expiresAt > now ? grant : undefined;
}
