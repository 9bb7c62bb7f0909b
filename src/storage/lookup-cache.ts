// Lookups on every request's path (API key → its row, a signed-in user's membership, the
// development bypass's tenant, a widget by its publishable key, a tenant's plan, an assistant with
// its collections) are cached in the isolate for at most LOOKUP_CACHE_SECONDS (30 s by default; 0
// turns the cache off). That is the staleness bound: a change made through another isolate (a key
// revoked, a member removed and the keys they minted revoked with them, a widget's key rotated, the
// widget disabled or an origin removed, a tenant whose deletion was asked, a plan changed, an
// assistant edited) takes effect everywhere within it. A change made through this
// isolate takes effect at once: the repositories that write such rows call `forgetLookups` after.

const MAX_ENTRIES = 1000;

interface Entry {
  value: unknown;
  expiresAt: number;
}

const entries = new Map<string, Entry>();

/** What a lookup needs of Deps: the bound, and the request's own lookups when in a request. */
interface LookupDeps {
  config: { lookupCacheMs: number };
  lookups?: Map<string, Promise<unknown>>;
}

async function isolateLookup<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  if (ttlMs <= 0) return load();
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.expiresAt > now) return hit.value as T;
  entries.delete(key);
  const value = await load();
  if (value !== undefined) {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, { value, expiresAt: now + ttlMs });
  }
  return value;
}

/**
 * `load()`'s value for `key`: read once per request (whatever the bound), and reused by the isolate
 * for up to `config.lookupCacheMs` when it is not undefined (a miss is never kept: a key or an
 * assistant just created is found at once).
 */
export function cachedLookup<T>(deps: LookupDeps, key: string, load: () => Promise<T>): Promise<T> {
  const inRequest = deps.lookups?.get(key);
  if (inRequest) return inRequest as Promise<T>;
  const value = isolateLookup(key, deps.config.lookupCacheMs, load);
  deps.lookups?.set(key, value);
  return value;
}

/**
 * `load()`'s value for `key` read now, past the isolate's cache, and kept in its place (for a
 * decision that must not rest on a stale value, such as a refusal).
 */
export async function freshLookup<T>(deps: LookupDeps, key: string, load: () => Promise<T>): Promise<T> {
  entries.delete(key);
  const value = isolateLookup(key, deps.config.lookupCacheMs, load);
  deps.lookups?.set(key, value);
  return value;
}

/** Makes `value` this request's lookup of `key` (read by the request under another key), for its later reads. */
export function rememberInRequest(deps: LookupDeps, key: string, value: unknown): void {
  deps.lookups?.set(key, Promise.resolve(value));
}

/** Forgets every cached lookup of this isolate: called after a write that may change one. */
export function forgetLookups(): void {
  entries.clear();
}
