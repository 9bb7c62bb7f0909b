import { describe, expect, it } from "vitest";
import {
  commitQuota,
  getTenantPlan,
  readMeters,
  releaseQuota,
  reserveQuota,
} from "../../src/services/quotas/quotas.service";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createTenant } from "../helpers/tenants";

async function chatMessages(tenantId: string) {
  const deps = depsWith();
  const ctx = quotaCtx(tenantId);
  const { period } = await getTenantPlan({ ctx, deps });
  return (await readMeters({ ctx, deps, input: { period } })).chat_messages;
}

describe("committing a reservation", () => {
  it("counts it once, however often it is committed, and keeps it counted when it is released after", async () => {
    const tenant = await createTenant();
    const deps = depsWith();
    const ctx = quotaCtx(tenant.id);
    const turn = await reserveQuota({
      ctx,
      deps,
      input: { amounts: { chat_messages: 1 }, reservationId: "msg_turn" },
    });
    expect(await commitQuota({ ctx, deps, input: { reservationId: turn.id } })).toBe(true);
    expect(await commitQuota({ ctx, deps, input: { reservationId: turn.id, evenIfReleased: true } })).toBe(
      false,
    );
    expect(await releaseQuota({ ctx, deps, input: { reservationId: turn.id } })).toBe(false);
    expect(await chatMessages(tenant.id)).toMatchObject({ used: 1, reserved: 0 });
  });

  it("counts a released reservation when the work turns out done, once", async () => {
    const tenant = await createTenant();
    const deps = depsWith();
    const ctx = quotaCtx(tenant.id);
    const turn = await reserveQuota({
      ctx,
      deps,
      input: { amounts: { chat_messages: 1 }, reservationId: "msg_turn" },
    });
    expect(await releaseQuota({ ctx, deps, input: { reservationId: turn.id } })).toBe(true);
    // Without saying so, a released reservation stays released (a failed upload, say).
    expect(await commitQuota({ ctx, deps, input: { reservationId: turn.id } })).toBe(false);
    expect(await chatMessages(tenant.id)).toMatchObject({ used: 0, reserved: 0 });
    const actual = { chat_messages: 1 };
    expect(
      await commitQuota({ ctx, deps, input: { reservationId: turn.id, actual, evenIfReleased: true } }),
    ).toBe(true);
    expect(
      await commitQuota({ ctx, deps, input: { reservationId: turn.id, actual, evenIfReleased: true } }),
    ).toBe(false);
    expect(await chatMessages(tenant.id)).toMatchObject({ used: 1, reserved: 0 });
  });
});
