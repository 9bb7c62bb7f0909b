import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BillingStatusSchema, CheckoutSessionSchema } from "../../src/routes/billing/billing.routes";
import { UsageSchema } from "../../src/routes/usage/usage.routes";
import { databaseFor } from "../../src/storage/db";
import { findBilling } from "../../src/storage/repositories/billing.repo";
import type { ApiClient } from "../helpers/api";
import {
  billingClient,
  completedCheckout,
  expectAcknowledged,
  sendWebhook,
  setStripeSubscription,
  stripeEvent,
  subscriptionObject,
  upgradeToPro,
} from "../helpers/billing";
import { createTenant } from "../helpers/tenants";

const DAY = 86_400_000;
// Whole seconds, as Stripe sends them.
const iso = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();

/** Delivers the events all at once, as Stripe may. */
const deliverTogether = (client: ApiClient, events: ReturnType<typeof stripeEvent>[]) =>
  Promise.all(events.map(async (event) => expectAcknowledged(await sendWebhook(client, event))));

/** A Pro tenant whose subscription Stripe has just cancelled, and the two events that say so. */
async function cancelledProTenant(cancelledAt: Date, staleUpdateAt: Date) {
  const tenant = await createTenant();
  const client = billingClient(tenant.id);
  const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
  const subscription = (status: string) =>
    subscriptionObject({ id: subscriptionId, customer, status, tenantId: tenant.id, period });
  await setStripeSubscription(subscription("canceled"));
  return {
    client,
    deleted: stripeEvent("customer.subscription.deleted", subscription("canceled"), cancelledAt),
    staleUpdate: stripeEvent("customer.subscription.updated", subscription("active"), staleUpdateAt),
  };
}

describe("Stripe webhook ordering", () => {
  it("ends on Stripe's state when a cancellation and an older update are delivered together", async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < 8; trial++) {
      const now = Date.now();
      const { client, deleted, staleUpdate } = await cancelledProTenant(new Date(now), new Date(now - 5_000));
      const together = trial % 2 === 0 ? [deleted, staleUpdate] : [staleUpdate, deleted];
      await deliverTogether(client, together);
      const billing = await client.expectJson(200, "GET", "billing", BillingStatusSchema);
      outcomes.push(`${billing.plan}/${billing.subscription_status}/${billing.current_period_end}`);
    }
    expect(outcomes).toEqual(Array(8).fill("free/canceled/null"));
  });

  it("applies no stale update created in the same second as the cancellation", async () => {
    const second = new Date();
    const { client, deleted, staleUpdate } = await cancelledProTenant(second, second);
    await expectAcknowledged(await sendWebhook(client, deleted));
    await expectAcknowledged(await sendWebhook(client, staleUpdate));
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "free",
      subscription_status: "canceled",
    });
  });

  it("puts a tenant back on Pro when the cancellation arrives after a newer resubscription", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
    const cancelled = subscriptionObject({ id: subscriptionId, customer, status: "canceled", period });
    const nextPeriod = { start: new Date(), end: new Date(Date.now() + 30 * DAY) };
    const renewed = subscriptionObject({
      id: `${subscriptionId}_again`,
      customer,
      status: "active",
      tenantId: tenant.id,
      period: nextPeriod,
      created: new Date(Date.now() + 1000),
    });
    await setStripeSubscription(cancelled);
    await setStripeSubscription(renewed);
    // The new subscription's event first, then the old one's end, all at once.
    const events = [
      stripeEvent("customer.subscription.created", renewed),
      stripeEvent("customer.subscription.deleted", cancelled),
    ];
    await deliverTogether(client, events);
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "pro",
      subscription_status: "active",
      current_period_start: iso(nextPeriod.start),
    });
  });

  it("takes the billing period from the subscription when the checkout completes after it", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const customer = `cus_p_${tenant.id}`;
    // Subscribed yesterday: the period runs a month from then, not to the end of the calendar month.
    const period = { start: new Date(Date.now() - DAY), end: new Date(Date.now() + 29 * DAY) };
    const subscription = subscriptionObject({
      id: `sub_p_${tenant.id}`,
      customer,
      status: "active",
      tenantId: tenant.id,
      period,
    });
    await setStripeSubscription(subscription);
    const now = Date.now();
    const checkout = completedCheckout(tenant.id, customer, subscription.id);
    await expectAcknowledged(
      await sendWebhook(client, stripeEvent("checkout.session.completed", checkout, new Date(now))),
    );
    await expectAcknowledged(
      await sendWebhook(
        client,
        stripeEvent("customer.subscription.created", subscription, new Date(now - 1000)),
      ),
    );
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "pro",
      current_period_start: iso(period.start),
      current_period_end: iso(period.end),
    });
    expect((await client.expectJson(200, "GET", "usage", UsageSchema)).period).toEqual({
      start: iso(period.start),
      end: iso(period.end),
    });
  });

  it("has the period as soon as the checkout completes, before any subscription event", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const customer = `cus_q_${tenant.id}`;
    const period = { start: new Date(Date.now() - 60_000), end: new Date(Date.now() + 30 * DAY) };
    const subscription = subscriptionObject({ id: `sub_q_${tenant.id}`, customer, status: "active", period });
    await setStripeSubscription(subscription);
    const checkout = completedCheckout(tenant.id, customer, subscription.id);
    await expectAcknowledged(await sendWebhook(client, stripeEvent("checkout.session.completed", checkout)));
    expect((await client.expectJson(200, "GET", "usage", UsageSchema)).period).toEqual({
      start: iso(period.start),
      end: iso(period.end),
    });
  });
});

