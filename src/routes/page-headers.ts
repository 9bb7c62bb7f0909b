// The headers of the HTML pages Ancre serves on its own origin (the console, the API reference):
// a Content-Security-Policy that allows no inline script and no script from elsewhere, and no
// framing by any site (clickjacking). The widget's script and its demo page are meant to live on
// other sites' pages and do not get these.

import { clerkFrontendOrigin } from "../auth/clerk-frontend";
import type { Config } from "../config";

// Clerk's documented needs (clerk.com/docs/guides/secure/best-practices/csp-headers): its script
// and API on the Frontend API host, Cloudflare's bot protection, avatars, and inline styles (its
// CSS-in-JS), which the console allows anyway.
const CLERK_CHALLENGES = "https://challenges.cloudflare.com";
const CLERK_IMAGES = "https://img.clerk.com";

const policy = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");

/** Headers every page of Ancre's origin carries, whatever its policy. */
const pageBasics = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/** The console's headers: its own files only, plus Clerk's hosts when sign-in goes through Clerk. */
export function consolePageHeaders(config: Config): Record<string, string> {
  const clerk = clerkFrontendOrigin(config.clerk?.publishableKey);
  const withClerk = (...sources: string[]) => (clerk ? sources : []);
  return {
    ...pageBasics,
    "content-security-policy": policy({
      "default-src": ["'self'"],
      "script-src": ["'self'", ...withClerk(clerk ?? "", CLERK_CHALLENGES)],
      // Styles written at run time: Radix's scroll lock behind every dialog, the copilot chat's
      // components, Clerk's CSS-in-JS. Scripts stay 'self' only.
      "style-src": ["'self'", "'unsafe-inline'"],
      // data: for the favicon written into index.html.
      "img-src": ["'self'", "data:", ...withClerk(CLERK_IMAGES)],
      "font-src": ["'self'"],
      "connect-src": ["'self'", ...withClerk(clerk ?? "")],
      // 'self': the Embed tab's live preview of the widget (/widget/preview) in a frame.
      "frame-src": ["'self'", ...withClerk(CLERK_CHALLENGES)],
      "worker-src": ["'self'", "blob:"],
      // A document's original file opens in a tab from a blob: URL (the browser's PDF viewer).
      "object-src": ["blob:"],
      "base-uri": ["'none'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'none'"],
    }),
  };
}

/**
 * The API reference's headers (Swagger UI, ReDoc): scripts from Ancre's own assets only; inline
 * styles, which both set at run time; ReDoc's search runs in a blob: worker.
 */
export function apiReferencePageHeaders(): Record<string, string> {
  return {
    ...pageBasics,
    "content-security-policy": policy({
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:"],
      "worker-src": ["'self'", "blob:"],
      "object-src": ["'none'"],
      "base-uri": ["'none'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'none'"],
    }),
  };
}

/**
 * The widget preview's headers (/widget/preview, framed by the console's Embed tab): the widget's
 * script from Ancre's origin only, its inline styles (the Shadow DOM's), and framing by Ancre's
 * own pages only.
 */
export function widgetPreviewPageHeaders(): Record<string, string> {
  return {
    ...pageBasics,
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": policy({
      "default-src": ["'none'"],
      "script-src": ["'self'"],
      "style-src": ["'unsafe-inline'"],
      "img-src": ["data:"],
      "base-uri": ["'none'"],
      "form-action": ["'none'"],
      "frame-ancestors": ["'self'"],
    }),
  };
}
