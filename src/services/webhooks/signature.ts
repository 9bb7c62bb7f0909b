import { hmacSha256Hex } from "../../lib/crypto";

// How Ancre signs a webhook, as Stripe does: `Ancre-Signature: t=<unix seconds>,v1=<hex>`, where the
// hex is the HMAC-SHA256, keyed by the endpoint's secret, of `<t>.<raw body>`. Receivers verify it
// with docs/examples/verify-ancre-signature.ts (docs/webhooks.md).

export const SIGNATURE_HEADER = "Ancre-Signature";

/** The Ancre-Signature header's value for `body` sent at `timestamp` (unix seconds). */
export async function signatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}
