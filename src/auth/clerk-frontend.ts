/**
 * The origin of Clerk's Frontend API for a publishable key (`pk_test_…`/`pk_live_…`, whose tail is
 * the base64 of `<host>$`), or null when the key is not one. The console loads Clerk's script from
 * there and calls it, so its Content-Security-Policy names it.
 */
export function clerkFrontendOrigin(publishableKey: string | undefined): string | null {
  const match = /^pk_(?:test|live)_([A-Za-z0-9+/=_-]+)$/.exec(publishableKey ?? "");
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const host = decoded.endsWith("$") ? decoded.slice(0, -1) : "";
  // A host name and nothing else: the value lands in a response header.
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) ? `https://${host.toLowerCase()}` : null;
}
