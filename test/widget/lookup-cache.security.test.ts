import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { recentModelledCalls, restoreOutboundFetch } from "../../src/lib/latency-model/latency-model";
import { WidgetSchema, WidgetSessionSchema } from "../../src/routes/widgets/widgets.schemas";
import { apiWithEnv } from "../helpers/api";
import { ask } from "../helpers/chat";
import { createAssistant, createTenant } from "../helpers/tenants";
import { sleep } from "../helpers/text";
import { publishWidget, SITE, type WidgetSession } from "../helpers/widgets";

// The isolate keeps a widget's row, read by its publishable key, for LOOKUP_CACHE_SECONDS (tests
// run with 0 elsewhere), as it keeps an API key's.
const withBound = (seconds: number, extra: Record<string, string> = {}) =>
  apiWithEnv({ LOOKUP_CACHE_SECONDS: String(seconds), ...extra });

const OTHER_SITE = "https://shop.other.example";

async function publishedWidget(body: Record<string, unknown> = {}) {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);
  const widget = await publishWidget(tenant, assistant.id, { allowed_origins: [SITE], ...body });
  return { tenant, assistant, key: widget.publishable_key! };
}

/** A widget page's requests in an isolate whose lookups are kept for `seconds`. */
function page(seconds: number, origin = SITE, extra: Record<string, string> = {}) {
  const client = withBound(seconds, extra);
  return {
    session: (key: string) =>
      client.request("POST", "widget/session", { json: { key }, headers: { origin } }),
    open: (key: string) =>
      client.expectJson(201, "POST", "widget/session", WidgetSessionSchema, {
        json: { key },
        headers: { origin },
      }),
    /** The visitor's conversations, as the widget lists them with its token. */
    conversations: (session: WidgetSession) =>
      client.request("GET", `chat/${session.assistant_id}/conversations`, {
        headers: { origin, authorization: `Bearer ${session.token}` },
      }),
    visitor: (session: WidgetSession) =>
      apiWithEnv(
        { LOOKUP_CACHE_SECONDS: String(seconds), ...extra },
        { origin, authorization: `Bearer ${session.token}` },
      ),
  };
}

/** Changes the widget's row as another isolate would: this isolate's lookups do not hear of it. */
const updateElsewhere = (assistantId: string, column: string, value: string) =>
  env.DB.prepare(`UPDATE widgets SET ${column} = ? WHERE assistant_id = ?`).bind(value, assistantId).run();

afterAll(() => restoreOutboundFetch());

describe("a widget kept by the isolate", () => {
  it("stops the sessions of a key rotated through this isolate at once, though the widget was kept", async () => {
    const { tenant, assistant, key } = await publishedWidget();
    const visitorPage = page(30);
    const session = await visitorPage.open(key);
    expect((await visitorPage.conversations(session)).status).toBe(200);

    await tenant.client.expectJson(200, "POST", `assistants/${assistant.id}/widget/rotate`, WidgetSchema);
    expect((await visitorPage.conversations(session)).status).toBe(401);
    expect((await visitorPage.session(key)).status).toBe(403);
  });

  it("serves a key rotated elsewhere only within the bound, then refuses it and its sessions", async () => {
    const { assistant, key } = await publishedWidget();
    const visitorPage = page(1);
    const session = await visitorPage.open(key);

    await updateElsewhere(assistant.id, "publishable_key", "pk_rotatedelsewhere0000");
    // Within the bound this isolate still knows the widget as it was: that is the staleness allowed.
    expect((await visitorPage.conversations(session)).status).toBe(200);
    await visitorPage.open(key);
    await sleep(1100);
    expect((await visitorPage.conversations(session)).status).toBe(401);
    const refused = await visitorPage.session(key);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("widget_key_invalid");
  });

  it("stops a session on an origin removed elsewhere within the bound", async () => {
    const { assistant, key } = await publishedWidget();
    const visitorPage = page(1);
    const session = await visitorPage.open(key);

    await updateElsewhere(assistant.id, "allowed_origins", JSON.stringify([OTHER_SITE]));
    await sleep(1100);
    const refused = await visitorPage.conversations(session);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("widget_origin_not_allowed");
  });

  it("serves at once an origin allowed or a widget enabled elsewhere: a refusal is decided on the row as it is", async () => {
    const { tenant, assistant, key } = await publishedWidget();
    await page(30).open(key);
    const otherPage = page(30, OTHER_SITE);
    expect((await otherPage.session(key)).status).toBe(403);
    await updateElsewhere(assistant.id, "allowed_origins", JSON.stringify([SITE, OTHER_SITE]));
    await otherPage.open(key);

    await tenant.client.expectNoContent("DELETE", `assistants/${assistant.id}/widget`);
    const disabled = await page(30).session(key);
    expect(((await disabled.json()) as { code: string }).code).toBe("widget_disabled");
    await updateElsewhere(assistant.id, "enabled", "1");
    await page(30).open(key);
  });

  it("counts a visitor's budget exactly, and a limit changed through this isolate applies at once", async () => {
    const { tenant, assistant, key } = await publishedWidget({ budgets: { visitor_messages_per_hour: 2 } });
    const visitorPage = page(30);
    const visitor = visitorPage.visitor(await visitorPage.open(key));
    await ask(visitor, assistant.id, { message: "One" });
    await ask(visitor, assistant.id, { message: "Two" });
    const over = await visitor.expectProblem(429, "POST", `chat/${assistant.id}`, {
      json: { message: "Three" },
    });
    expect(over).toMatchObject({
      code: "quota_exceeded",
      metric: "visitor_messages_per_hour",
      limit: 2,
      used: 2,
    });

    await publishWidget(tenant, assistant.id, {
      allowed_origins: [SITE],
      budgets: { visitor_messages_per_hour: 3 },
    });
    await ask(visitor, assistant.id, { message: "Three" });
    const again = await visitor.expectProblem(429, "POST", `chat/${assistant.id}`, {
      json: { message: "Four" },
    });
    expect(again).toMatchObject({ metric: "visitor_messages_per_hour", limit: 3, used: 3 });
  });

  it("opens a session and answers a turn of a kept widget without a D1 read in the Worker", async () => {
    const { key, assistant } = await publishedWidget();
    const modelled = { ENVIRONMENT: "development", LATENCY_PROFILE: "primary-region" };
    const visitorPage = page(30, SITE, modelled);
    const d1Reads = async (work: () => Promise<unknown>) => {
      const before = recentModelledCalls().at(-1);
      await work();
      const calls = recentModelledCalls();
      return calls
        .slice(before ? calls.lastIndexOf(before) + 1 : 0)
        .filter((call) => call.binding.startsWith("d1.") && call.site === "worker")
        .map(({ binding, op }) => `${binding} ${op}`);
    };
    const session = await visitorPage.open(key);
    expect(await d1Reads(() => visitorPage.open(key))).toEqual([]);
    // The token's check and the budgets share the widget, and the assistant was kept: no read at all.
    const visitor = visitorPage.visitor(session);
    await ask(visitor, assistant.id, { message: "Warm-up" });
    const reads = await d1Reads(() => ask(visitor, assistant.id, { message: "Warm" }));
    expect(reads).toEqual([]);
  });
});
