import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";

const DEMO_URL = "http://localhost:8787/widget/demo";

/** Calls the Worker's app as `npm run dev` runs it (ENVIRONMENT=development). */
async function inDevelopment(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(request, { ...env, ENVIRONMENT: "development" }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const keyIn = (html: string) => /data-key="(pk_[A-Za-z0-9_-]+)"/.exec(html)?.[1];

describe("GET /widget/demo", () => {
  it("is not served outside development", async () => {
    const response = await SELF.fetch(DEMO_URL);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("seeds a demo assistant once and embeds its widget, which then opens a session for the page", {
    timeout: 120_000,
  }, async () => {
    // A developer with more than a page of tenants: the demo's must still be found, not made again.
    for (let i = 0; i < 101; i++) {
      const created = await inDevelopment(
        new Request("http://localhost:8787/api/v1/tenants", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: `Developer tenant ${i}` }),
        }),
      );
      expect(created.status).toBe(201);
    }
    const first = await inDevelopment(new Request(DEMO_URL));
    expect(first.status).toBe(200);
    const html = await first.text();
    const key = keyIn(html);
    expect(key).toBeDefined();
    // The script comes from the other loopback name: the page and Ancre are two origins.
    expect(html).toContain('src="http://127.0.0.1:8787/widget/v1.js"');

    const again = await inDevelopment(new Request(DEMO_URL));
    expect(keyIn(await again.text())).toBe(key);
    // One demo tenant among all of the developer's (other tests make many: page through them all).
    const names: string[] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = (await (
        await inDevelopment(new Request(`http://localhost:8787/api/v1/tenants?limit=100${after}`))
      ).json()) as { data: { name: string }[]; next_cursor: string | null };
      names.push(...page.data.map((tenant) => tenant.name));
      cursor = page.next_cursor;
    }
    expect(names.filter((name) => name === "Ancre widget demo")).toHaveLength(1);

    const session = await inDevelopment(
      new Request("http://127.0.0.1:8787/api/v1/widget/session", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:8787" },
        body: JSON.stringify({ key }),
      }),
    );
    expect(session.status).toBe(201);
    expect(await session.json()).toMatchObject({ widget: { title: "Ancre guide" } });
  });
});
