import { afterEach, describe, expect, it, vi } from "vitest";

const answer = (bookmark: string | null) =>
  new Response(JSON.stringify({ data: [], next_cursor: null, has_more: false }), {
    status: 200,
    headers: { "content-type": "application/json", ...(bookmark ? { "X-D1-Bookmark": bookmark } : {}) },
  });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe("the console's API client", () => {
  it("sends back the latest D1 bookmark it was given, so that it reads its own writes", async () => {
    const sent: (string | null)[] = [];
    const bookmarks = ["00000001-0000000a", null, "00000001-00000009"];
    vi.stubGlobal("fetch", async (request: Request) => {
      sent.push(request.headers.get("X-D1-Bookmark"));
      return answer(bookmarks.shift() ?? null);
    });
    const { api } = await import("./client");
    for (let i = 0; i < 4; i++) await api.GET("/api/v1/collections");
    // None before the first answer; then the first one, kept when an answer has none or an older one.
    expect(sent).toEqual([null, "00000001-0000000a", "00000001-0000000a", "00000001-0000000a"]);
  });
});
