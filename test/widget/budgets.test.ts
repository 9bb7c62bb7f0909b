import { describe, expect, it } from "vitest";
import { ChatResponseSchema } from "../../src/routes/chat/chat.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { expectProblemBody } from "../helpers/api";
import { ask } from "../helpers/chat";
import { createAssistant, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, visitorClient } from "../helpers/widgets";

async function widgetWithBudgets(budgets: Record<string, number>) {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);
  const widget = await publishWidget(tenant, assistant.id, { allowed_origins: [SITE], budgets });
  const newVisitor = async () => visitorClient(await openSession(SITE, widget.publishable_key!));
  return { tenant, assistant, newVisitor };
}

const nextHour = () => new Date(Math.floor(Date.now() / 3_600_000 + 1) * 3_600_000).toISOString();

describe("widget budgets", () => {
  it("stops a visitor over its hourly budget with a 429 saying when it resets; others go on", async () => {
    const { assistant, newVisitor } = await widgetWithBudgets({ visitor_messages_per_hour: 2 });
    const visitor = await newVisitor();
    await ask(visitor, assistant.id, { message: "One" });
    await ask(visitor, assistant.id, { message: "Two" });
    const response = await visitor.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "Three" },
    });
    const problem = await expectProblemBody(response, 429);
    expect(problem).toMatchObject({
      code: "quota_exceeded",
      metric: "visitor_messages_per_hour",
      scope: "visitor",
      limit: 2,
      used: 2,
      resets_at: nextHour(),
    });
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    await ask(await newVisitor(), assistant.id, { message: "Another visitor" });
  });

  it("stops every visitor once the assistant's budget is spent", async () => {
    const { assistant, newVisitor } = await widgetWithBudgets({ assistant_messages_per_day: 3 });
    for (const message of ["One", "Two", "Three"]) await ask(await newVisitor(), assistant.id, { message });
    const problem = await (await newVisitor()).expectProblem(429, "POST", `chat/${assistant.id}`, {
      json: { message: "Four" },
    });
    expect(problem).toMatchObject({
      code: "quota_exceeded",
      metric: "assistant_messages_per_day",
      scope: "assistant",
    });
    expect(Date.parse(String(problem.resets_at))).toBeGreaterThan(Date.now());
  });

  it("counts widget messages against the tenant's plan, as any chat", async () => {
    const { tenant, assistant, newVisitor } = await widgetWithBudgets({});
    const before = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    const visitor = await newVisitor();
    await visitor.expectJson(200, "POST", `chat/${assistant.id}`, ChatResponseSchema, {
      json: { message: "Hi" },
    });
    const after = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(after.metrics.chat_messages.used).toBe(before.metrics.chat_messages.used + 1);
  });
});
