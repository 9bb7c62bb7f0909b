import type { Context } from "hono";
import widgetSource from "../../../dist/widget/v1.js";
import type { AppEnv } from "../../context";

export const WIDGET_SCRIPT_PATH = "/widget/v1.js";

let etag: Promise<string> | undefined;

/** A strong ETag from the script's SHA-256, computed once per isolate. */
function widgetEtag(): Promise<string> {
  etag ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(widgetSource)).then((digest) => {
    const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return `"${hex.slice(0, 32)}"`;
  });
  return etag;
}

export async function serveWidgetScript(c: Context<AppEnv>) {
  const tag = await widgetEtag();
  const headers = {
    "content-type": "text/javascript; charset=utf-8",
    etag: tag,
    "cache-control": "public, max-age=86400, stale-while-revalidate=604800",
  };
  if (c.req.header("if-none-match") === tag) return c.body(null, 304, headers);
  return c.body(widgetSource, 200, headers);
}
