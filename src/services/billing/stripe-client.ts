import type Stripe from "stripe";
import type { Config } from "../../config";

export type BillingConfig = NonNullable<Config["billing"]>;

// The SDK is loaded by the first billing call of an isolate, not at start-up by every isolate.
let sdk: Promise<typeof Stripe> | undefined;
const stripeSdk = () => {
  sdk ??= import("stripe").then((module) => module.default);
  return sdk;
};

const clients = new WeakMap<BillingConfig, Stripe>();

/**
 * The Stripe SDK for this configuration, built once per isolate. It speaks through fetch (the
 * Workers runtime has no Node http); `STRIPE_API_BASE` points it elsewhere, such as a local fake.
 */
export async function stripeClient(billing: BillingConfig): Promise<Stripe> {
  let client = clients.get(billing);
  if (!client) {
    const StripeSdk = await stripeSdk();
    const base = billing.apiBase ? new URL(billing.apiBase) : undefined;
    client = new StripeSdk(billing.secretKey, {
      httpClient: StripeSdk.createFetchHttpClient(),
      maxNetworkRetries: 2,
      ...(base && {
        protocol: base.protocol === "http:" ? "http" : "https",
        host: base.hostname,
        port: base.port || (base.protocol === "http:" ? 80 : 443),
      }),
    });
    clients.set(billing, client);
  }
  return client;
}

/** A webhook's event, its signature verified with Web Crypto, as Workers require (no Node crypto). */
export async function verifiedStripeEvent(payload: Uint8Array, signature: string, secret: string) {
  const StripeSdk = await stripeSdk();
  return StripeSdk.webhooks.constructEventAsync(
    payload,
    signature,
    secret,
    undefined,
    StripeSdk.createSubtleCryptoProvider(),
  );
}

/** Whether Stripe refused a request as invalid (its `code` says why, e.g. `resource_missing`). */
export const isStripeInvalidRequest = (error: unknown): error is Stripe.errors.StripeInvalidRequestError =>
  error instanceof Error && (error as { type?: unknown }).type === "StripeInvalidRequestError";

export type { Stripe };
