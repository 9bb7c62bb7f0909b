// Where a request's lease holder lives: the caller's continent, as Cloudflare reports it on the
// request (`request.cf.continent`), mapped to a Durable Object location hint. North America is
// split at 100° W (western and eastern regions are 65 ms apart). Locally, where `cf` is a
// placeholder, the configured region (QUOTA_LEASE_REGION) is used; a request without `cf` gets wnam.

/** The location hints lease holders are created with (a subset of Cloudflare's). */
export const LEASE_REGIONS = ["wnam", "enam", "sam", "weur", "apac", "oc", "afr"] as const;
export type LeaseRegion = (typeof LEASE_REGIONS)[number];

const BY_CONTINENT: Record<string, LeaseRegion> = {
  SA: "sam",
  EU: "weur",
  AF: "afr",
  AS: "apac",
  OC: "oc",
  AN: "oc",
};

/** The region of a request's lease holder: the configured one, else from its `cf` properties. */
export function leaseRegionOf(cf: unknown, configured: LeaseRegion | undefined): LeaseRegion {
  if (configured) return configured;
  const fallback: LeaseRegion = "wnam";
  const { continent, longitude } = (cf ?? {}) as { continent?: unknown; longitude?: unknown };
  if (typeof continent !== "string") return fallback;
  if (continent === "NA") return Number(longitude) < -100 ? "wnam" : "enam";
  return BY_CONTINENT[continent] ?? fallback;
}

/** The holder's name: one per tenant and region. */
export const leaseHolderName = (tenantId: string, region: string) => `${tenantId}:${region}`;