/**
 * A tenant that was Pro as customer A, whose subscription Stripe cancelled (customer A is gone),
 * and that subscribed again through checkout: Ancre made customer B, Stripe holds B's active
 * subscription. Returns the events still to come: B's checkout and a late update about A.
 */
async function resubscribedAsAnotherCustomer() {
  const tenant = await createTenant();
  const client = billingClient(tenant.id);
  const former = await upgradeToPro(client, tenant.id);
  const endedA = subscriptionObject({
    id: former.subscriptionId,
    customer: former.customer,
    status: "canceled",
    tenantId: tenant.id,
    period: former.period,
  });
  await setStripeSubscription(endedA);
  await expectAcknowledged(
    await sendWebhook(
      client,
      stripeEvent("customer.subscription.deleted", endedA, new Date(Date.now() - 2000)),
    ),
  );
  // Customer A is unknown to Stripe now: the checkout makes customer B and records it.
  await client.expectJson(200, "POST", "billing/checkout", CheckoutSessionSchema, {
    json: { success_url: "https://app.example/ok" },
  });
  const customerB = (await findBilling(databaseFor(env.DB), tenant.id))?.stripeCustomerId;
  expect(customerB).not.toBe(former.customer);
  const period = { start: new Date(), end: new Date(Date.now() + 30 * DAY) };
  const subscriptionB = subscriptionObject({
    id: `sub_b_${tenant.id}`,
    customer: customerB!,
    status: "active",
    tenantId: tenant.id,
    period,
  });
  await setStripeSubscription(subscriptionB);
  return {
    tenant,
    client,
    customerB,
    period,
    checkoutB: stripeEvent(
      "checkout.session.completed",
      completedCheckout(tenant.id, customerB!, subscriptionB.id),
    ),
    lateUpdateA: stripeEvent("customer.subscription.updated", endedA, new Date(Date.now() - 1000)),
  };
}

describe("events about a former Stripe customer", () => {
  it("change nothing when they arrive after the tenant subscribed again as another customer", async () => {
    const { tenant, client, customerB, period, checkoutB, lateUpdateA } =
      await resubscribedAsAnotherCustomer();
    await expectAcknowledged(await sendWebhook(client, checkoutB));
    await expectAcknowledged(await sendWebhook(client, lateUpdateA));
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "pro",
      subscription_status: "active",
      current_period_start: iso(period.start),
    });
    expect((await findBilling(databaseFor(env.DB), tenant.id))?.stripeCustomerId).toBe(customerB);
  });

  it("change nothing when they arrive before the new customer's checkout completes", async () => {
    const { tenant, client, customerB, period, checkoutB, lateUpdateA } =
      await resubscribedAsAnotherCustomer();
    await expectAcknowledged(await sendWebhook(client, lateUpdateA));
    expect((await findBilling(databaseFor(env.DB), tenant.id))?.stripeCustomerId).toBe(customerB);
    await expectAcknowledged(await sendWebhook(client, checkoutB));
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "pro",
      subscription_status: "active",
      current_period_start: iso(period.start),
    });
    expect((await findBilling(databaseFor(env.DB), tenant.id))?.stripeCustomerId).toBe(customerB);
  });
});

describe("a failed payment delivered late", () => {
  it("does not mark a subscription whose payment went through since", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
    const subscription = (status: string) =>
      subscriptionObject({ id: subscriptionId, customer, status, tenantId: tenant.id, period });
    // The renewal failed (past_due), Stripe's retry succeeded (active); the failure's event comes last.
    const failedAt = new Date(Date.now() - 5000);
    await setStripeSubscription(subscription("past_due"));
    const failure = stripeEvent(
      "invoice.payment_failed",
      { id: `in_${tenant.id}`, object: "invoice", customer },
      failedAt,
    );
    await setStripeSubscription(subscription("active"));
    await expectAcknowledged(
      await sendWebhook(client, stripeEvent("customer.subscription.updated", subscription("active"))),
    );
    await expectAcknowledged(await sendWebhook(client, failure));
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "pro",
      subscription_status: "active",
      payment_failed_at: null,
    });
  });
});
