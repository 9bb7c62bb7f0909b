import Stripe from "stripe";
import type { Config } from "../../config";

export type BillingConfig = NonNullable<Config["billing"]>;

const clients = new WeakMap<BillingConfig, Stripe>();

/**
 * The Stripe SDK for this configuration, built once per isolate. It speaks through fetch (the
 * Workers runtime has no Node http); `STRIPE_API_BASE` points it elsewhere, such as a local fake.
 */
export function stripeClient(billing: BillingConfig): Stripe {
  let client = clients.get(billing);
  if (!client) {
    const base = billing.apiBase ? new URL(billing.apiBase) : undefined;
    client = new Stripe(billing.secretKey, {
      httpClient: Stripe.createFetchHttpClient(),
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

/** Verifies webhook signatures with Web Crypto, as Workers require (no Node crypto). */
export const webhookCryptoProvider = Stripe.createSubtleCryptoProvider();

export { Stripe };
