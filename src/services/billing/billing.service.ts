import type { Deps, TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { log } from "../../lib/log";
import { nowIso } from "../../lib/time";
import {
  applySubscriptionState,
  findBilling,
  findTenantIdByCustomer,
  isStripeEventProcessed,
  recordStripeEvent,
  type StripeEventRecord,
  type SubscriptionState,
  saveCustomerId,
  takeSyncTicket,
} from "../../storage/repositories/billing.repo";
import { tenantAcceptsWrites } from "../../storage/repositories/tenant-deletion.repo";
import { findTenant, type TenantRow } from "../../storage/repositories/tenants.repo";
import { recordAuditEvent } from "../audit/audit.service";
import { effectivePlan, type PlanName } from "../plans/plans.service";
import { keepPlan } from "../quotas/quotas.service";
import {
  type BillingConfig,
  isStripeInvalidRequest,
  type Stripe,
  stripeClient,
  verifiedStripeEvent,
} from "./stripe-client";

/** Subscription statuses that keep the paid plan (past_due: Stripe is still retrying the payment). */
const PAYING_STATUSES = new Set(["active", "trialing", "past_due"]);

/** Statuses of a subscription waiting for a payment: a failed payment is worth showing only then. */
const AWAITING_PAYMENT_STATUSES = new Set(["past_due", "unpaid", "incomplete"]);

function requireBilling(deps: Deps): BillingConfig {
  if (!deps.config.billing) {
    throw new AppError(
      "not_configured",
      "Billing is not configured: set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PRO. Every tenant runs on the free plan.",
    );
  }
  return deps.config.billing;
}

// Stripe's own failures are the upstream's: logged in full under `logTag`, answered briefly.
async function callStripe<T>(logTag: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    log("error", "stripe_failed", { log_tag: logTag, action: what }, error);
    throw new AppError("upstream_error", `Stripe could not ${what}; try again later`);
  }
}

const isMissingResource = (error: unknown) =>
  isStripeInvalidRequest(error) && error.code === "resource_missing";

/** The tenant's Stripe customer: the one on record if Stripe still has it, else a new one. */
async function ensureCustomer(deps: Deps, stripe: Stripe, tenant: TenantRow): Promise<string> {
  const known = (await findBilling(deps.db, tenant.id))?.stripeCustomerId ?? null;
  if (known) {
    const existing = await stripe.customers.retrieve(known).catch((error: unknown) => {
      if (isMissingResource(error)) return undefined;
      throw error;
    });
    if (existing && !existing.deleted) return existing.id;
  }
  const customer = await stripe.customers.create(
    { name: tenant.name, metadata: { tenant_id: tenant.id } },
    // Two concurrent checkouts create one customer; a replaced customer gets a new key.
    { idempotencyKey: `ancre-customer-${tenant.id}-${known ?? "first"}` },
  );
  await saveCustomerId(deps.db, tenant.id, customer.id, nowIso());
  return customer.id;
}

async function tenantOf(ctx: TenantContext, deps: Deps): Promise<TenantRow> {
  const tenant = await findTenant(deps.db, ctx.tenantId);
  if (!tenant) throw notFound("Tenant", ctx.tenantId);
  return tenant;
}

/** A Stripe Checkout Session subscribing the tenant to Pro, for its (new or existing) Stripe customer. */
export async function createCheckoutSession({
  ctx,
  deps,
  input,
}: Verb<{ successUrl: string; cancelUrl?: string }>): Promise<{ id: string; url: string }> {
  const billing = requireBilling(deps);
  const tenant = await tenantOf(ctx, deps);
  const status = (await findBilling(deps.db, tenant.id))?.subscriptionStatus;
  if (tenant.plan === "pro" && status && PAYING_STATUSES.has(status)) {
    throw new AppError("conflict", "The tenant is already on the Pro plan; manage it in the customer portal");
  }
  const stripe = await stripeClient(billing);
  const session = await callStripe(ctx.requestId, "create the checkout session", async () =>
    stripe.checkout.sessions.create({
      mode: "subscription",
      customer: await ensureCustomer(deps, stripe, tenant),
      client_reference_id: tenant.id,
      line_items: [{ price: billing.priceIdPro, quantity: 1 }],
      success_url: input.successUrl,
      cancel_url: input.cancelUrl ?? input.successUrl,
      metadata: { tenant_id: tenant.id },
      subscription_data: { metadata: { tenant_id: tenant.id } },
    }),
  );
  if (!session.url) throw new AppError("upstream_error", "Stripe returned a checkout session without a URL");
  return { id: session.id, url: session.url };
}

