// The caller's region: the caller's continent, as Cloudflare reports it on the request
// (`request.cf.continent`), mapped to a Durable Object location hint. North America is split at
// 100° W (western and eastern regions are 65 ms apart). The objects kept per region (budget lease
// holders, search replicas) live there. Locally, where `cf` is a placeholder, the configured region
// (QUOTA_LEASE_REGION) is used; a request without `cf` gets wnam.

/** The location hints per-region objects are created with (a subset of Cloudflare's). */
export const CALLER_REGIONS = ["wnam", "enam", "sam", "weur", "apac", "oc", "afr"] as const;
export type CallerRegion = (typeof CALLER_REGIONS)[number];

const BY_CONTINENT: Record<string, CallerRegion> = {
  SA: "sam",
  EU: "weur",
  AF: "afr",
  AS: "apac",
  OC: "oc",
  AN: "oc",
};

/** The caller's region: the configured one, else from the request's `cf` properties. */
export function callerRegionOf(cf: unknown, configured: CallerRegion | undefined): CallerRegion {
  if (configured) return configured;
  const fallback: CallerRegion = "wnam";
  const { continent, longitude } = (cf ?? {}) as { continent?: unknown; longitude?: unknown };
  if (typeof continent !== "string") return fallback;
  if (continent === "NA") return Number(longitude) < -100 ? "wnam" : "enam";
  return BY_CONTINENT[continent] ?? fallback;
}
