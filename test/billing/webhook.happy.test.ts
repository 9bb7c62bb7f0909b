import { describe, expect, it } from "vitest";
import { BillingStatusSchema } from "../../src/routes/billing/billing.routes";
import { UsageSchema } from "../../src/routes/usage/usage.routes";
import type { ApiClient } from "../helpers/api";
import {
  billingClient,
  changeSubscription,
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

async function deliver(client: ApiClient, event: ReturnType<typeof stripeEvent>) {
  return expectAcknowledged(await sendWebhook(client, event));
}

describe("Stripe webhook", () => {
  it("puts the tenant on Pro as soon as the checkout completes", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    expect((await client.expectJson(200, "GET", "usage", UsageSchema)).plan).toBe("free");
    const period = { start: new Date(), end: new Date(Date.now() + 30 * DAY) };
    await setStripeSubscription(
      subscriptionObject({ id: "sub_a", customer: `cus_a_${tenant.id}`, status: "active", period }),
    );
    const outcome = await deliver(
      client,
      stripeEvent("checkout.session.completed", completedCheckout(tenant.id, `cus_a_${tenant.id}`, "sub_a")),
    );
    expect(outcome).toEqual({ received: true, duplicate: false });
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.plan).toBe("pro");
    expect(usage.metrics.documents.limit).toBe(10_000);
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      plan: "pro",
      has_customer: true,
      subscription_status: "active",
    });
  });

  it("follows the subscription: its period, past_due, then cancellation", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const period = { start: new Date(Date.now() - 2 * DAY), end: new Date(Date.now() + 28 * DAY) };
    const { customer, subscriptionId } = await upgradeToPro(client, tenant.id, period);
    // Whole seconds, as Stripe sends them.
    const iso = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.period).toEqual({ start: iso(period.start), end: iso(period.end) });
    expect(usage.metrics.chat_messages.resets_at).toBe(iso(period.end));

    const subscription = (status: string) =>
      subscriptionObject({ id: subscriptionId, customer, status, period });
    await expectAcknowledged(
      await changeSubscription(client, "customer.subscription.updated", subscription("past_due")),
    );
    expect((await client.expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe("pro");

    await expectAcknowledged(
      await changeSubscription(client, "customer.subscription.deleted", subscription("canceled")),
    );
    const after = await client.expectJson(200, "GET", "billing", BillingStatusSchema);
    expect(after).toMatchObject({ plan: "free", subscription_status: "canceled", current_period_end: null });
    expect((await client.expectJson(200, "GET", "usage", UsageSchema)).metrics.documents.limit).toBe(100);
  });

  it("records a failed payment and leaves the plan to the subscription events", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
    // As Stripe does when a renewal fails: the subscription is past due while it retries.
    await setStripeSubscription(
      subscriptionObject({ id: subscriptionId, customer, status: "past_due", tenantId: tenant.id, period }),
    );
    await deliver(client, stripeEvent("invoice.payment_failed", { id: "in_1", object: "invoice", customer }));
    const status = await client.expectJson(200, "GET", "billing", BillingStatusSchema);
    expect(status.plan).toBe("pro");
    expect(status.subscription_status).toBe("past_due");
    expect(status.payment_failed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("finds the tenant by its customer when the metadata is missing, and ignores strangers", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
    const cancel = subscriptionObject({ id: subscriptionId, customer, status: "canceled", period });
    await expectAcknowledged(await changeSubscription(client, "customer.subscription.deleted", cancel));
    expect((await client.expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe("free");

    const stranger = subscriptionObject({ id: "sub_x", customer: "cus_nobody", status: "active", period });
    expect(await deliver(client, stripeEvent("customer.subscription.created", stranger))).toEqual({
      received: true,
      duplicate: false,
    });
    const unknownType = stripeEvent("customer.created", { id: "cus_new", object: "customer" });
    expect((await deliver(client, unknownType)).received).toBe(true);
  });

  it("keeps a subscription to another price off the Pro plan", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const other = subscriptionObject({
      id: "sub_other",
      customer: `cus_o_${tenant.id}`,
      status: "active",
      tenantId: tenant.id,
      priceId: "price_something_else",
      period: { start: new Date(), end: new Date(Date.now() + 30 * DAY) },
    });
    await expectAcknowledged(await changeSubscription(client, "customer.subscription.created", other));
    expect((await client.expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe("free");
  });
});
