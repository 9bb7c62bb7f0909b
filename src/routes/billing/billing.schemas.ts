import { z } from "@hono/zod-openapi";
import { planNames } from "../../services/plans/plans.service";

const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const BillingStatusSchema = z
  .object({
    configured: z
      .boolean()
      .openapi({ description: "false: no STRIPE_SECRET_KEY, everyone is on free limits" }),
    plan: z.enum(planNames),
    has_customer: z.boolean(),
    subscription_status: z
      .string()
      .nullable()
      .openapi({ description: "Stripe's: active, past_due, canceled…" }),
    current_period_start: z.string().datetime().nullable(),
    current_period_end: z.string().datetime().nullable(),
    payment_failed_at: z.string().datetime().nullable(),
  })
  .openapi("BillingStatus");

export const CheckoutRequestSchema = z
  .object({
    success_url: httpUrl.openapi({ description: "Where Stripe sends the customer after paying" }),
    cancel_url: httpUrl
      .optional()
      .openapi({ description: "Where Stripe sends a customer who gives up; default success_url" }),
  })
  .openapi("CheckoutRequest");

export const PortalRequestSchema = z
  .object({ return_url: httpUrl.openapi({ description: "Where the portal's back link leads" }) })
  .openapi("PortalRequest");

export const SessionSchema = z
  .object({
    url: z.string().url().openapi({ description: "Send the user's browser here" }),
  })
  .openapi("BillingSession");

export const CheckoutSessionSchema = SessionSchema.extend({ id: z.string() });

export const WebhookAckSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });
