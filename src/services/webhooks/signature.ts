// How Ancre signs a webhook, as Stripe does: `Ancre-Signature: t=<unix seconds>,v1=<hex>`, where the
// hex is the HMAC-SHA256, keyed by the endpoint's secret, of `<t>.<raw body>`. Receivers verify it
// with docs/examples/verify-ancre-signature.ts (docs/webhooks.md).

export const SIGNATURE_HEADER = "Ancre-Signature";

const encoder = new TextEncoder();

async function hmacHex(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(payload));
  return [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The Ancre-Signature header's value for `body` sent at `timestamp` (unix seconds). */
export async function signatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  return `t=${timestamp},v1=${await hmacHex(secret, `${timestamp}.${body}`)}`;
}
