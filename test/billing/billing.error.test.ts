import { describe, expect, it, vi } from "vitest";
import { BillingStatusSchema } from "../../src/routes/billing/billing.schemas";
import { TenantDetailsSchema } from "../../src/routes/tenants/tenants.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv, fieldsOf } from "../helpers/api";
import { billingClient, sendWebhook, stripeEnv, stripeEvent, upgradeToPro } from "../helpers/billing";
import { createTenant } from "../helpers/tenants";

describe("billing errors", () => {
  it("answers a clear problem when billing is not configured, and runs everyone on free limits", async () => {
    const tenant = await createTenant();
    // Put the tenant on Pro while billing is on...
    await upgradeToPro(billingClient(), tenant.id);
    // ...then look at it from a Worker without STRIPE_SECRET_KEY (the test configuration).
    const client = tenant.client;
    for (const [path, json] of [
      ["billing/checkout", { success_url: "https://app.example/ok" }],
      ["billing/portal", { return_url: "https://app.example/ok" }],
    ] as const) {
      const problem = await client.expectProblem(503, "POST", path, { json });
      expect(problem.code).toBe("not_configured");
      expect(problem.detail).toMatch(/^Billing is not configured: set STRIPE_SECRET_KEY/);
    }
    const webhook = await sendWebhook(client, stripeEvent("customer.created", { id: "cus_1" }));
    expect(webhook.status).toBe(503);
    expect(await client.expectJson(200, "GET", "billing", BillingStatusSchema)).toMatchObject({
      configured: false,
      plan: "free",
    });
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.plan).toBe("free");
    expect(usage.metrics.documents.limit).toBe(100);
    const details = await client.expectJson(200, "GET", `tenants/${tenant.id}`, TenantDetailsSchema);
    expect(details.limits.assistants).toBe(3);
  });

  it("names the bad field of a checkout or portal request", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    const checkout = await client.expectProblem(400, "POST", "billing/checkout", {
      json: { success_url: "javascript:alert(1)" },
    });
    expect(fieldsOf(checkout)).toEqual(["json.success_url"]);
    const portal = await client.expectProblem(400, "POST", "billing/portal", { json: {} });
    expect(fieldsOf(portal)).toEqual(["json.return_url"]);
  });

  it("turns a Stripe failure into an upstream error", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv(
      { ...stripeEnv(), STRIPE_PRICE_PRO: "price_unknown_to_stripe" },
      { "x-tenant-id": tenant.id },
    );
    const problem = await client.expectProblem(502, "POST", "billing/checkout", {
      json: { success_url: "https://app.example/ok" },
    });
    expect(problem).toMatchObject({
      code: "upstream_error",
      detail: "Stripe could not create the checkout session; try again later",
    });
  });

  it("refuses a contradictory Stripe configuration, naming the variable in the log", async () => {
    const tenant = await createTenant();
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const { STRIPE_PRICE_PRO: _price, ...withoutPrice } = stripeEnv();
    const problem = await apiWithEnv(withoutPrice, { "x-tenant-id": tenant.id }).expectProblem(
      500,
      "GET",
      "usage",
    );
    expect(problem.code).toBe("configuration_invalid");
    expect(log.mock.calls.flat().join(" ")).toMatch(
      /STRIPE_PRICE_PRO: required when STRIPE_SECRET_KEY is set/,
    );
    log.mockRestore();
  });
});
