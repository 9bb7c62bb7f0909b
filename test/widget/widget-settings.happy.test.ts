import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WidgetSchema } from "../../src/routes/widgets/widgets.schemas";
import { createAssistant, createTenant } from "../helpers/tenants";
import { publishWidget, SITE } from "../helpers/widgets";

const widgetPath = (assistantId: string) => `assistants/${assistantId}/widget`;

describe("an assistant's widget settings", () => {
  it("reads as disabled defaults, without a key, before it is ever set", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, [], "Support bot");
    const widget = await tenant.client.expectJson(200, "GET", widgetPath(assistant.id), WidgetSchema);
    expect(widget).toEqual({
      enabled: false,
      publishable_key: null,
      allowed_origins: [],
      refused_origins: [],
      title: "Support bot",
      greeting: expect.any(String),
      primary_color: "#2563eb",
      position: "bottom-right",
      language: "auto",
      suggested_questions: [],
      budgets: {
        visitor_messages_per_hour: 20,
        visitor_messages_per_day: 100,
        assistant_messages_per_hour: 500,
        assistant_messages_per_day: 5000,
      },
      created_at: null,
      updated_at: null,
    });
  });

  it("accepts a wildcard below a registrable domain of a public suffix", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const origins = ["https://*.shop.co.uk", "https://*.acme.github.io", "https://*.docs.acme.pages.dev"];
    const widget = await publishWidget(tenant, assistant.id, { allowed_origins: origins });
    expect(widget.allowed_origins).toEqual(origins);
  });

  it("enables with a minted pk_ key, normalised origins and the given settings", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const widget = await publishWidget(tenant, assistant.id, {
      allowed_origins: [
        "HTTPS://WWW.Customer.Example:443/",
        "https://*.Customer.example",
        "http://localhost:5173",
        "https://www.customer.example",
        "https://shop.customer.example:8443",
      ],
      title: "Ask us",
      greeting: "Hi there",
      primary_color: "#AA00FF",
      position: "bottom-left",
      language: "fr",
      suggested_questions: ["What is the return policy?"],
      budgets: { visitor_messages_per_hour: 5 },
    });
    expect(widget.enabled).toBe(true);
    expect(widget.publishable_key).toMatch(/^pk_[0-9a-z]{32}$/);
    expect(widget.allowed_origins).toEqual([
      "https://www.customer.example",
      "https://*.customer.example",
      "http://localhost:5173",
      "https://shop.customer.example:8443",
    ]);
    expect(widget).toMatchObject({
      title: "Ask us",
      greeting: "Hi there",
      primary_color: "#aa00ff",
      position: "bottom-left",
      language: "fr",
      suggested_questions: ["What is the return policy?"],
      budgets: { visitor_messages_per_hour: 5, visitor_messages_per_day: 100 },
    });
    expect(await tenant.client.expectJson(200, "GET", widgetPath(assistant.id), WidgetSchema)).toEqual(
      widget,
    );
  });

  it("keeps its key across PUTs and disabling, and replaces it on rotation", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await publishWidget(tenant, assistant.id);
    const again = await publishWidget(tenant, assistant.id, { allowed_origins: [SITE], title: "Renamed" });
    expect(again.publishable_key).toBe(first.publishable_key);
    expect(again.title).toBe("Renamed");

    await tenant.client.expectNoContent("DELETE", widgetPath(assistant.id));
    const disabled = await tenant.client.expectJson(200, "GET", widgetPath(assistant.id), WidgetSchema);
    expect(disabled).toMatchObject({
      enabled: false,
      publishable_key: first.publishable_key,
      title: "Renamed",
    });

    const rotated = await tenant.client.expectJson(
      200,
      "POST",
      `${widgetPath(assistant.id)}/rotate`,
      WidgetSchema,
    );
    expect(rotated.publishable_key).toMatch(/^pk_/);
    expect(rotated.publishable_key).not.toBe(first.publishable_key);
    expect(rotated.enabled).toBe(false);
    const enabled = await publishWidget(tenant, assistant.id);
    expect(enabled).toMatchObject({ enabled: true, publishable_key: rotated.publishable_key });
  });

  it("goes with its assistant", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    await publishWidget(tenant, assistant.id);
    const count = () =>
      env.DB.prepare("SELECT COUNT(*) AS n FROM widgets WHERE assistant_id = ?")
        .bind(assistant.id)
        .first<{ n: number }>();
    expect((await count())?.n).toBe(1);
    await tenant.client.expectNoContent("DELETE", `assistants/${assistant.id}`);
    expect((await count())?.n).toBe(0);
  });
});
