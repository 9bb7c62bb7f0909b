// Verifies the `Ancre-Signature` header of a webhook Ancre sent (docs/webhooks.md).
// Runs as is in Node 20+, Deno, Bun and Cloudflare Workers (Web Crypto, no dependency).
// Ancre's tests verify every delivery with this very file.

/** Accept events signed at most this long ago: an older one may be a replay. */
const TOLERANCE_SECONDS = 5 * 60;

/**
 * Whether `rawBody` (the request body exactly as received, before any JSON parsing) was signed
 * by Ancre with `secret` (the endpoint's `whsec_…`) less than five minutes before `now`.
 */
export async function verifyAncreSignature(
  rawBody: string,
  header: string | null,
  secret: string,
  now: Date = new Date(),
): Promise<boolean> {
  if (!header) return false;
  // `t=<unix seconds>,v1=<hex>`; more v1 entries may come during a secret rotation.
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([key]) => key === "t")?.[1]);
  const signatures = parts.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
  if (!Number.isInteger(timestamp) || signatures.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;

  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${rawBody}`));
  const expected = [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return signatures.some((signature) => constantTimeEqual(signature, expected));
}

// Compares every character whatever the first difference, so timing tells nothing.
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
