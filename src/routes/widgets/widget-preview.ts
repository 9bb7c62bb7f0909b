import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { widgetPreviewPageHeaders } from "../page-headers";
import { escapeHtml } from "./widget-demo";
import { WIDGET_SCRIPT_PATH } from "./widget-script";

export const WIDGET_PREVIEW_PATH = "/widget/preview";

/** The query's settings as the script tag's `data-*` attributes (the widget checks their values). */
function previewAttributes(query: URLSearchParams): string {
  const attributes: Record<string, string | undefined> = {
    "data-title": query.get("title") ?? undefined,
    "data-greeting": query.get("greeting") ?? undefined,
    "data-primary-color": query.get("primary_color") ?? undefined,
    "data-position": query.get("position") ?? undefined,
    "data-language": query.get("language") ?? undefined,
    "data-suggested-questions": JSON.stringify(query.getAll("q").slice(0, 6)),
  };
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([name, value]) => ` ${name}="${escapeHtml(value!)}"`)
    .join("");
}

/**
 * GET /widget/preview?title=…&greeting=…&primary_color=…&position=…&language=…&q=…: the real
 * widget script, open, in preview mode (no session; a sample answer), over a blank page. The
 * console's Embed tab frames it with the settings being edited, before they are saved.
 */
export function serveWidgetPreview(c: Context<AppEnv>) {
  const query = new URL(c.req.url).searchParams;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Widget preview</title>
<style>html,body{margin:0;height:100%;background:#f1f5f9}</style></head><body>
<script src="${WIDGET_SCRIPT_PATH}" data-preview data-open${previewAttributes(query)}></script>
</body></html>`;
  return c.html(html, 200, widgetPreviewPageHeaders());
}
