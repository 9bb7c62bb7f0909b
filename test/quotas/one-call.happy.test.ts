import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeferredDraw } from "../../src/context";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { calendarMonth } from "../../src/services/quotas/period";
import {
  commitQuota,
  getTenantPlan,
  readMeters,
  reserveQuota,
} from "../../src/services/quotas/quotas.service";
import { apiWithEnv } from "../helpers/api";
import { stripeEnv, upgradeToPro } from "../helpers/billing";
import { type Call, depsWith, quotaCtx, recording } from "../helpers/quotas";
import { createAssistant, createTenant } from "../helpers/tenants";

async function meters(tenantId: string, deps = depsWith()) {
  const ctx = quotaCtx(tenantId);
  const { period } = await getTenantPlan({ ctx, deps });
  return readMeters({ ctx, deps, input: { period } });
}

describe("one call to the tenant's object per request", () => {
  it("draws the rate limit and reserves the turn in one call, counted once", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "chat" },
    });
    const calls: Call[] = [];
    const client = apiWithEnv(
      {
        TENANT_QUOTA: recording(env.TENANT_QUOTA, calls),
        QUOTA_LEASE: recording(env.QUOTA_LEASE, calls, "lease:"),
        MAX_REQUESTS_PER_MINUTE_PER_KEY: "30",
      },
      { authorization: `Bearer ${key}` },
    );
    for (const path of [`chat/${assistant.id}/stream`, `chat/${assistant.id}`, "openai/chat/completions"]) {
      calls.length = 0;
      const body = path.startsWith("openai")
        ? { model: assistant.id, messages: [{ role: "user", content: "What is in the docs?" }] }
        : { message: "What is in the docs?" };
      const response = await client.request("POST", path, { json: body });
      expect(response.status, path).toBe(200);
      await response.text();
      // Before the answer: one call, to the caller's lease holder, which drew the request and
      // reserved the turn. The answer's commit comes after it (from the conversation object's own
      // binding for /chat, not recorded here; from the request for OpenAI's).
      const before = calls.filter((call) => !call.method.endsWith("commit"));
      expect(
        before.map((call) => call.method),
        path,
      ).toEqual(["lease:admit"]);
      expect(before[0]!.input, path).toMatchObject({
        rate: { key: expect.stringMatching(/^key:/) },
        reserve: { amounts: { chat_messages: 1 } },
      });
      expect(response.headers.get("RateLimit-Limit"), path).toBe("30");
    }
    expect((await meters(tenant.id)).chat_messages).toMatchObject({ used: 3, reserved: 0 });

    // A request whose route makes no reservation still makes one call, its draw, to the holder too.
    calls.length = 0;
    expect((await client.request("GET", "collections")).status).toBe(200);
    expect(calls.map((call) => call.method)).toEqual(["lease:admit"]);
    expect(calls[0]!.input).toEqual({
      policy: expect.anything(),
      rate: { key: expect.stringMatching(/^key:/) },
    });
  });

  it("lets exactly 500 of 540 concurrent turns through when 500 messages are left", async () => {
    const tenant = await createTenant();
    const deps = depsWith({ MAX_CHAT_MESSAGES_PER_MONTH: "600", MAX_REQUESTS_PER_MINUTE_PER_KEY: "100000" });
    const ctx = quotaCtx(tenant.id);
    const earlier = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: 100 } } });
    await commitQuota({ ctx, deps, input: { reservationId: earlier.id } });

    // Each as a chat request makes it: its rate-limit draw taken along with the reservation.
    const draws: DeferredDraw[] = Array.from({ length: 540 }, (_, i) => ({ key: `key:burst${i % 7}` }));
    const attempts = await Promise.allSettled(
      draws.map((draw) =>
        reserveQuota({ ctx: { ...ctx, draw }, deps, input: { amounts: { chat_messages: 1 } } }),
      ),
    );
    const granted = attempts.filter((a) => a.status === "fulfilled").map((a) => a.value);
    expect(granted).toHaveLength(500);
    expect(attempts.filter((a) => a.status === "rejected").map((a) => a.reason.code)).toEqual(
      Array(40).fill("quota_exceeded"),
    );
    expect(draws.every((draw) => draw.decision?.allowed)).toBe(true);
    await Promise.all(
      granted.map((reservation) => commitQuota({ ctx, deps, input: { reservationId: reservation.id } })),
    );
    expect((await meters(tenant.id, deps)).chat_messages).toMatchObject({ used: 600, reserved: 0 });
  }, 120_000);

  it("runs the next chat on a new plan at once: billing hands the plan to the object", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const client = apiWithEnv(
      { ...stripeEnv(), MAX_CHAT_MESSAGES_PER_MONTH: "2", PRO_MAX_CHAT_MESSAGES_PER_MONTH: "5" },
      { "x-tenant-id": tenant.id },
    );
    const chat = () =>
      client.request("POST", `chat/${assistant.id}`, { json: { message: "What is in the docs?" } });
    // The object keeps the free plan once it has served a chat.
    expect((await chat()).status).toBe(200);
    expect((await chat()).status).toBe(200);
    const refused = await chat();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: "quota_exceeded", limit: 2, plan: "free" });

    // A subscription whose period is this calendar month: the same counter, a higher limit.
    const month = calendarMonth(new Date());
    await upgradeToPro(client, tenant.id, { start: new Date(month.start), end: new Date(month.end) });
    const after = await chat();
    expect(after.status).toBe(200);
    expect((await meters(tenant.id, depsWith(stripeEnv()))).chat_messages).toMatchObject({ used: 3 });
  });
});
