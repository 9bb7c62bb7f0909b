// Allowed origins of a widget: what an administrator may list, in one normal form, and whether
// a browser's `Origin` header matches the list. Browsers send origins already normalised
// (lowercase, punycode, no default port), so a normalised list compares as plain strings. What an
// administrator may list is checked in allowed-origins.ts, with the Public Suffix List, which only
// the widgets' routes and service load.

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
export const WILDCARD_PREFIX = "https://*.";

export type OriginCheck = { ok: true; origin: string } | { ok: false; reason: string };

// `allowHttp`: a request's origin may be any http(s) one; only the allow-list insists on https.
export function parseExactOrigin(value: string, allowHttp = false): OriginCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: "is not an origin like https://www.example.com" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: "must use https (or http for localhost)" };
  }
  if (url.username || url.password) return { ok: false, reason: "must not hold a user name or password" };
  // A lone trailing slash is tolerated; anything after the host is not part of an origin.
  if (url.pathname !== "/" || url.search || url.hash || /^[a-z]+:\/\/[^/]+\/./i.test(value)) {
    return { ok: false, reason: "must be scheme://host[:port], without a path, query or fragment" };
  }
  if (url.protocol === "http:" && !allowHttp && !LOOPBACK_HOSTS.has(url.hostname)) {
    return { ok: false, reason: "must use https; http is allowed only for localhost and 127.0.0.1" };
  }
  return { ok: true, origin: url.origin };
}

/** A request's `Origin` header in normal form, or null when it is absent, `null` or malformed. */
export function normalizeRequestOrigin(header: string | undefined | null): string | null {
  if (!header || header === "null" || header.includes("*")) return null;
  const parsed = parseExactOrigin(header, true);
  return parsed.ok ? parsed.origin : null;
}

/** Whether a normalised request origin is in a normalised allow-list (exact, or below a wildcard). */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    if (!entry.startsWith(WILDCARD_PREFIX)) return entry === origin;
    const suffix = `.${entry.slice(WILDCARD_PREFIX.length)}`;
    return (
      origin.startsWith("https://") && origin.endsWith(suffix) && origin.length > `https://${suffix}`.length
    );
  });
}

/**
 * The origin of the page that made a request: its `Origin` header, or, when there is none, the
 * origin of its `Referer`. Browsers send `Origin` on every cross-origin request but leave it out
 * of same-origin GETs (a page served by Ancre itself, such as the demo); an opaque `null` origin
 * stays refused.
 */
export function pageOrigin(origin: string | undefined, referer: string | undefined): string | null {
  if (origin !== undefined) return normalizeRequestOrigin(origin);
  if (!referer) return null;
  try {
    return normalizeRequestOrigin(new URL(referer).origin);
  } catch {
    return null;
  }
}
