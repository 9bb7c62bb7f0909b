import { createRoute, z } from "@hono/zod-openapi";
import {
  createCheckoutSession,
  createPortalSession,
  getBillingStatus,
  handleStripeWebhook,
} from "../../services/billing/billing.service";
import { jsonBody, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { personCall, tenantCall } from "../tenant-call";
import {
  BillingStatusSchema,
  CheckoutRequestSchema,
  CheckoutSessionSchema,
  PortalRequestSchema,
  SessionSchema,
  WebhookAckSchema,
} from "./billing.schemas";

/** Tenant-scoped billing: status, checkout for the Pro plan, customer portal. */
export const billingRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/billing",
      tags: ["Billing"],
      summary: "The tenant's plan and subscription",
      security: tenantSecurity,
      responses: { 200: jsonContent(BillingStatusSchema, "Plan and subscription"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getBillingStatus(tenantCall(c)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/billing/checkout",
      tags: ["Billing"],
      summary: "A Stripe Checkout page subscribing the tenant to Pro",
      description:
        "Creates the tenant's Stripe customer on first use. Needs a signed-in owner or admin: API keys are refused.",
      security: tenantSecurity,
      request: { body: jsonBody(CheckoutRequestSchema) },
      responses: {
        200: jsonContent(CheckoutSessionSchema, "The Checkout Session"),
        ...problemResponses(403, 404, 409, 502, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const session = await createCheckoutSession({
        ...personCall(c, "admin"),
        input: { successUrl: body.success_url, cancelUrl: body.cancel_url },
      });
      return c.json({ id: session.id, url: session.url }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/billing/portal",
      tags: ["Billing"],
      summary: "A Stripe Customer Portal page to manage or cancel the subscription",
      description: "Needs a signed-in owner or admin: API keys are refused.",
      security: tenantSecurity,
      request: { body: jsonBody(PortalRequestSchema) },
      responses: {
        200: jsonContent(SessionSchema, "The portal session"),
        ...problemResponses(403, 404, 502, 503),
      },
    }),
    async (c) => {
      const session = await createPortalSession({
        ...personCall(c, "admin"),
        input: { returnUrl: c.req.valid("json").return_url },
      });
      return c.json({ url: session.url }, 200);
    },
  );

/** Stripe's webhook: no credentials, the Stripe-Signature header proves the sender. */
export const billingWebhookRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/billing/webhook",
    tags: ["Billing"],
    summary: "Stripe webhook endpoint (signed by Stripe)",
    security: [],
    description:
      "Handles checkout.session.completed, customer.subscription.created|updated|deleted and invoice.payment_failed. Each event id is processed once; replays are acknowledged.",
    // No body schema: a validator would parse and re-serialise the JSON, and the signature covers
    // the exact bytes Stripe sent.
    request: { headers: z.object({ "stripe-signature": z.string().optional() }) },
    responses: {
      200: jsonContent(WebhookAckSchema, "Acknowledged"),
      ...problemResponses(503),
    },
  }),
  async (c) => {
    const outcome = await handleStripeWebhook({
      deps: c.var.deps,
      input: {
        payload: new Uint8Array(await c.req.arrayBuffer()),
        signature: c.req.header("stripe-signature"),
      },
    });
    return c.json(outcome, 200);
  },
);
