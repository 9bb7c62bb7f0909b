import type { Source } from "./types";

// The version of Notion's API whose pages read as Markdown (GET /v1/pages/{id}/markdown).
// Nango forwards headers prefixed with Nango-Proxy- to the provider.
const NOTION_HEADERS = { "nango-proxy-notion-version": "2025-09-03" };

const PAGE_SIZE = 100;

interface NotionPage {
  id: string;
  last_edited_time: string;
  properties?: Record<string, { type: string; title?: { plain_text: string }[] }>;
}

function titleOf(page: NotionPage): string {
  const property = Object.values(page.properties ?? {}).find((value) => value.type === "title");
  const title = (property?.title ?? [])
    .map((part) => part.plain_text)
    .join("")
    .trim();
  return title || "Untitled";
}

/** Notion: every page shared with the connection, each fetched as Markdown under its title. */
export const notion: Source = {
  async listPage(nango, target, cursor) {
    const body = {
      filter: { property: "object", value: "page" },
      page_size: PAGE_SIZE,
      ...(cursor ? { start_cursor: cursor } : {}),
    };
    const response = await nango.proxy(target, "/v1/search", {
      method: "POST",
      headers: NOTION_HEADERS,
      body: JSON.stringify(body),
    });
    const page = (await response.json()) as {
      results?: NotionPage[];
      has_more?: boolean;
      next_cursor?: string;
    };
    return {
      files: (page.results ?? []).map((result) => ({
        externalId: result.id,
        name: `${titleOf(result)}.md`,
        revision: result.last_edited_time,
        kind: "page",
      })),
      nextCursor: page.has_more && page.next_cursor ? page.next_cursor : null,
    };
  },

  async download(nango, target, file) {
    const response = await nango.proxy(target, `/v1/pages/${encodeURIComponent(file.externalId)}/markdown`, {
      headers: NOTION_HEADERS,
    });
    const { markdown } = (await response.json()) as { markdown?: string };
    // The title is a property of the page, not part of its content: it heads the document.
    const title = file.name.replace(/\.md$/, "");
    return new Blob([`# ${title}\n\n${markdown ?? ""}`], { type: "text/markdown" });
  },
};
