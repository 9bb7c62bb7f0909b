import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import {
  commitQuota,
  getTenantPlan,
  readMeters,
  releaseQuota,
  reserveQuota,
} from "../../src/services/quotas/quotas.service";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createTenant } from "../helpers/tenants";
import { sleep } from "../helpers/text";

async function meters(tenantId: string, deps = depsWith()) {
  const ctx = quotaCtx(tenantId);
  const { period } = await getTenantPlan({ ctx, deps });
  return readMeters({ ctx, deps, input: { period } });
}

describe("quota reservations", () => {
  it("lets exactly 50 of 100 concurrent reservations through when 50 are left", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_CHAT_MESSAGES_PER_MONTH: "60" });
    const ctx = quotaCtx(tenant.id);
    const first = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 10 } } });
    await commitQuota({ ctx, deps, input: { reservationId: first.id } });

    const attempts = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1, llm_tokens: 500 } } }),
      ),
    );
    const granted = attempts.filter((a) => a.status === "fulfilled").map((a) => a.value);
    const refused = attempts.filter((a) => a.status === "rejected").map((a) => a.reason);
    expect(granted).toHaveLength(50);
    expect(refused).toHaveLength(50);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(AppError);
      expect(reason).toMatchObject({ code: "quota_exceeded", status: 429 });
      expect(reason.extensions).toMatchObject({ metric: "chat_messages", limit: 60, remaining: 0 });
    }
    // Refused reservations hold nothing: no tokens were reserved for them.
    expect((await meters(tenant.id, deps)).llm_tokens.reserved).toBe(50 * 500);

    await Promise.all(
      granted.map((reservation) =>
        commitQuota({ ctx, deps, input: { reservationId: reservation.id, actual: { llm_tokens: 321 } } }),
      ),
    );
    const after = await meters(tenant.id, deps);
    expect(after.chat_messages).toMatchObject({ used: 60, reserved: 0 });
    expect(after.llm_tokens).toMatchObject({ used: 50 * 321, reserved: 0 });
    await expect(reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } })).rejects.toMatchObject(
      { code: "quota_exceeded" },
    );
  });

  it("gives a failed piece of work's reservation back", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_CHAT_MESSAGES_PER_MONTH: "1" });
    const ctx = quotaCtx(tenant.id);
    const failed = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
    await expect(reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } })).rejects.toMatchObject(
      {
        code: "quota_exceeded",
      },
    );
    expect(await releaseQuota({ ctx, deps, input: { reservationId: failed.id } })).toBe(true);
    expect(await releaseQuota({ ctx, deps, input: { reservationId: failed.id } })).toBe(false);
    // A released reservation cannot be committed afterwards.
    expect(await commitQuota({ ctx, deps, input: { reservationId: failed.id } })).toBe(false);
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 0, reserved: 0 });
    const retry = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
    expect(await commitQuota({ ctx, deps, input: { reservationId: retry.id } })).toBe(true);
    expect((await meters(tenant.id, deps)).chat_messages.used).toBe(1);
  });

  it("reserves all the amounts or none", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_LLM_TOKENS_PER_MONTH: "1000" });
    const ctx = quotaCtx(tenant.id);
    const refused = reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1, llm_tokens: 1001 } } });
    await expect(refused).rejects.toMatchObject({
      code: "quota_exceeded",
      extensions: { metric: "llm_tokens", limit: 1000, requested: 1001 },
    });
    const state = await meters(tenant.id, deps);
    expect(state.chat_messages).toMatchObject({ used: 0, reserved: 0 });
    expect(state.llm_tokens).toMatchObject({ used: 0, reserved: 0 });
  });

  it("commits once however often a commit is repeated, and reserves once per reservation id", async () => {
    const tenant = await createTenant();
    const deps = depsWith();
    const ctx = quotaCtx(tenant.id);
    const input = { amounts: { ingested_pages: 7 }, reservationId: `ingest:doc_x:1:0` };
    const first = await reserveQuota({ ctx, deps, input });
    const again = await reserveQuota({ ctx, deps, input });
    expect(again.id).toBe(first.id);
    expect((await meters(tenant.id, deps)).ingested_pages).toMatchObject({ used: 0, reserved: 7 });
    expect(await commitQuota({ ctx, deps, input: { reservationId: first.id } })).toBe(true);
    expect(await commitQuota({ ctx, deps, input: { reservationId: first.id } })).toBe(false);
    // A re-delivered batch reserves and commits again under the same id: nothing more is counted.
    await reserveQuota({ ctx, deps, input });
    await commitQuota({ ctx, deps, input: { reservationId: first.id } });
    expect((await meters(tenant.id, deps)).ingested_pages).toMatchObject({ used: 7, reserved: 0 });
  });

  it("expires abandoned reservations, and still counts work committed late", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_CHAT_MESSAGES_PER_MONTH: "2" });
    const ctx = quotaCtx(tenant.id);
    const abandoned = await reserveQuota({
      ctx,
      deps,
      input: { amounts: { chat_messages: 2 }, ttlSeconds: 0.2 },
    });
    await expect(reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } })).rejects.toMatchObject(
      {
        code: "quota_exceeded",
      },
    );
    await sleep(300);
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 0, reserved: 0 });
    const next = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 1 } } });
    // The abandoned work did finish after all: it is counted, even over the limit.
    expect(await commitQuota({ ctx, deps, input: { reservationId: abandoned.id } })).toBe(true);
    await commitQuota({ ctx, deps, input: { reservationId: next.id } });
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 3, reserved: 0 });
  });

  it("mirrors every committed amount into D1 usage events", async () => {
    const tenant = await createTenant();
    const deps = depsWith();
    const ctx = quotaCtx(tenant.id);
    for (const tokens of [100, 250]) {
      const reservation = await reserveQuota({
        ctx,
        deps,
        input: { amounts: { chat_messages: 1, llm_tokens: 400 } },
      });
      await commitQuota({
        ctx,
        deps,
        input: { reservationId: reservation.id, actual: { llm_tokens: tokens } },
      });
    }
    await deps.quotas.getByName(tenant.id).flush();
    const { results } = await env.DB.prepare(
      "SELECT metric, SUM(amount) AS total, COUNT(*) AS events FROM usage_events WHERE tenant_id = ? GROUP BY metric ORDER BY metric",
    )
      .bind(tenant.id)
      .all<{ metric: string; total: number; events: number }>();
    expect(results).toEqual([
      { metric: "chat_messages", total: 2, events: 2 },
      { metric: "llm_tokens", total: 350, events: 2 },
    ]);
  });

  it("rebuilds a counter it does not hold from the usage mirrored in D1", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_LLM_TOKENS_PER_MONTH: "5000" });
    const { period } = await getTenantPlan({ ctx: quotaCtx(tenant.id), deps });
    // As if the object had been lost: D1 holds this period's usage, the object has never run.
    await env.DB.batch(
      [1500, 2500].map((amount, i) =>
        env.DB.prepare(
          "INSERT INTO usage_events (id, tenant_id, metric, amount, period_start, at) VALUES (?, ?, 'llm_tokens', ?, ?, ?)",
        ).bind(`use_rebuild_${tenant.id}_${i}`, tenant.id, amount, period.start, new Date().toISOString()),
      ),
    );
    expect((await meters(tenant.id, deps)).llm_tokens.used).toBe(4000);
    await expect(
      reserveQuota({ ctx: quotaCtx(tenant.id), deps, input: { amounts: { llm_tokens: 1001 } } }),
    ).rejects.toMatchObject({ code: "quota_exceeded", extensions: { remaining: 1000 } });
  });
});
