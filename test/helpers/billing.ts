import Stripe from "stripe";
import { inject } from "vitest";
import { WebhookAckSchema } from "../../src/routes/billing/billing.schemas";
import { type ApiClient, apiWithEnv, expectBody } from "./api";

/** Vars and secrets that turn billing on, against the local Stripe fake (see fakes/stripe.ts). */
export function stripeEnv(): Record<string, string> {
  const fake = inject("stripe");
  return {
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
    STRIPE_PRICE_PRO: fake.priceIdPro,
    STRIPE_API_BASE: fake.apiBase,
  };
}

/** A client of the app with billing on, acting in the tenant when given one. */
export const billingClient = (tenantId?: string) =>
  apiWithEnv(stripeEnv(), tenantId ? { "x-tenant-id": tenantId } : {});

export interface LoggedStripeRequest {
  method: string;
  path: string;
  params: Record<string, any>;
  idempotencyKey: string | null;
}

/** What the Stripe fake received, oldest first. */
export async function stripeRequests(): Promise<LoggedStripeRequest[]> {
  return (await fetch(inject("stripe").logUrl)).json();
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** A Stripe event as Stripe posts it to the webhook, with a fresh id. */
export function stripeEvent(type: string, object: Record<string, unknown>, created = new Date()) {
  return {
    id: `evt_test_${crypto.randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: unix(created),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** A subscription object as Stripe sends it in `customer.subscription.*` events. */
export function subscriptionObject(input: {
  id: string;
  customer: string;
  status: string;
  tenantId?: string;
  priceId?: string;
  period: { start: Date; end: Date };
  created?: Date;
}) {
  return {
    id: input.id,
    object: "subscription",
    created: unix(input.created ?? input.period.start),
    customer: input.customer,
    status: input.status,
    metadata: input.tenantId ? { tenant_id: input.tenantId } : {},
    items: {
      object: "list",
      data: [
        {
          id: `si_${input.id}`,
          object: "subscription_item",
          price: { id: input.priceId ?? inject("stripe").priceIdPro, object: "price" },
          quantity: 1,
          current_period_start: unix(input.period.start),
          current_period_end: unix(input.period.end),
        },
      ],
    },
  };
}

/** A completed Checkout Session for the Pro plan, as in `checkout.session.completed`. */
export function completedCheckout(tenantId: string, customer: string, subscription: string) {
  return {
    id: `cs_test_${crypto.randomUUID().replaceAll("-", "")}`,
    object: "checkout.session",
    mode: "subscription",
    client_reference_id: tenantId,
    customer,
    subscription,
    payment_status: "paid",
    status: "complete",
    metadata: { tenant_id: tenantId },
  };
}

export type SubscriptionObject = ReturnType<typeof subscriptionObject>;

/** Makes `subscription` what Stripe holds, as the webhook reads it back from Stripe's API. */
export async function setStripeSubscription(subscription: SubscriptionObject): Promise<void> {
  const response = await fetch(inject("stripe").subscriptionsUrl, {
    method: "POST",
    body: JSON.stringify(subscription),
  });
  if (!response.ok) throw new Error(`Stripe fake: ${response.status} ${await response.text()}`);
}

/** As Stripe does: changes the subscription, then tells the webhook with an event of `type`. */
export async function changeSubscription(
  client: ApiClient,
  type: string,
  subscription: SubscriptionObject,
  created = new Date(),
): Promise<Response> {
  await setStripeSubscription(subscription);
  return sendWebhook(client, stripeEvent(type, subscription, created));
}

/** Posts an event to the webhook, signed as Stripe signs it (or with another secret or time). */
export async function sendWebhook(
  client: ApiClient,
  event: unknown,
  options: { secret?: string; timestamp?: number; payload?: string } = {},
): Promise<Response> {
  const signed = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: signed,
    secret: options.secret ?? inject("stripe").webhookSecret,
    timestamp: options.timestamp,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return client.request("POST", "billing/webhook", {
    body: options.payload ?? signed,
    headers: { "content-type": "application/json", "stripe-signature": signature },
  });
}

/** Asserts the webhook acknowledged a delivery (200) and returns its answer. */
export const expectAcknowledged = (response: Response) => expectBody(response, 200, WebhookAckSchema);

/** Puts a tenant on Pro through the webhook, as a completed checkout does, with a subscription period. */
export async function upgradeToPro(
  client: ApiClient,
  tenantId: string,
  period = { start: new Date(Date.now() - 3_600_000), end: new Date(Date.now() + 29 * 86_400_000) },
) {
  const customer = `cus_test_${tenantId}`;
  const subscriptionId = `sub_test_${tenantId}`;
  const subscription = subscriptionObject({
    id: subscriptionId,
    customer,
    status: "active",
    tenantId,
    period,
  });
  await setStripeSubscription(subscription);
  for (const event of [
    stripeEvent("checkout.session.completed", completedCheckout(tenantId, customer, subscriptionId)),
    stripeEvent("customer.subscription.created", subscription),
  ]) {
    const response = await sendWebhook(client, event);
    if (response.status !== 200)
      throw new Error(`webhook ${event.type}: ${response.status} ${await response.text()}`);
  }
  return { customer, subscriptionId, period };
}
