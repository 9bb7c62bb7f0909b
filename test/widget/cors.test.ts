import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";
import { createAssistant, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, sessionRequest, visitorClient } from "../helpers/widgets";

const CONSOLE = "http://localhost:5173"; // in CORS_ALLOWED_ORIGINS of wrangler.toml

const preflight = (path: string, origin: string, method = "POST") =>
  api().request("OPTIONS", path, {
    headers: {
      origin,
      "access-control-request-method": method,
      "access-control-request-headers": "authorization, content-type",
    },
  });

async function sessionOnSite() {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);
  const widget = await publishWidget(tenant, assistant.id);
  return {
    tenant,
    assistant,
    key: widget.publishable_key!,
    session: await openSession(SITE, widget.publishable_key!),
  };
}

describe("CORS of the widget routes", () => {
  it("answers preflights of the session and chat routes for the asking origin, never * nor credentials", async () => {
    const { assistant } = await sessionOnSite();
    for (const path of [
      "widget/session",
      `chat/${assistant.id}/stream`,
      `chat/${assistant.id}/conversations`,
    ]) {
      const response = await preflight(path, SITE);
      expect(response.status, path).toBe(204);
      expect(response.headers.get("access-control-allow-origin"), path).toBe(SITE);
      expect(response.headers.get("access-control-allow-credentials"), path).toBeNull();
      expect(response.headers.get("vary"), path).toContain("Origin");
    }
    const chat = await preflight(`chat/${assistant.id}`, SITE);
    expect(chat.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(chat.headers.get("access-control-allow-headers")).toMatch(/Last-Event-ID/);
    expect(chat.headers.get("access-control-allow-methods")).toBe("GET, POST, PUT, DELETE");
  });

  it("lets only the token's origin read chat answers", async () => {
    const { assistant, session } = await sessionOnSite();
    const fromSite = await visitorClient(session).request("POST", `chat/${assistant.id}`, {
      json: { message: "Hi" },
    });
    expect(fromSite.status).toBe(200);
    expect(fromSite.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(fromSite.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);

    const fromElsewhere = await visitorClient(session, "https://evil.example").request(
      "POST",
      `chat/${assistant.id}`,
      {
        json: { message: "Hi" },
      },
    );
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets the asking page read the session's answer, a refusal included", async () => {
    const { key } = await sessionOnSite();
    const allowed = await sessionRequest(SITE, { key });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SITE);
    const refused = await sessionRequest("https://evil.example", { key });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://evil.example");
  });

  it("leaves the other routes to the configured origins", async () => {
    const { tenant, assistant } = await sessionOnSite();
    const documents = await preflight("documents", SITE, "GET");
    expect(documents.headers.get("access-control-allow-origin")).toBeNull();
    const consoleChat = await preflight(`chat/${assistant.id}/conversations/cnv_x`, CONSOLE, "DELETE");
    expect(consoleChat.headers.get("access-control-allow-origin")).toBe(CONSOLE);
    expect(consoleChat.headers.get("access-control-allow-methods")).toContain("DELETE");
    const settings = await preflight(`assistants/${assistant.id}/widget`, CONSOLE, "PUT");
    expect(settings.headers.get("access-control-allow-methods")).toContain("PUT");
    const ownerRead = await tenant.client.request("GET", `chat/${assistant.id}/conversations`, {
      headers: { origin: SITE },
    });
    expect(ownerRead.status).toBe(200);
    expect(ownerRead.headers.get("access-control-allow-origin")).toBeNull();
  });
});
