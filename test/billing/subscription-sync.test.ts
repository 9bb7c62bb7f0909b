import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { databaseFor } from "../../src/storage/db";
import {
  applySubscriptionState,
  findBilling,
  findPlanAndPeriod,
  type SubscriptionState,
  saveCustomerId,
  takeSyncTicket,
} from "../../src/storage/repositories/billing.repo";
import { createTenant } from "../helpers/tenants";

const db = databaseFor(env.DB);
const at = () => new Date().toISOString();
const eventRecord = (tenantId: string) => ({
  id: `evt_sync_${crypto.randomUUID()}`,
  type: "customer.subscription.updated",
  tenantId,
  at: at(),
});

const ticketFor = async (tenantId: string) => (await takeSyncTicket(db, tenantId, at())).ticket;

/** What a delivery read from Stripe under `ticket`. */
function reading(tenantId: string, ticket: number, status: "active" | "canceled"): SubscriptionState {
  const active = status === "active";
  return {
    tenantId,
    ticket,
    plan: active ? "pro" : "free",
    fields: {
      stripeCustomerId: `cus_sync_${tenantId}`,
      stripeSubscriptionId: `sub_sync_${tenantId}`,
      subscriptionStatus: status,
      currentPeriodStart: active ? "2026-11-01T00:00:00.000Z" : null,
      currentPeriodEnd: active ? "2026-12-01T00:00:00.000Z" : null,
    },
  };
}

describe("subscription state sync", () => {
  it("hands out increasing tickets, even to concurrent deliveries", async () => {
    const tenant = await createTenant();
    const tickets = await Promise.all(Array.from({ length: 6 }, () => ticketFor(tenant.id)));
    expect([...tickets].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("never lets an earlier reading of Stripe overwrite a later one that landed first", async () => {
    const tenant = await createTenant();
    const earlier = await ticketFor(tenant.id);
    const later = await ticketFor(tenant.id);
    // The later delivery saw the cancellation and wrote first; the earlier one's write arrives late.
    expect(
      await applySubscriptionState(db, eventRecord(tenant.id), reading(tenant.id, later, "canceled")),
    ).toBe(true);
    expect(
      await applySubscriptionState(db, eventRecord(tenant.id), reading(tenant.id, earlier, "active")),
    ).toBe(false);
    expect((await findBilling(db, tenant.id))?.subscriptionStatus).toBe("canceled");
    expect(await findPlanAndPeriod(db, tenant.id)).toEqual({
      plan: "free",
      periodStart: null,
      periodEnd: null,
    });
  });

  it("lets a later reading replace an earlier one", async () => {
    const tenant = await createTenant();
    const earlier = await ticketFor(tenant.id);
    const later = await ticketFor(tenant.id);
    await applySubscriptionState(db, eventRecord(tenant.id), reading(tenant.id, earlier, "canceled"));
    await applySubscriptionState(db, eventRecord(tenant.id), reading(tenant.id, later, "active"));
    expect(await findPlanAndPeriod(db, tenant.id)).toMatchObject({
      plan: "pro",
      periodStart: "2026-11-01T00:00:00.000Z",
    });
  });

  it("stores no reading of a customer that a checkout replaced after the ticket was taken", async () => {
    const tenant = await createTenant();
    await saveCustomerId(db, tenant.id, `cus_sync_${tenant.id}`, at());
    const taken = await takeSyncTicket(db, tenant.id, at());
    expect(taken.customerId).toBe(`cus_sync_${tenant.id}`);
    // The reading of the former customer's subscriptions lands after the new customer was recorded.
    await saveCustomerId(db, tenant.id, `cus_new_${tenant.id}`, at());
    expect(
      await applySubscriptionState(db, eventRecord(tenant.id), reading(tenant.id, taken.ticket, "canceled")),
    ).toBe(false);
    expect(await findBilling(db, tenant.id)).toMatchObject({
      stripeCustomerId: `cus_new_${tenant.id}`,
      subscriptionStatus: null,
    });
  });
});
