import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { DEV_USER_ID } from "../../middleware/authenticate";
import { seedWidgetDemo } from "../../services/widgets/demo";
import { WIDGET_SCRIPT_PATH } from "./widget-script";

export const WIDGET_DEMO_PATH = "/widget/demo";

/**
 * The other loopback name of the dev server: the demo page and Ancre must be two origins, as a
 * customer's site and Ancre are (same-origin GETs carry no Origin header for the token to match).
 */
function otherLoopbackOrigin(url: URL): string {
  const other = new URL(url.origin);
  other.hostname = url.hostname === "localhost" ? "127.0.0.1" : "localhost";
  return other.origin;
}

/** Text made safe inside HTML, attribute values included. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const demoPage = (scriptUrl: string, key: string) => {
  const snippet = `<script src="${scriptUrl}" data-key="${key}" async></script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ancre widget demo</title>
<style>
body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#0f172a;background:#f8fafc}
main{max-width:720px;margin:0 auto;padding:48px 24px}
h1{font-size:32px;margin:0 0 8px}p{color:#334155}
pre{background:#0f172a;color:#e2e8f0;padding:16px;border-radius:12px;overflow-x:auto;font-size:13px;white-space:pre-wrap;word-break:break-all}
</style></head><body><main>
<h1>Ancre widget demo</h1>
<p>This page plays a customer's website. The chat button in the corner is the Ancre widget, answering
from a sample document (the Ancre handbook) of a demo tenant created on your first visit.
The first answers may say they know nothing while the handbook is still being indexed: ask again a few seconds later.</p>
<p>Embed it on any page whose origin the widget allows:</p>
<pre>${escapeHtml(snippet)}</pre>
<p>Options: <code>data-position</code>, <code>data-primary-color</code>, <code>data-title</code>,
<code>data-greeting</code>, <code>data-open</code>, <code>data-language</code>; <code>Ancre.open()</code> and <code>Ancre.close()</code> from the page.</p>
</main>
${snippet}
</body></html>`;
};

/** GET /widget/demo: development only (404 elsewhere); seeds the demo on first visit. */
export async function serveWidgetDemo(c: Context<AppEnv>) {
  if (c.var.deps.config.environment !== "development") {
    throw new AppError("route_not_found", `No route for GET ${WIDGET_DEMO_PATH}`);
  }
  const url = new URL(c.req.url);
  const key = await seedWidgetDemo({
    identity: { actor: { type: "dev", userId: DEV_USER_ID }, tenantId: null, role: null },
    deps: c.var.deps,
    input: { origin: url.origin, requestId: c.var.requestId },
  });
  return c.html(demoPage(`${otherLoopbackOrigin(url)}${WIDGET_SCRIPT_PATH}`, key));
}
