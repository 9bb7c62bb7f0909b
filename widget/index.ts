import { WidgetApi, WidgetError } from "./api";
import { ChatWidget } from "./controller";
import type { Failure } from "./i18n";
import { pageOptions } from "./options";
import { memory } from "./store";

declare global {
  interface Window {
    Ancre?: { open(): void; close(): void };
  }
}

/**
 * Entry of /widget/v1.js: reads the script tag's `data-*` options, starts a visitor session with the
 * publishable key, then mounts the widget. The page's only new global is `window.Ancre`.
 */
async function boot(script: HTMLScriptElement): Promise<void> {
  let widget: ChatWidget | undefined;
  let openWhenReady = false;
  window.Ancre = Object.freeze({
    open() {
      if (widget) widget.open();
      else openWhenReady = true;
    },
    close() {
      if (widget) widget.close();
      else openWhenReady = false;
    },
  });

  const options = pageOptions((name) => script.getAttribute(name));
  openWhenReady ||= options.openOnLoad;
  const baseUrl = new URL(script.src, location.href).origin;
  const remembered = memory(options.key ?? "");
  let api: WidgetApi | null = null;
  let refusal: Failure | null = null;
  if (options.preview) {
    // The console's preview: the look and the first exchange, without a session.
  } else if (!options.key) {
    refusal = { status: 403, code: "widget_key_invalid" };
    console.error("Ancre widget: the script tag needs a data-key attribute (your publishable key, pk_…).");
  } else {
    const candidate = new WidgetApi(baseUrl, options.key, remembered.read().visitorId);
    try {
      await candidate.start();
      api = candidate;
      remembered.write({ visitorId: candidate.visitorId });
    } catch (error) {
      refusal = error instanceof WidgetError ? error.failure : { network: true };
    }
  }
  // A site that is not allowed gets no launcher (its visitors could do nothing with it); its
  // owner reads why in the browser's console.
  if (refusal?.code === "widget_origin_not_allowed") {
    console.warn(
      `Ancre: ${location.origin} is not allowed for this assistant; add it in the console's Embed tab (allowed sites).`,
    );
    return;
  }

  const host = document.createElement("ancre-widget");
  document.body.append(host);
  widget = new ChatWidget(host, options, api, refusal);
  // The preview opens without taking the focus from the console's form around it.
  if (openWhenReady) widget.open(!options.preview);
}

// currentScript is null only where the tag was not run as a classic script: then find the tag.
const script = document.currentScript ?? document.querySelector('script[src*="/widget/v1.js"][data-key]');
if (!window.Ancre && script instanceof HTMLScriptElement) {
  if (document.body) void boot(script);
  else document.addEventListener("DOMContentLoaded", () => void boot(script), { once: true });
}
