import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const PREVIEW = "http://localhost/widget/preview";

describe("GET /widget/preview", () => {
  it("embeds the real widget script, open in preview mode, with the settings of its query", async () => {
    const query = new URLSearchParams({
      title: "Shop help",
      greeting: "Bonjour !",
      primary_color: "#0f766e",
      position: "bottom-left",
      language: "fr",
    });
    query.append("q", "Where is my order?");
    query.append("q", "Can I return a gift?");
    const response = await SELF.fetch(`${PREVIEW}?${query}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const tag = /<script src="\/widget\/v1\.js"[^>]*>/.exec(html)?.[0] ?? "";
    expect(tag).toContain(" data-preview ");
    expect(tag).toContain(" data-open");
    expect(tag).toContain('data-title="Shop help"');
    expect(tag).toContain('data-primary-color="#0f766e"');
    expect(tag).toContain('data-position="bottom-left"');
    expect(tag).toContain('data-language="fr"');
    expect(tag).toContain(
      'data-suggested-questions="[&#34;Where is my order?&#34;,&#34;Can I return a gift?&#34;]"',
    );
    expect(tag).not.toContain("data-key");
  });

  it("writes the settings as text only: markup in them cannot become an element or a script", async () => {
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(1)>`;
    const response = await SELF.fetch(`${PREVIEW}?${new URLSearchParams({ title: hostile, q: hostile })}`);
    const html = await response.text();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain("<img");
  });

  it("may be framed by Ancre's own pages only, and runs Ancre's scripts only", async () => {
    const response = await SELF.fetch(PREVIEW);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});
