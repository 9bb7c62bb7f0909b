import { log } from "../../lib/log";
import { findBilling } from "../../storage/repositories/billing.repo";
import type { QuotaCall } from "../quotas/quotas.service";
import { isStripeInvalidRequest, type Stripe, stripeClient } from "./stripe-client";

/** Statuses after which Stripe charges nothing more. */
const ENDED_STATUSES = new Set(["canceled", "incomplete_expired"]);

// A tenant keeps a handful of subscriptions over its life; far fewer than a page.
const SUBSCRIPTIONS_READ = 100;

/**
 * Cancels, at once, every subscription of the tenant's Stripe customer that has not ended. It
 * reads them from Stripe rather than trusting the stored state (a webhook may be late), so running
 * it again cancels nothing twice. The customer and its invoices stay in Stripe.
 */
export async function cancelTenantSubscriptions({ ctx, deps }: QuotaCall): Promise<number> {
  const customerId = (await findBilling(deps.db, ctx.tenantId))?.stripeCustomerId;
  if (!customerId) return 0;
  const billing = deps.config.billing;
  if (!billing) {
    log("warn", "billing_not_configured", { tenant_id: ctx.tenantId, stripe_customer_id: customerId });
    return 0;
  }
  const stripe = await stripeClient(billing);
  const { data } = await stripe.subscriptions.list({
    customer: customerId,
    status: "all",
    limit: SUBSCRIPTIONS_READ,
  });
  const live = data.filter((subscription) => !ENDED_STATUSES.has(subscription.status));
  for (const subscription of live) await cancel(stripe, subscription.id);
  return live.length;
}

async function cancel(stripe: Stripe, subscriptionId: string): Promise<void> {
  try {
    await stripe.subscriptions.cancel(subscriptionId);
  } catch (error) {
    if (!isStripeInvalidRequest(error)) throw error;
    // Gone, or ended between the list and this call: either way nothing more is charged.
    if (error.code === "resource_missing") return;
    const current = await stripe.subscriptions.retrieve(subscriptionId);
    if (!ENDED_STATUSES.has(current.status)) throw error;
  }
}
