import { describe, expect, it } from "vitest";
import { WidgetSessionSchema } from "../../src/routes/widgets/widgets.schemas";
import { apiWithEnv, expectBody, expectProblemBody } from "../helpers/api";
import { createAssistant, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, sessionRequest } from "../helpers/widgets";

async function publishedWidget(allowedOrigins = [SITE]) {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, [], "Shop helper");
  const widget = await publishWidget(tenant, assistant.id, {
    allowed_origins: allowedOrigins,
    greeting: "Welcome",
    suggested_questions: ["Where is my order?"],
  });
  return { tenant, assistant, key: widget.publishable_key! };
}

const refusal = async (response: Response, code: string) => {
  const problem = await expectProblemBody(response, 403);
  expect(problem.code).toBe(code);
  expect(JSON.stringify(problem)).not.toContain("token");
  return problem;
};

describe("opening a visitor session", () => {
  it("answers a token bound to the assistant with the public widget, and keeps a returning visitor", async () => {
    const { assistant, key } = await publishedWidget();
    const session = await openSession(SITE, key);
    expect(session.assistant_id).toBe(assistant.id);
    expect(session.visitor_id).toMatch(/^vis_[0-9a-z]{26}$/);
    expect(session.widget).toEqual({
      title: "Shop helper",
      greeting: "Welcome",
      primary_color: "#2563eb",
      position: "bottom-right",
      language: "auto",
      suggested_questions: ["Where is my order?"],
    });
    const minutes = (Date.parse(session.expires_at) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(session).not.toHaveProperty("publishable_key");
    expect(session).not.toHaveProperty("allowed_origins");

    expect((await openSession(SITE, key, session.visitor_id)).visitor_id).toBe(session.visitor_id);
    const replaced = await openSession(SITE, key, "not-a-visitor-id");
    expect(replaced.visitor_id).toMatch(/^vis_/);
    expect(replaced.visitor_id).not.toBe("not-a-visitor-id");
  });

  it("matches wildcard origins on subdomains only, and ports exactly", async () => {
    const { key } = await publishedWidget(["https://*.customer.example", "http://localhost:5173"]);
    for (const origin of [
      "https://shop.customer.example",
      "https://a.b.customer.example",
      "http://localhost:5173",
    ]) {
      expect((await openSession(origin, key)).token, origin).toBeTruthy();
    }
    for (const origin of [
      "https://customer.example",
      "http://shop.customer.example",
      "https://shop.customer.example:8443",
      "https://evilcustomer.example",
      "https://customer.example.evil.test",
      "http://localhost:3000",
    ]) {
      await refusal(await sessionRequest(origin, { key }), "widget_origin_not_allowed");
    }
  });

  it("refuses a missing or unlisted origin, an unknown or rotated key and a disabled widget, saying which", async () => {
    const { tenant, assistant, key } = await publishedWidget();
    const missing = await refusal(await sessionRequest(null, { key }), "widget_origin_missing");
    expect(missing.detail).toMatch(/Origin/);
    const unlisted = await refusal(
      await sessionRequest("https://evil.example", { key }),
      "widget_origin_not_allowed",
    );
    expect(unlisted.detail).toContain("https://evil.example");
    await refusal(await sessionRequest(SITE, { key: "pk_unknown" }), "widget_key_invalid");
    await refusal(await sessionRequest(SITE, { key: "ak_not_a_widget_key" }), "widget_key_invalid");

    await tenant.client.request("POST", `assistants/${assistant.id}/widget/rotate`);
    await refusal(await sessionRequest(SITE, { key }), "widget_key_invalid");

    const current = await publishWidget(tenant, assistant.id);
    await tenant.client.expectNoContent("DELETE", `assistants/${assistant.id}/widget`);
    await refusal(await sessionRequest(SITE, { key: current.publishable_key! }), "widget_disabled");
  });

  it("limits the sessions one client IP opens per minute, whatever their outcome", async () => {
    const { key } = await publishedWidget();
    const client = apiWithEnv({ WIDGET_SESSIONS_PER_MINUTE_PER_IP: "2" });
    const from = (ip: string, origin = SITE) =>
      client.request("POST", "widget/session", {
        json: { key },
        headers: { origin, "cf-connecting-ip": ip },
      });
    await expectBody(await from("203.0.113.7"), 201, WidgetSessionSchema);
    await refusal(await from("203.0.113.7", "https://evil.example"), "widget_origin_not_allowed");
    const limited = await from("203.0.113.7");
    const problem = await expectProblemBody(limited, 429);
    expect(problem.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectBody(await from("198.51.100.1"), 201, WidgetSessionSchema);
  });
});