/** A Stripe Customer Portal session, where the tenant manages or cancels its subscription. */
export async function createPortalSession({
  ctx,
  deps,
  input,
}: Verb<{ returnUrl: string }>): Promise<{ url: string }> {
  const billing = requireBilling(deps);
  const tenant = await tenantOf(ctx, deps);
  const stripe = await stripeClient(billing);
  const session = await callStripe(ctx.requestId, "open the customer portal", async () =>
    stripe.billingPortal.sessions.create({
      customer: await ensureCustomer(deps, stripe, tenant),
      return_url: input.returnUrl,
    }),
  );
  return { url: session.url };
}

export interface BillingStatus {
  configured: boolean;
  /** The plan in force (free whenever billing is not configured). */
  plan: PlanName;
  has_customer: boolean;
  subscription_status: string | null;
  current_period_start: string | null;
  current_period_end: string | null;
  payment_failed_at: string | null;
}

/** The tenant's plan and subscription as Ancre last heard from Stripe. */
export async function getBillingStatus({
  ctx,
  deps,
}: {
  ctx: TenantContext;
  deps: Deps;
}): Promise<BillingStatus> {
  const tenant = await tenantOf(ctx, deps);
  const billing = await findBilling(deps.db, tenant.id);
  return {
    configured: deps.config.billing !== undefined,
    plan: effectivePlan(deps.config, tenant.plan),
    has_customer: Boolean(billing?.stripeCustomerId),
    subscription_status: billing?.subscriptionStatus ?? null,
    current_period_start: billing?.currentPeriodStart ?? null,
    current_period_end: billing?.currentPeriodEnd ?? null,
    payment_failed_at: billing?.paymentFailedAt ?? null,
  };
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

const isoFromUnix = (seconds: number | null | undefined) =>
  seconds ? new Date(seconds * 1000).toISOString() : null;

// The tenant an event is about: named in the metadata Ancre set, else found by its customer. A
// tenant being deleted is as one that is gone: the event is recorded without it (its deletion's
// own cancellation comes back as such an event).
async function tenantFor(
  deps: Deps,
  named: string | null | undefined,
  customerId: string | null,
): Promise<string | undefined> {
  const id = named || (customerId ? await findTenantIdByCustomer(deps.db, customerId) : undefined);
  return id && (await tenantAcceptsWrites(deps.db, id)) ? id : undefined;
}

/**
 * What an event asks of Ancre: nothing, or a re-read of the tenant's subscriptions (a failed
 * payment is one too, recorded only if Stripe still has the subscription waiting for payment).
 */
type EventEffect = { tenantId: string; customerId: string; paymentFailedAt?: string } | undefined;

async function effectOf(deps: Deps, event: Stripe.Event): Promise<EventEffect> {
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const customerId = idOf(session.customer);
      if (session.mode !== "subscription" || !customerId) return undefined;
      const named = session.client_reference_id ?? session.metadata?.tenant_id;
      const tenantId = await tenantFor(deps, named, customerId);
      return tenantId ? { tenantId, customerId } : undefined;
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const subscription = event.data.object;
      const customerId = idOf(subscription.customer);
      if (!customerId) return undefined;
      const tenantId = await tenantFor(deps, subscription.metadata?.tenant_id, customerId);
      return tenantId ? { tenantId, customerId } : undefined;
    }
    case "invoice.payment_failed": {
      const customerId = idOf(event.data.object.customer);
      const tenantId = await tenantFor(deps, undefined, customerId);
      return tenantId && customerId
        ? { tenantId, customerId, paymentFailedAt: isoFromUnix(event.created)! }
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The tenant's state from its customer's subscriptions as Stripe holds them now (newest first):
 * a paying Pro subscription if there is one, else the newest subscription, whatever its status.
 */
function stateOf(
  billing: BillingConfig,
  customerId: string,
  subscriptions: Stripe.Subscription[],
  paymentFailedAt: string | undefined,
): Omit<SubscriptionState, "tenantId" | "ticket"> {
  const proItem = (subscription: Stripe.Subscription) =>
    subscription.items.data.find((entry) => entry.price.id === billing.priceIdPro);
  const paying = subscriptions.find((s) => proItem(s) && PAYING_STATUSES.has(s.status));
  const current = paying ?? subscriptions[0];
  const item = paying && proItem(paying);
  return {
    plan: paying ? "pro" : "free",
    fields: {
      stripeCustomerId: customerId,
      stripeSubscriptionId: current?.id ?? null,
      subscriptionStatus: current?.status ?? null,
      // The period always comes from the subscription: flow quotas reset at its start.
      currentPeriodStart: isoFromUnix(item?.current_period_start),
      currentPeriodEnd: isoFromUnix(item?.current_period_end),
      ...(current?.status === "active" && { paymentFailedAt: null }),
      // A failure reported late, after the payment went through, is not shown.
      ...(paymentFailedAt && current && AWAITING_PAYMENT_STATUSES.has(current.status) && { paymentFailedAt }),
    },
  };
}

// A tenant keeps a handful of subscriptions over its life; the paying one is among the newest.
const SUBSCRIPTIONS_READ = 20;

/**
 * Brings the tenant's stored subscription state to what Stripe holds now. Stripe delivers events
 * late, twice, out of order and concurrently, and `created` is whole seconds, so the event's
 * payload is only a cue: the subscriptions of the tenant's current customer (the event's only
 * while the tenant has none on record) are re-read, under a ticket taken first, and stored only
 * if no reading under a later ticket has been stored and the customer is still the tenant's. An
 * event about a former customer thus changes nothing.
 */
async function syncSubscriptions(
  deps: Deps,
  billing: BillingConfig,
  event: StripeEventRecord,
  effect: NonNullable<EventEffect>,
): Promise<void> {
  const { ticket, customerId: onRecord } = await takeSyncTicket(deps.db, effect.tenantId, event.at);
  const customerId = onRecord ?? effect.customerId;
  // On failure Stripe retries the event for three days: an error answer is how to be asked again.
  const { data: subscriptions } = await callStripe(event.id, "list the subscriptions", async () =>
    (await stripeClient(billing)).subscriptions.list({
      customer: customerId,
      status: "all",
      limit: SUBSCRIPTIONS_READ,
    }),
  );
  const state = stateOf(billing, customerId, subscriptions, effect.paymentFailedAt);
  const before = await findTenant(deps.db, effect.tenantId);
  const stored = await applySubscriptionState(deps.db, event, {
    tenantId: effect.tenantId,
    ticket,
    ...state,
  });
  if (!stored) return;
  // The tenant's quota object keeps the plan (it reads D1 for it only when it has none): the
  // change is pushed so that the very next request runs on it. Were the push lost, the object
  // reads the plan again within its recheck interval; the event is recorded, so it is not retried.
  await keepPlan({
    ctx: { tenantId: effect.tenantId },
    deps,
    input: {
      plan: state.plan,
      periodStart: state.fields.currentPeriodStart,
      periodEnd: state.fields.currentPeriodEnd,
      ticket,
    },
  }).catch((error: unknown) =>
    console.error(`could not push the plan to ${effect.tenantId}'s quota object`, error),
  );
  if (before && before.plan !== state.plan) {
    await recordAuditEvent({
      ctx: { tenantId: effect.tenantId, actor: "system", requestId: event.id },
      deps,
      input: {
        action: "plan.changed",
        targetType: "tenant",
        targetId: effect.tenantId,
        details: { from: before.plan, to: state.plan, stripe_event: event.id },
      },
    });
  }
}

export interface WebhookOutcome {
  received: true;
  /** The event had been processed before: acknowledged, nothing done. */
  duplicate: boolean;
}

const isUniqueViolation = (error: unknown) => /UNIQUE constraint failed/i.test(String(error));

/**
 * Handles a Stripe webhook: the signature is checked with the SubtleCrypto provider (a bad or
 * missing one is a 400 and changes nothing); each event id is processed once; a plan change is in
 * force for the very next request.
 */
export async function handleStripeWebhook({
  deps,
  input,
}: {
  deps: Deps;
  input: { payload: Uint8Array; signature: string | undefined };
}): Promise<WebhookOutcome> {
  const billing = requireBilling(deps);
  if (!input.signature) throw new AppError("bad_request", "The Stripe-Signature header is missing");
  let event: Stripe.Event;
  try {
    event = await verifiedStripeEvent(input.payload, input.signature, billing.webhookSecret);
  } catch {
    throw new AppError(
      "bad_request",
      "The Stripe-Signature header does not match the payload, or is too old",
    );
  }
  if (await isStripeEventProcessed(deps.db, event.id)) return { received: true, duplicate: true };
  const effect = await effectOf(deps, event);
  const record = { id: event.id, type: event.type, tenantId: effect?.tenantId ?? null, at: nowIso() };
  try {
    if (effect) await syncSubscriptions(deps, billing, record, effect);
    else await recordStripeEvent(deps.db, record);
  } catch (error) {
    // The same event delivered twice at once: the other delivery recorded it.
    if (isUniqueViolation(error)) return { received: true, duplicate: true };
    throw error;
  }
  return { received: true, duplicate: false };
}
