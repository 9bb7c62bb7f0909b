// The allowed origins an administrator may list: exact origins, and wildcards below a registrable
// domain. Apart from origins.ts because the Public Suffix List (tldts) is large: only the widgets'
// routes and service load it, never the middleware every request runs.

import { getDomain } from "tldts";
import { AppError } from "../../errors";
import { type OriginCheck, parseExactOrigin, WILDCARD_PREFIX } from "./origins";

const MAX_ORIGIN_CHARS = 253 + 20;

/**
 * The normal form of an allowed origin (lowercase host, punycode, default port dropped, no
 * trailing slash), or why it is refused. `https://*.example.com` stands for every subdomain of
 * example.com at any depth, not example.com itself; wildcards are https only.
 */
export function normalizeAllowedOrigin(raw: string): OriginCheck {
  const value = raw.trim();
  if (value.length === 0 || value.length > MAX_ORIGIN_CHARS) {
    return { ok: false, reason: `must be 1 to ${MAX_ORIGIN_CHARS} characters` };
  }
  if (!value.includes("*")) return parseExactOrigin(value);
  if (!value.toLowerCase().startsWith(WILDCARD_PREFIX) || value.indexOf("*") !== value.lastIndexOf("*")) {
    return { ok: false, reason: "a wildcard is allowed only as https://*.example.com" };
  }
  // The wildcard label is parsed as a concrete one, then put back.
  const parsed = parseExactOrigin(`https://wildcard.${value.slice(WILDCARD_PREFIX.length)}`);
  if (!parsed.ok) return parsed;
  const domain = parsed.origin.slice("https://wildcard.".length);
  const host = domain.replace(/:\d+$/, "");
  // The Public Suffix List (ICANN and private sections) says where a registrable domain starts:
  // `*.co.uk` or `*.github.io` would admit every customer of a registry or a host. An IP address
  // or a single label has no registrable domain either.
  if (getDomain(host, { allowPrivateDomains: true }) === null) {
    return {
      ok: false,
      reason: "a wildcard must stand below a registrable domain, not a public suffix: https://*.example.com",
    };
  }
  return { ok: true, origin: `${WILDCARD_PREFIX}${domain}` };
}

/** The allowed origins in normal form, without repeats; a bad one is a `validation_failed` naming it. */
export function normalizeAllowedOrigins(origins: readonly string[]): string[] {
  const normalized: string[] = [];
  for (const [index, origin] of origins.entries()) {
    const check = normalizeAllowedOrigin(origin);
    if (!check.ok) {
      throw new AppError("validation_failed", `Invalid request: allowed origin ${origin} ${check.reason}`, {
        errors: [{ field: `json.allowed_origins.${index}`, message: `${origin} ${check.reason}` }],
      });
    }
    if (!normalized.includes(check.origin)) normalized.push(check.origin);
  }
  return normalized;
}
