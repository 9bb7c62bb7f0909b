import { describe, expect, it } from "vitest";
import { AuditEventPageSchema } from "../../src/routes/audit/audit.schemas";
import { billingClient, upgradeToPro } from "../helpers/billing";
import { createTenant } from "../helpers/tenants";

describe("audit log of the plan", () => {
  it("records Stripe putting the tenant on Pro, once, as the system's doing", async () => {
    const tenant = await createTenant();
    const client = billingClient(tenant.id);
    await upgradeToPro(client, tenant.id);
    const events = await client.expectJson(200, "GET", "audit-events", AuditEventPageSchema);
    expect(
      events.data.map((event) => [event.action, event.actor, event.details?.from, event.details?.to]),
    ).toEqual([["plan.changed", { type: "system", id: null }, "free", "pro"]]);
  });
});
