import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const SCRIPT_URL = "https://ancre.test/widget/v1.js";
const GZIPPED_BUDGET_BYTES = 20 * 1024;

const gzippedSize = async (text: string) =>
  (await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer())
    .byteLength;

describe("GET /widget/v1.js", () => {
  it("serves the built widget as JavaScript with a long cache and a content ETag", async () => {
    const response = await SELF.fetch(SCRIPT_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=\d{5,}/);
    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    const source = await response.text();
    // The bundle publishes the page's one global, and the session endpoint it starts with.
    expect(source).toContain("Ancre");
    expect(source).toContain("/api/v1/widget/session");
  });

  it("answers 304 without a body when the page already holds this version", async () => {
    const first = await SELF.fetch(SCRIPT_URL);
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    const revalidated = await SELF.fetch(SCRIPT_URL, { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    expect(revalidated.headers.get("etag")).toBe(etag);
    const stale = await SELF.fetch(SCRIPT_URL, { headers: { "if-none-match": '"0123"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
  });

  it("stays under 20 KB gzipped", async () => {
    const source = await (await SELF.fetch(SCRIPT_URL)).text();
    const gzipped = await gzippedSize(source);
    console.log(
      `widget script: ${(source.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 20 KB)`,
    );
    expect(gzipped).toBeLessThanOrEqual(GZIPPED_BUDGET_BYTES);
  });
});
