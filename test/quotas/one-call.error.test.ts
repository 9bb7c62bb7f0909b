import { describe, expect, it } from "vitest";
import { getTenantPlan, readMeters } from "../../src/services/quotas/quotas.service";
import { apiWithEnv } from "../helpers/api";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createAssistant, createTenant } from "../helpers/tenants";

async function meters(tenantId: string) {
  const deps = depsWith();
  const ctx = quotaCtx(tenantId);
  const { period } = await getTenantPlan({ ctx, deps });
  return readMeters({ ctx, deps, input: { period } });
}

describe("a request that fails after its call to the tenant's object", () => {
  it("gives its reservation back: unknown assistant, unknown conversation, unknown model", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const client = apiWithEnv({ MAX_CHAT_MESSAGES_PER_MONTH: "1" }, { "x-tenant-id": tenant.id });
    const missing = "ast_00000000000000000000000000";
    // The reservation leaves with the reads of the assistant and the conversation, not after them.
    await client.expectProblem(404, "POST", `chat/${missing}`, { json: { message: "Hello?" } });
    await client.expectProblem(404, "POST", `chat/${missing}/stream`, { json: { message: "Hello?" } });
    await client.expectProblem(404, "POST", `chat/${assistant.id}`, {
      json: { message: "Hello?", conversation_id: "cnv_00000000000000000000000000" },
    });
    await client.expectProblem(404, "POST", "openai/chat/completions", {
      json: { model: missing, messages: [{ role: "user", content: "Hello?" }] },
    });
    expect((await meters(tenant.id)).chat_messages).toMatchObject({ used: 0, reserved: 0 });
    // The one message of the plan is still there.
    expect(
      (await client.request("POST", `chat/${assistant.id}`, { json: { message: "Hello?" } })).status,
    ).toBe(200);
    expect((await meters(tenant.id)).chat_messages).toMatchObject({ used: 1, reserved: 0 });
  });

  it("is rate-limited first, and a request refused before its call still draws", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const client = apiWithEnv({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "2" }, { "x-tenant-id": tenant.id });
    // An invalid body never reaches the service: its draw is taken after.
    await client.expectProblem(400, "POST", `chat/${assistant.id}`, { json: { message: "" } });
    expect(
      (await client.request("POST", `chat/${assistant.id}`, { json: { message: "Hello?" } })).status,
    ).toBe(200);
    const limited = await client.request("POST", "chat/ast_00000000000000000000000000", {
      json: { message: "Hello?" },
    });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: "rate_limited", limit: 2 });
    expect((await meters(tenant.id)).chat_messages).toMatchObject({ used: 1, reserved: 0 });
  });
});
