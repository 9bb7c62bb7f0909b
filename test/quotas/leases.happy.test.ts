import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeferredDraw } from "../../src/context";
import { AppError } from "../../src/errors";
import { calendarMonth } from "../../src/services/quotas/period";
import {
  admit,
  commitQuota,
  getTenantPlan,
  keepPlan,
  readMeters,
  reserveQuota,
  takeRequest,
} from "../../src/services/quotas/quotas.service";
import { stripeEnv } from "../helpers/billing";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createTenant } from "../helpers/tenants";

// Budget leases (docs/architecture.md, "Budget leases"): a request's admission is decided by its
// region's lease holder against a grant carved from the tenant's ledger, exactly.

const REGIONS = ["weur", "apac", "enam"] as const;
const holder = (tenantId: string, region: string) => env.QUOTA_LEASE.getByName(`${tenantId}:${region}`);
const ledger = (tenantId: string) => env.TENANT_QUOTA.getByName(tenantId);

/** What the ledger records as granted to holders, per holder. */
const grantsAtLedger = (tenantId: string) =>
  runInDurableObject(ledger(tenantId), (_instance, state) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ holder: string; granted: number }>(
          "SELECT holder, SUM(granted) AS granted FROM lease_grants GROUP BY holder",
        )
        .toArray()
        .map((row) => [row.holder, row.granted]),
    ),
  );

async function meters(tenantId: string, deps = depsWith()) {
  const ctx = quotaCtx(tenantId);
  const { period } = await getTenantPlan({ ctx, deps });
  return readMeters({ ctx, deps, input: { period } });
}

/** A tenant with `used` of its `limit` messages already counted at the ledger. */
async function tenantWithMessagesUsed(used: number, limits: Record<string, string>) {
  const tenant = await createTenant();
  const deps = depsWith(limits);
  const ctx = quotaCtx(tenant.id);
  const earlier = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: used } } });
  await commitQuota({ ctx, deps, input: { reservationId: earlier.id } });
  return { tenant, deps };
}

/** A Pro tenant (5 messages on Free, 1,000 on Pro) whose `weur` holder holds grants after 6 turns. */
async function proTenantHoldingGrants() {
  const tenant = await createTenant();
  const deps = depsWith({
    ...stripeEnv(),
    MAX_CHAT_MESSAGES_PER_MONTH: "5",
    PRO_MAX_CHAT_MESSAGES_PER_MONTH: "1000",
  });
  const month = calendarMonth(new Date());
  const plan = (name: "free" | "pro", ticket: number) => ({
    plan: name,
    periodStart: month.start,
    periodEnd: month.end,
    ticket,
  });
  const ctx = { ...quotaCtx(tenant.id), region: "weur" };
  await keepPlan({ ctx, deps, input: plan("pro", 1) });
  for (let i = 0; i < 6; i++) {
    const turn = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
    await commitQuota({ ctx, deps, input: { reservationId: turn.id, leased: true } });
  }
  expect((await grantsAtLedger(tenant.id))[`${tenant.id}:weur`]).toBeGreaterThan(0);
  return { tenant, deps, ctx, month, plan };
}

