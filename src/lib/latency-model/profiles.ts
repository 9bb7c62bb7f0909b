// Named placements for the latency model (latency-model.ts): where the Worker, D1's primary and
// replicas, R2, the queue and each Durable Object namespace sit, and the round trip between two
// regions. Development and benchmarks only (LATENCY_PROFILE); see docs/performance.md.

/** Regions the profiles place things in. */
export type Region = "wnam" | "enam" | "weur" | "apac-tokyo" | "oc-sydney";

/** Round trips in milliseconds between regions, symmetrical; the same region costs `LOCAL_RTT_MS`. */
const RTT_MS: Record<string, number> = {
  "wnam|enam": 65,
  "wnam|weur": 145,
  "wnam|apac-tokyo": 110,
  "wnam|oc-sydney": 150,
  "enam|weur": 85,
  "enam|apac-tokyo": 160,
  "enam|oc-sydney": 200,
  "weur|apac-tokyo": 230,
  "weur|oc-sydney": 280,
  "apac-tokyo|oc-sydney": 115,
};
const LOCAL_RTT_MS = 2;

/** The round trip between two regions. */
export function roundTripMs(from: Region, to: Region): number {
  if (from === to) return LOCAL_RTT_MS;
  return RTT_MS[`${from}|${to}`] ?? RTT_MS[`${to}|${from}`] ?? 0;
}

/** Durable Object namespaces, by their binding name in wrangler.toml. */
export type ObjectNamespace =
  | "CONVERSATION"
  | "TENANT_QUOTA"
  | "SEARCH_SHARD"
  | "QUOTA_LEASE"
  | "SEARCH_REPLICA";

export interface LatencyProfile {
  about: string;
  /** Where the Worker runs: next to the caller. */
  worker: Region;
  d1Primary: Region;
  /** Where a D1 session's reads are served (read replication); writes always go to the primary. */
  d1Replica: Region;
  r2: Region;
  queue: Region;
  kv: Region;
  /** Where each namespace's objects live (an object stays where it was first created). */
  objects: Record<ObjectNamespace, Region>;
  /** Outbound HTTP (embeddings, LLM, Clerk JWKS, Stripe): where those APIs answer. */
  outbound: Region;
}

export const LATENCY_PROFILES = {
  "primary-region": {
    about: "caller, Worker, D1 primary and every object in western North America",
    worker: "wnam",
    d1Primary: "wnam",
    d1Replica: "wnam",
    r2: "wnam",
    queue: "wnam",
    kv: "wnam",
    objects: {
      CONVERSATION: "wnam",
      TENANT_QUOTA: "wnam",
      SEARCH_SHARD: "wnam",
      QUOTA_LEASE: "wnam",
      SEARCH_REPLICA: "wnam",
    },
    outbound: "wnam",
  },
  tokyo: {
    about:
      "caller and Worker in Tokyo; D1 primary in western North America (replica in Tokyo); the tenant's objects created from Europe; the conversation object, the tenant's lease holder and its search shard replica near the caller",
    worker: "apac-tokyo",
    d1Primary: "wnam",
    d1Replica: "apac-tokyo",
    r2: "wnam",
    queue: "apac-tokyo",
    kv: "apac-tokyo",
    objects: {
      CONVERSATION: "apac-tokyo",
      TENANT_QUOTA: "weur",
      SEARCH_SHARD: "weur",
      QUOTA_LEASE: "apac-tokyo",
      SEARCH_REPLICA: "apac-tokyo",
    },
    outbound: "wnam",
  },
  sydney: {
    about:
      "caller and Worker in Sydney; D1 primary in western North America (replica in Sydney); the tenant's objects in western North America; the conversation object, the tenant's lease holder and its search shard replica near the caller",
    worker: "oc-sydney",
    d1Primary: "wnam",
    d1Replica: "oc-sydney",
    r2: "wnam",
    queue: "oc-sydney",
    kv: "oc-sydney",
    objects: {
      CONVERSATION: "oc-sydney",
      TENANT_QUOTA: "wnam",
      SEARCH_SHARD: "wnam",
      QUOTA_LEASE: "oc-sydney",
      SEARCH_REPLICA: "oc-sydney",
    },
    outbound: "wnam",
  },
} satisfies Record<string, LatencyProfile>;

export type LatencyProfileName = keyof typeof LATENCY_PROFILES;

export const LATENCY_PROFILE_NAMES = Object.keys(LATENCY_PROFILES) as [
  LatencyProfileName,
  ...LatencyProfileName[],
];
