import { describe, expect, it } from "vitest";
import { WidgetSchema } from "../../src/routes/widgets/widgets.schemas";
import { expectProblemBody } from "../helpers/api";
import { createAssistant, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, sessionRequest } from "../helpers/widgets";

const widgetPath = (assistantId: string) => `assistants/${assistantId}/widget`;

async function publishedWidget() {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);
  const widget = await publishWidget(tenant, assistant.id);
  return { tenant, assistant, key: widget.publishable_key! };
}

/** A session refused to a page of `origin` (each from its own IP, so the per-IP limit never answers). */
async function refuse(origin: string, key: string) {
  const response = await sessionRequest(
    origin,
    { key },
    { "cf-connecting-ip": `198.51.100.${origin.length}` },
  );
  expect((await expectProblemBody(response, 403)).code).toBe("widget_origin_not_allowed");
}

describe("the sites a widget refused", () => {
  it("are listed with when each last tried, most recent first, once each", async () => {
    const { tenant, assistant, key } = await publishedWidget();
    const before = new Date().toISOString();
    await refuse("https://shop.example", key);
    await refuse("https://blog.example", key);
    await refuse("https://shop.example", key);
    await openSession(SITE, key);
    const widget = await tenant.client.expectJson(200, "GET", widgetPath(assistant.id), WidgetSchema);
    expect(widget.refused_origins.map(({ origin }) => origin)).toEqual([
      "https://blog.example",
      "https://shop.example",
    ]);
    for (const { last_seen_at } of widget.refused_origins) expect(last_seen_at >= before).toBe(true);
  });

  it("keep only the last 20 distinct origins", async () => {
    const { tenant, assistant, key } = await publishedWidget();
    for (let n = 1; n <= 25; n++) {
      await sessionRequest(`https://site${n}.example`, { key }, { "cf-connecting-ip": `203.0.113.${n}` });
    }
    const widget = await tenant.client.expectJson(200, "GET", widgetPath(assistant.id), WidgetSchema);
    expect(widget.refused_origins).toHaveLength(20);
    expect(widget.refused_origins[0]?.origin).toBe("https://site25.example");
    expect(widget.refused_origins.at(-1)?.origin).toBe("https://site6.example");
  });

  it("are allowed in one call that keeps every other setting, and then open sessions", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const published = await publishWidget(tenant, assistant.id, {
      allowed_origins: [SITE],
      title: "Shop help",
      greeting: "Bonjour",
      suggested_questions: ["Where is my order?"],
    });
    const key = published.publishable_key!;
    await refuse("https://shop.example", key);
    await refuse("https://blog.example", key);
    const allowed = await tenant.client.expectJson(
      200,
      "POST",
      `${widgetPath(assistant.id)}/allowed-origins`,
      WidgetSchema,
      { json: { origin: "https://Shop.example/" } },
    );
    expect(allowed.allowed_origins).toEqual([SITE, "https://shop.example"]);
    expect(allowed.refused_origins.map(({ origin }) => origin)).toEqual(["https://blog.example"]);
    expect(allowed).toMatchObject({
      enabled: true,
      publishable_key: key,
      title: "Shop help",
      greeting: "Bonjour",
      suggested_questions: ["Where is my order?"],
    });
    expect((await openSession("https://shop.example", key)).token).toBeTruthy();
  });

  it("cannot be allowed with a bad origin (said at the field) or before the widget is published", async () => {
    const { tenant, assistant } = await publishedWidget();
    const bad = await tenant.client.expectProblem(
      400,
      "POST",
      `${widgetPath(assistant.id)}/allowed-origins`,
      { json: { origin: "http://shop.example" } },
    );
    expect(bad.errors).toEqual([
      expect.objectContaining({ field: "json.origin", message: expect.stringContaining("must use https") }),
    ]);
    const unpublished = await createAssistant(tenant, []);
    const conflict = await tenant.client.expectProblem(
      409,
      "POST",
      `${widgetPath(unpublished.id)}/allowed-origins`,
      { json: { origin: "https://shop.example" } },
    );
    expect(conflict.code).toBe("conflict");
  });
});
