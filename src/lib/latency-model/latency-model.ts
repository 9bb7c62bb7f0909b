// The latency model: locally every binding call is a function call; deployed, each is a network
// round trip. With LATENCY_PROFILE set (development and benchmarks only: parseConfig refuses it
// elsewhere), `modelledEnv` hands out the same bindings wrapped so that every call production code
// awaits pays the profile's round trip from where the caller runs: each D1 query or batch (primary,
// or a session's replica for reads), each Durable Object call (RPC method or fetch) by namespace,
// R2, Queues, KV and outbound fetch. Each call is also recorded and logged as one
// `ancre-latency {json}` line, which `npm run bench -- global` reads to count round trips.
import { configFor } from "../../config";
import { type ModelledCall, modelledCallLine, type Site } from "./log-line";
import { LATENCY_PROFILES, type LatencyProfile, type ObjectNamespace, roundTripMs } from "./profiles";

const RECENT_LIMIT = 2000;
const recent: ModelledCall[] = [];

/** The latest modelled calls of this isolate, oldest first (for tests). */
export function recentModelledCalls(): readonly ModelledCall[] {
  return recent;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` inside the modelled round trip of `call`: half of it on the way there, half on the way back. */
async function roundTrip<T>(
  call: Omit<ModelledCall, "startMs" | "endMs">,
  work: () => T | Promise<T>,
): Promise<Awaited<T>> {
  const startMs = Date.now();
  try {
    await sleep(call.delayMs / 2);
    const result = await work();
    await sleep(call.delayMs / 2);
    return result;
  } finally {
    record({ ...call, startMs, endMs: Date.now() });
  }
}

function record(entry: ModelledCall) {
  recent.push(entry);
  if (recent.length > RECENT_LIMIT) recent.splice(0, recent.length - RECENT_LIMIT);
  console.log(modelledCallLine(entry));
}

interface Placement {
  site: Site;
  profile: LatencyProfile;
}

const regionOf = (site: Site, profile: LatencyProfile) =>
  site === "worker" ? profile.worker : profile.objects[site];

function delayTo(placement: Placement, target: keyof LatencyProfile | ObjectNamespace): number {
  const { profile, site } = placement;
  const from = regionOf(site, profile);
  const to =
    target === "CONVERSATION" ||
    target === "TENANT_QUOTA" ||
    target === "SEARCH_SHARD" ||
    target === "QUOTA_LEASE" ||
    target === "SEARCH_REPLICA"
      ? profile.objects[target]
      : (profile[target] as LatencyProfile["worker"]);
  return roundTripMs(from, to);
}

// ---- D1 ----------------------------------------------------------------------------------------

const realStatements = new WeakMap<object, D1PreparedStatement>();
const READ_SQL = /^\s*(select|with|pragma)\b/i;

function modelStatement(
  statement: D1PreparedStatement,
  sql: string,
  readsFromReplica: boolean,
  at: Placement,
) {
  const proxy: D1PreparedStatement = new Proxy(statement, {
    get(target, prop) {
      if (prop === "bind") {
        return (...values: unknown[]) => modelStatement(target.bind(...values), sql, readsFromReplica, at);
      }
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
        const replica = readsFromReplica && READ_SQL.test(sql);
        return (...args: unknown[]) =>
          roundTrip(
            {
              site: at.site,
              binding: replica ? "d1.replica" : "d1.primary",
              op: prop,
              delayMs: delayTo(at, replica ? "d1Replica" : "d1Primary"),
            },
            () => value.apply(target, args),
          );
      }
      return value.bind(target);
    },
  });
  realStatements.set(proxy, statement);
  sqlOf.set(proxy, sql);
  return proxy;
}

const sqlOf = new WeakMap<object, string>();

/** A D1 database or session: `readsFromReplica` for a session, whose reads a replica may serve. */
function modelD1<T extends D1Database | D1DatabaseSession>(
  d1: T,
  readsFromReplica: boolean,
  at: Placement,
): T {
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      switch (prop) {
        case "prepare":
          return (sql: string) => modelStatement(target.prepare(sql), sql, readsFromReplica, at);
        case "batch":
          return (statements: D1PreparedStatement[]) => {
            const replica =
              readsFromReplica && statements.every((statement) => READ_SQL.test(sqlOf.get(statement) ?? ""));
            return roundTrip(
              {
                site: at.site,
                binding: replica ? "d1.replica" : "d1.primary",
                op: "batch",
                delayMs: delayTo(at, replica ? "d1Replica" : "d1Primary"),
              },
              // The binding needs its own statements, not the proxies.
              () => target.batch(statements.map((statement) => realStatements.get(statement) ?? statement)),
            );
          };
        case "exec":
          return (sql: string) =>
            roundTrip(
              { site: at.site, binding: "d1.primary", op: "exec", delayMs: delayTo(at, "d1Primary") },
              () => (target as D1Database).exec(sql),
            );
        case "withSession":
          return (...args: unknown[]) => modelD1(value.apply(target, args) as D1DatabaseSession, true, at);
        default:
          return value.bind(target);
      }
    },
  });
}

// ---- Durable Objects ---------------------------------------------------------------------------

function modelStub<T extends object>(stub: T, namespace: ObjectNamespace, at: Placement): T {
  return new Proxy(stub, {
    get(target, prop) {
      // Not a thenable: awaiting a stub must not become an RPC call named `then`.
      if (prop === "then") return undefined;
      const value = (target as Record<PropertyKey, unknown>)[prop];
      if (typeof value !== "function" || typeof prop === "symbol") return value;
      // Called through the stub: `.apply` on an RPC method would reach the object as a method named `apply`.
      return (...args: unknown[]) =>
        roundTrip(
          { site: at.site, binding: `do.${namespace}`, op: prop, delayMs: delayTo(at, namespace) },
          () => (target as Record<string, (...a: unknown[]) => unknown>)[prop]!(...args),
        );
    },
  });
}

function modelNamespace<T extends DurableObjectNamespace>(
  ns: T,
  namespace: ObjectNamespace,
  at: Placement,
): T {
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) => modelStub(value.apply(target, args) as object, namespace, at);
      }
      if (prop === "jurisdiction") {
        return (...args: unknown[]) =>
          modelNamespace(value.apply(target, args) as DurableObjectNamespace, namespace, at);
      }
      return value.bind(target);
    },
  });
}

// ---- R2, Queues, KV ----------------------------------------------------------------------------

function modelMethods<T extends object>(
  binding: T,
  name: "r2" | "queue" | "kv",
  target: "r2" | "queue" | "kv",
  at: Placement,
): T {
  return new Proxy(binding, {
    get(real, prop) {
      const value = Reflect.get(real, prop, real);
      if (typeof value !== "function" || typeof prop === "symbol") return value;
      return (...args: unknown[]) =>
        roundTrip({ site: at.site, binding: name, op: prop, delayMs: delayTo(at, target) }, () =>
          value.apply(real, args),
        );
    },
  });
}

// ---- Outbound fetch ----------------------------------------------------------------------------

let outboundProfile: LatencyProfile | undefined;
let unmodelledFetch: typeof fetch | undefined;

/**
 * Outbound HTTP (embeddings, LLM, Clerk JWKS, Stripe…) goes through the global fetch, which is
 * wrapped once per isolate; its round trip is taken from the Worker's region.
 */
function modelOutboundFetch(profile: LatencyProfile) {
  if (outboundProfile) return;
  outboundProfile = profile;
  const realFetch = globalThis.fetch;
  unmodelledFetch = realFetch;
  const at: Placement = { site: "worker", profile };
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    let host = "unknown";
    try {
      host = new URL(url).host;
    } catch {
      // A relative or malformed URL: fetch itself will say so.
    }
    return roundTrip({ site: "worker", binding: "fetch", op: host, delayMs: delayTo(at, "outbound") }, () =>
      realFetch(input, init),
    );
  };
}

/** Gives the isolate its own fetch back (tests share one isolate between files). */
export function restoreOutboundFetch(): void {
  if (unmodelledFetch) globalThis.fetch = unmodelledFetch;
  unmodelledFetch = undefined;
  outboundProfile = undefined;
}

export type { ModelledCall, Site };

/**
 * Logs the moment the Worker hands its response to the runtime (binding `response`), so that the
 * benchmark cuts "before the first byte" on the Worker's clock rather than the client's.
 */
export function markResponse(env: object): void {
  if (!modelled.has(env)) return;
  const now = Date.now();
  record({ site: "worker", binding: "response", op: "fetch", delayMs: 0, startMs: now, endMs: now });
}

// ---- Env ---------------------------------------------------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;
const hasMethods = (value: unknown, ...names: string[]) =>
  isObject(value) && names.every((name) => typeof value[name] === "function");

const NAMESPACES: readonly ObjectNamespace[] = [
  "CONVERSATION",
  "TENANT_QUOTA",
  "SEARCH_SHARD",
  "QUOTA_LEASE",
  "SEARCH_REPLICA",
];
const modelled = new WeakSet<object>();
const cache = new WeakMap<object, Map<Site, object>>();

/**
 * The env whose bindings pay the round trips of the configured LATENCY_PROFILE, seen from `site`;
 * the env itself when no profile is configured (always, in production). Built once per env and site.
 */
export function modelledEnv<E extends object>(env: E, site: Site = "worker"): E {
  if (modelled.has(env)) return env;
  const profileName = configFor(env).latencyProfile;
  if (!profileName) return env;
  let bySite = cache.get(env);
  if (!bySite) {
    bySite = new Map();
    cache.set(env, bySite);
  }
  const cached = bySite.get(site);
  if (cached) return cached as E;

  const at: Placement = { site, profile: LATENCY_PROFILES[profileName] };
  modelOutboundFetch(at.profile);
  const wrapped: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const [name, binding] of Object.entries(wrapped)) {
    if (NAMESPACES.includes(name as ObjectNamespace) && hasMethods(binding, "idFromName", "get")) {
      wrapped[name] = modelNamespace(
        binding as unknown as DurableObjectNamespace,
        name as ObjectNamespace,
        at,
      );
    } else if (hasMethods(binding, "prepare", "batch", "exec")) {
      wrapped[name] = modelD1(binding as unknown as D1Database, false, at);
    } else if (hasMethods(binding, "head", "put", "createMultipartUpload")) {
      wrapped[name] = modelMethods(binding as object, "r2", "r2", at);
    } else if (hasMethods(binding, "send", "sendBatch")) {
      wrapped[name] = modelMethods(binding as object, "queue", "queue", at);
    } else if (hasMethods(binding, "getWithMetadata", "put", "list")) {
      wrapped[name] = modelMethods(binding as object, "kv", "kv", at);
    }
  }
  modelled.add(wrapped);
  bySite.set(site, wrapped);
  return wrapped as E;
}
