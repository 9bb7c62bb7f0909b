import { describe, expect, inject, it } from "vitest";
import {
  BillingStatusSchema,
  CheckoutSessionSchema,
  SessionSchema,
} from "../../src/routes/billing/billing.routes";
import { billingClient, stripeRequests, upgradeToPro } from "../helpers/billing";
import { createTenant } from "../helpers/tenants";

async function requestsFor(tenantId: string) {
  return (await stripeRequests()).filter(
    (r) => r.params.metadata?.tenant_id === tenantId || r.params.client_reference_id === tenantId,
  );
}

describe("Stripe checkout and portal", () => {
  it("creates the tenant's customer and a Pro checkout session, then reuses the customer", async () => {
    const tenant = await createTenant("Acme");
    const client = billingClient(tenant.id);
    const session = await client.expectJson(200, "POST", "billing/checkout", CheckoutSessionSchema, {
      json: { success_url: "https://app.example/billing/done", cancel_url: "https://app.example/billing" },
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`https://checkout.stripe.test/c/pay/${session.id}`);

    const [createCustomer, createSession] = await requestsFor(tenant.id);
    expect(createCustomer).toMatchObject({
      method: "POST",
      path: "/v1/customers",
      params: { name: "Acme", metadata: { tenant_id: tenant.id } },
    });
    expect(createCustomer!.idempotencyKey).toBe(`ancre-customer-${tenant.id}-first`);
    expect(createSession).toMatchObject({
      method: "POST",
      path: "/v1/checkout/sessions",
      params: {
        mode: "subscription",
        client_reference_id: tenant.id,
        line_items: [{ price: inject("stripe").priceIdPro, quantity: "1" }],
        success_url: "https://app.example/billing/done",
        cancel_url: "https://app.example/billing",
        metadata: { tenant_id: tenant.id },
        subscription_data: { metadata: { tenant_id: tenant.id } },
      },
    });
    const status = await client.expectJson(200, "GET", "billing", BillingStatusSchema);
    expect(status).toMatchObject({ configured: true, plan: "free", has_customer: true });

    // A second checkout reuses the customer: it is retrieved, not created again.
    const before = (await stripeRequests()).length;
    const again = await client.expectJson(200, "POST", "billing/checkout", CheckoutSessionSchema, {
      json: { success_url: "https://app.example/billing/done" },
    });
    const customerId = createSession!.params.customer as string;
    // The fake serves other test files at the same time: only this customer's requests count.
    const later = (await stripeRequests())
      .slice(before)
      .filter((r) => r.path.endsWith(customerId) || r.params.customer === customerId);
    expect(later.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/customers/${customerId}`,
      "POST /v1/checkout/sessions",
    ]);
    expect(later[1]!.params).toMatchObject({
      customer: customerId,
      cancel_url: "https://app.example/billing/done",
    });
    expect(again.id).not.toBe(session.id);
  });

  it("replaces a customer Stripe deleted", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    await client.expectJson(200, "POST", "billing/checkout", CheckoutSessionSchema, {
      json: { success_url: "https://app.example/ok" },
    });
    const checkout = (await requestsFor(tenant.id)).find((r) => r.path === "/v1/checkout/sessions");
    const first = checkout!.params.customer as string;
    const fake = inject("stripe");
    await fetch(`${fake.apiBase}/v1/customers/${first}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${fake.secretKey}` },
    });

    await client.expectJson(200, "POST", "billing/portal", SessionSchema, {
      json: { return_url: "https://app.example/x" },
    });
    const creations = (await requestsFor(tenant.id)).filter((r) => r.path === "/v1/customers");
    expect(creations).toHaveLength(2);
    expect(creations[1]!.idempotencyKey).toBe(`ancre-customer-${tenant.id}-${first}`);
  });

  it("opens the customer portal for the tenant's customer", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const portal = await client.expectJson(200, "POST", "billing/portal", SessionSchema, {
      json: { return_url: "https://app.example/settings" },
    });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\/bps_/);
    const log = await stripeRequests();
    const customer = log.find(
      (r) => r.path === "/v1/customers" && r.params.metadata?.tenant_id === tenant.id,
    );
    expect(customer).toBeDefined();
    const portalRequest = log.filter((r) => r.path === "/v1/billing_portal/sessions").at(-1);
    expect(portalRequest!.params.return_url).toBe("https://app.example/settings");
  });

  it("sends a tenant already on Pro to the portal instead of a second subscription", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    await upgradeToPro(client, tenant.id);
    const problem = await client.expectProblem(409, "POST", "billing/checkout", {
      json: { success_url: "https://app.example/ok" },
    });
    expect(problem.code).toBe("conflict");
  });
});
