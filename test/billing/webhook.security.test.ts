import { describe, expect, it } from "vitest";
import { BillingStatusSchema } from "../../src/routes/billing/billing.schemas";
import { expectProblemBody } from "../helpers/api";
import {
  billingClient,
  completedCheckout,
  sendWebhook,
  setStripeSubscription,
  stripeEvent,
  subscriptionObject,
  upgradeToPro,
} from "../helpers/billing";
import { countOf } from "../helpers/db";
import { createTenant } from "../helpers/tenants";

const processed = (eventId: string) =>
  countOf("SELECT COUNT(*) AS n FROM stripe_events WHERE id = ?", eventId);

describe("Stripe webhook security", () => {
  it("needs no credentials, only Stripe's signature", async () => {
    const tenant = await createTenant();
    await setStripeSubscription(
      subscriptionObject({
        id: `sub_${tenant.id}`,
        customer: `cus_${tenant.id}`,
        status: "active",
        period: { start: new Date(), end: new Date(Date.now() + 30 * 86_400_000) },
      }),
    );
    const event = stripeEvent(
      "checkout.session.completed",
      completedCheckout(tenant.id, `cus_${tenant.id}`, "sub"),
    );
    const response = await sendWebhook(billingClient(), event);
    expect(response.status).toBe(200);
    expect((await billingClient(tenant.id).expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe(
      "pro",
    );
  });

  it("refuses forged, tampered, stale and unsigned events, and changes nothing", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const event = stripeEvent(
      "checkout.session.completed",
      completedCheckout(tenant.id, `cus_${tenant.id}`, "sub"),
    );
    const attempts = {
      "signed with another secret": await sendWebhook(billingClient(), event, { secret: "whsec_forged" }),
      "tampered after signing": await sendWebhook(billingClient(), event, {
        payload: JSON.stringify({ ...event, id: `${event.id}_2` }),
      }),
      "signed 10 minutes ago": await sendWebhook(billingClient(), event, {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      }),
      unsigned: await billingClient().request("POST", "billing/webhook", {
        body: JSON.stringify(event),
        headers: { "content-type": "application/json" },
      }),
    };
    for (const [how, response] of Object.entries(attempts)) {
      expect((await expectProblemBody(response, 400, how)).code, how).toBe("bad_request");
    }
    expect(await processed(event.id)).toBe(0);
    expect((await client.expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe("free");
  });

  it("acknowledges a replayed event and ignores it", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const upgrade = stripeEvent(
      "checkout.session.completed",
      completedCheckout(tenant.id, `cus_${tenant.id}`, "sub"),
    );
    const first = await sendWebhook(billingClient(), upgrade);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    // The tenant cancels; then Stripe (or an attacker replaying a captured request) sends the upgrade again.
    const { customer, subscriptionId, period } = await upgradeToPro(client, tenant.id);
    const cancelled = subscriptionObject({
      id: subscriptionId,
      customer,
      status: "canceled",
      tenantId: tenant.id,
      period,
    });
    await setStripeSubscription(cancelled);
    const cancel = stripeEvent("customer.subscription.deleted", cancelled);
    expect((await sendWebhook(billingClient(), cancel)).status).toBe(200);

    const replays = await Promise.all([
      sendWebhook(billingClient(), upgrade),
      sendWebhook(billingClient(), cancel),
    ]);
    for (const replay of replays) {
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: true, duplicate: true });
    }
    expect((await client.expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe("free");
    expect(await processed(upgrade.id)).toBe(1);
  });

  it("processes an event delivered twice at once exactly once", async () => {
    const tenant = await createTenant();
    const event = stripeEvent(
      "checkout.session.completed",
      completedCheckout(tenant.id, `cus_${tenant.id}`, "sub"),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, async () => (await sendWebhook(billingClient(), event)).json()),
    );
    expect(outcomes.filter((o: any) => o.duplicate === false)).toHaveLength(1);
    expect(await processed(event.id)).toBe(1);
  });
});