describe("budget leases", () => {
  it.each([1, 2, 3])(
    "lets exactly 500 of 540 concurrent turns through holders of %i region(s) when 500 are left",
    async (regions) => {
      const { tenant, deps } = await tenantWithMessagesUsed(100, {
        MAX_CHAT_MESSAGES_PER_MONTH: "600",
        MAX_REQUESTS_PER_MINUTE_PER_KEY: "100000",
      });
      const draws: DeferredDraw[] = Array.from({ length: 540 }, (_, i) => ({ key: `key:burst${i % 7}` }));
      const ctxOf = (i: number) => ({ ...quotaCtx(tenant.id), region: REGIONS[i % regions]! });
      const attempts = await Promise.allSettled(
        draws.map((draw, i) =>
          reserveQuota({ ctx: { ...ctxOf(i), draw }, deps, input: { amounts: { chat_messages: 1 } } }),
        ),
      );
      const granted = attempts.flatMap((a, i) =>
        a.status === "fulfilled" ? [{ i, reservation: a.value }] : [],
      );
      expect(granted).toHaveLength(500);
      expect(attempts.filter((a) => a.status === "rejected").map((a) => a.reason.code)).toEqual(
        Array(40).fill("quota_exceeded"),
      );
      expect(draws.every((draw) => draw.decision?.allowed)).toBe(true);
      await Promise.all(
        granted.map(({ i, reservation }) =>
          commitQuota({ ctx: ctxOf(i), deps, input: { reservationId: reservation.id, leased: true } }),
        ),
      );
      expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 600, reserved: 0 });
    },
    120_000,
  );

  it("keeps a key's rate one rate across regions: its tokens are leased from one bucket", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "10" });
    const draws: DeferredDraw[] = Array.from({ length: 16 }, () => ({ key: "key:everywhere" }));
    const attempts = await Promise.allSettled(
      draws.map((draw, i) =>
        reserveQuota({
          ctx: { ...quotaCtx(tenant.id), region: REGIONS[i % 2]!, draw },
          deps,
          input: { amounts: { chat_messages: 1 } },
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(10);
    const refused = attempts.flatMap((a) => (a.status === "rejected" ? [a.reason] : []));
    expect(refused.map((reason) => reason.code)).toEqual(Array(6).fill("rate_limited"));
    expect(Number(refused[0].headers["Retry-After"])).toBeGreaterThanOrEqual(1);
  });

  it("gives a holder's unused grant back to the ledger when the holder is idle", async () => {
    const { tenant, deps } = await tenantWithMessagesUsed(100, { MAX_CHAT_MESSAGES_PER_MONTH: "600" });
    const ctx = { ...quotaCtx(tenant.id), region: "weur" };
    const turn = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
    await commitQuota({ ctx, deps, input: { reservationId: turn.id, leased: true } });
    // The holder was granted more than the one message it used: the ledger records it as held.
    const held = (await grantsAtLedger(tenant.id))[`${tenant.id}:weur`];
    expect(held).toBeGreaterThan(1);
    // Held, it cannot be reserved at the ledger by anyone else.
    await expect(
      reserveQuota({ ctx: quotaCtx(tenant.id), deps, input: { amounts: { chat_messages: 499 } } }),
    ).rejects.toMatchObject({ code: "quota_exceeded" });

    // A minute without use later, the holder's alarm gives it back and settles what it used.
    await runInDurableObject(holder(tenant.id, "weur"), (_instance, state) => {
      state.storage.sql.exec("UPDATE lease_budgets SET last_used = last_used - 120000");
    });
    expect(await runDurableObjectAlarm(holder(tenant.id, "weur"))).toBe(true);
    expect((await grantsAtLedger(tenant.id))[`${tenant.id}:weur`]).toBe(0);
    const everythingLeft = await reserveQuota({
      ctx: quotaCtx(tenant.id),
      deps,
      input: { amounts: { chat_messages: 499 } },
    });
    expect(everythingLeft.id).toBeTruthy();
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 101, reserved: 499 });
  });

  it("draws any route's requests from the key's one bucket through the holders of its regions", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "10" });
    const decisions = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        takeRequest({
          ctx: { ...quotaCtx(tenant.id), region: REGIONS[i % 2]! },
          deps,
          input: { key: "key:search" },
        }),
      ),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    for (const region of REGIONS.slice(0, 2)) {
      const leased = await runInDurableObject(holder(tenant.id, region), (_instance, state) =>
        state.storage.sql.exec("SELECT budget FROM lease_budgets").toArray(),
      );
      expect(leased.map((row) => JSON.parse(String(row.budget)))).toContainEqual(
        expect.objectContaining({ kind: "rate", key: "key:search" }),
      );
    }
  });

  it("refuses only when nothing is left anywhere: a dry holder's ledger recalls the others' idle grants", async () => {
    const { tenant, deps } = await tenantWithMessagesUsed(100, { MAX_CHAT_MESSAGES_PER_MONTH: "600" });
    const tokyo = { ...quotaCtx(tenant.id), region: "apac" };
    const paris = { ...quotaCtx(tenant.id), region: "weur" };
    await reserveQuota({ ctx: paris, deps, input: { amounts: { chat_messages: 1 } } });
    expect((await grantsAtLedger(tenant.id))[`${tenant.id}:weur`]).toBeGreaterThan(1);

    // Tokyo takes every other message left, including what Paris held without using.
    const tokyoTurns = await Promise.allSettled(
      Array.from({ length: 499 }, () =>
        reserveQuota({ ctx: tokyo, deps, input: { amounts: { chat_messages: 1 } } }),
      ),
    );
    expect(tokyoTurns.filter((turn) => turn.status === "fulfilled")).toHaveLength(499);
    // Now nothing is left anywhere: both regions are refused, naming the limit.
    for (const ctx of [tokyo, paris]) {
      await expect(
        reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } }),
      ).rejects.toMatchObject({ code: "quota_exceeded", extensions: { limit: 600, remaining: 0 } });
    }
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 100, reserved: 500 });
  });

  it("enforces a downgrade at once: the new plan reaches the holders, whose grants are recalled", async () => {
    const { tenant, deps, ctx, plan } = await proTenantHoldingGrants();
    await keepPlan({ ctx, deps, input: plan("free", 2) });
    expect((await grantsAtLedger(tenant.id))[`${tenant.id}:weur`]).toBe(0);
    await expect(reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } })).rejects.toMatchObject(
      { code: "quota_exceeded", extensions: { limit: 5, plan: "free" } },
    );
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 6, reserved: 0 });
  });

  it("hands the holders a downgrade that only the ledger's periodic re-read of D1 found", async () => {
    const { tenant, deps, ctx, month } = await proTenantHoldingGrants();

    // Billing stored the downgrade in D1 but its push to the ledger was lost; the ledger's copy is
    // old enough to be read again at its next call.
    await env.DB.batch([
      env.DB.prepare("UPDATE tenants SET plan = 'free' WHERE id = ?").bind(tenant.id),
      env.DB.prepare(
        `INSERT INTO tenant_billing (tenant_id, current_period_start, current_period_end, sync_tickets_issued,
           sync_ticket_applied, updated_at) VALUES (?, ?, ?, 2, 2, ?)`,
      ).bind(tenant.id, month.start, month.end, new Date().toISOString()),
    ]);
    await runInDurableObject(ledger(tenant.id), (_instance, state) => {
      state.storage.sql.exec("UPDATE kept_plan SET read_at = 0");
    });
    await ledger(tenant.id).lease({ holder: `${tenant.id}:weur`, batches: [], wants: [] });

    // The re-read runs after the ledger answered; its recall empties the holder's grants.
    for (let poll = 0; poll < 50 && (await grantsAtLedger(tenant.id))[`${tenant.id}:weur`] !== 0; poll++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await grantsAtLedger(tenant.id))[`${tenant.id}:weur`]).toBe(0);
    await expect(reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } })).rejects.toMatchObject(
      { code: "quota_exceeded", extensions: { limit: 5, plan: "free" } },
    );
  });

  it.each([1, 2, 3])(
    "lets exactly 50 of 70 concurrent widget messages through an assistant's window leased to %i region(s)",
    async (regions) => {
      const tenant = await createTenant();
      const deps = depsWith();
      const now = Date.now();
      const hour = 60 * 60 * 1000;
      const windowStart = Math.floor(now / hour) * hour;
      const assistantWindow = {
        key: "widget:assistant:asst_1",
        windowStart,
        windowEnd: windowStart + hour,
        limit: 50,
      };
      const attempts = await Promise.allSettled(
        Array.from({ length: 70 }, (_, i) =>
          admit({
            ctx: { ...quotaCtx(tenant.id), region: REGIONS[i % regions]! },
            deps,
            input: { amounts: { chat_messages: 1 }, windows: [assistantWindow] },
          }),
        ),
      );
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(50);
      expect(attempts.flatMap((a) => (a.status === "rejected" ? [a.reason.code] : []))).toEqual(
        Array(20).fill("quota_exceeded"),
      );
      // Decided by the holders, from grants of the window.
      for (const region of REGIONS.slice(0, regions)) {
        const leased = await runInDurableObject(holder(tenant.id, region), (_instance, state) =>
          state.storage.sql.exec("SELECT budget FROM lease_budgets").toArray(),
        );
        expect(leased.map((row) => JSON.parse(String(row.budget)).kind)).toContain("window");
      }
      // Every holder settles: the ledger counts the 50 events.
      for (const region of REGIONS.slice(0, regions)) await runDurableObjectAlarm(holder(tenant.id, region));
      await ledger(tenant.id).lease({ holder: `${tenant.id}:${REGIONS[0]}`, batches: [], wants: [] });
      const atLedger = await runInDurableObject(ledger(tenant.id), (_instance, state) =>
        state.storage.sql.exec("SELECT used FROM window_counters WHERE key = ?", assistantWindow.key).one(),
      );
      expect(atLedger.used).toBe(50);
    },
    60_000,
  );

  it("counts a visitor's windows and rate and a client IP's sessions in the caller's region alone", async () => {
    const tenant = await createTenant();
    const deps = depsWith();
    const ctx = { ...quotaCtx(tenant.id), region: "apac" };
    const hour = 60 * 60 * 1000;
    const windowStart = Math.floor(Date.now() / hour) * hour;
    const visitorWindow = {
      key: "widget:visitor:asst_1:vis_1",
      windowStart,
      windowEnd: windowStart + hour,
      limit: 3,
      perRegion: true,
    };
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await admit({
          ctx: { ...ctx, draw: { key: "visitor:vis_1", perRegion: true } },
          deps,
          input: {
            windows: [visitorWindow],
            windowRefused: (full) => new AppError("quota_exceeded", `full at ${full.used}`),
          },
        }).then(
          () => "admitted",
          (error: AppError) => error.message,
        ),
      );
    }
    expect(outcomes).toEqual(["admitted", "admitted", "admitted", "full at 3"]);
    for (let i = 0; i < 2; i++)
      await takeRequest({
        ctx,
        deps,
        input: { key: "widget-session:203.0.113.9", perMinute: 2, perRegion: true },
      });
    expect(
      (
        await takeRequest({
          ctx,
          deps,
          input: { key: "widget-session:203.0.113.9", perMinute: 2, perRegion: true },
        })
      ).allowed,
    ).toBe(false);

    const tables = (stub: DurableObjectStub) =>
      runInDurableObject(stub, (_instance, state) => ({
        windows: state.storage.sql
          .exec("SELECT name FROM sqlite_master WHERE name = 'window_counters'")
          .toArray().length
          ? state.storage.sql.exec("SELECT key, used FROM window_counters").toArray()
          : [],
        buckets: state.storage.sql
          .exec("SELECT name FROM sqlite_master WHERE name = 'rate_buckets'")
          .toArray().length
          ? state.storage.sql.exec("SELECT key FROM rate_buckets ORDER BY key").toArray()
          : [],
      }));
    expect(await tables(holder(tenant.id, "apac"))).toEqual({
      windows: [{ key: visitorWindow.key, used: 3 }],
      buckets: [{ key: "visitor:vis_1" }, { key: "widget-session:203.0.113.9" }],
    });
    expect(await tables(ledger(tenant.id))).toEqual({ windows: [], buckets: [] });
  });

  it("counts a batch of usage once however often it is sent (an answer lost on the way)", async () => {
    const { tenant, deps } = await tenantWithMessagesUsed(100, { MAX_CHAT_MESSAGES_PER_MONTH: "600" });
    const ctx = { ...quotaCtx(tenant.id), region: "weur" };
    for (let i = 0; i < 3; i++) {
      const turn = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
      await commitQuota({ ctx, deps, input: { reservationId: turn.id, leased: true } });
    }
    // The holder's batches not yet acknowledged (the usage not settled yet, at least the last
    // commit's), as it would send them again after losing the ledger's answer.
    const { batches } = await holder(tenant.id, "weur").surrender({ collect: true });
    const consumed = batches.flatMap((batch) => batch.items.map((item) => item.consumed));
    expect(consumed.reduce((sum, amount) => sum + amount, 0)).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      await ledger(tenant.id).lease({ holder: `${tenant.id}:weur`, batches, wants: [] });
    }
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 103, reserved: 0 });
  });

  it("loses no usage when a holder restarts: what it committed is in its storage, settled later", async () => {
    const { tenant, deps } = await tenantWithMessagesUsed(100, { MAX_CHAT_MESSAGES_PER_MONTH: "600" });
    const ctx = { ...quotaCtx(tenant.id), region: "apac" };
    const turns = [];
    for (let i = 0; i < 5; i++)
      turns.push(await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } }));
    for (const turn of turns.slice(0, 4))
      await commitQuota({ ctx, deps, input: { reservationId: turn.id, leased: true } });

    // The holder is restarted (its memory lost, its storage kept) before it settled anything.
    await runInDurableObject(holder(tenant.id, "apac"), (_instance, state) => {
      expect(state.storage.sql.exec("SELECT SUM(spent) AS spent FROM lease_budgets").one().spent).toBe(4);
      state.abort("restart");
    }).catch(() => undefined);

    // The fifth turn is answered after the restart; every message counts once.
    await commitQuota({ ctx, deps, input: { reservationId: turns[4]!.id, leased: true } });
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 105, reserved: 0 });
    expect(await commitQuota({ ctx, deps, input: { reservationId: turns[4]!.id, leased: true } })).toBe(
      false,
    );
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 105, reserved: 0 });
  });
});

describe("a deleted tenant's lease holders", () => {
  it("are destroyed with its ledger: a late admission there fails instead of counting", async () => {
    const { tenant, deps } = await tenantWithMessagesUsed(1, { MAX_CHAT_MESSAGES_PER_MONTH: "600" });
    const ctx = { ...quotaCtx(tenant.id), region: "oc" };
    await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
    await ledger(tenant.id).destroy();
    await ledger(tenant.id).destroy();
    await expect(reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } })).rejects.toThrow(
      /no such table|deleted/,
    );
  });
});
