import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import worker from "../../../src/index";
import {
  type ModelledCall,
  modelledEnv,
  recentModelledCalls,
  restoreOutboundFetch,
} from "../../../src/lib/latency-model/latency-model";
import { roundTripMs } from "../../../src/lib/latency-model/profiles";

// Tokyo: Worker in Tokyo, D1 primary in western North America, replica in Tokyo, the tenant's
// objects in Europe, the conversation object near the caller (src/lib/latency-model/profiles.ts).
const TOKYO_TO_PRIMARY = roundTripMs("apac-tokyo", "wnam");
const TOKYO_TO_EUROPE = roundTripMs("apac-tokyo", "weur");
const tokyoEnv = () => ({ ...env, ENVIRONMENT: "development", LATENCY_PROFILE: "tokyo" }) as Env;

/** The calls recorded while `work` ran. */
async function callsDuring(work: () => Promise<unknown>): Promise<ModelledCall[]> {
  const before = recentModelledCalls().at(-1);
  await work();
  const calls = recentModelledCalls();
  const from = before ? calls.lastIndexOf(before) + 1 : 0;
  return calls.slice(from);
}

const summary = (calls: ModelledCall[]) =>
  calls.map(({ site, binding, op, delayMs }) => ({ site, binding, op, delayMs }));

afterAll(() => restoreOutboundFetch());

describe("the latency model", () => {
  it("leaves the bindings untouched without a profile", () => {
    const plain = { ...env, ENVIRONMENT: "development" } as Env;
    expect(modelledEnv(plain)).toBe(plain);
  });

  it("puts each D1 query and batch on a round trip to the primary, and a session's reads on the replica", async () => {
    const modelled = modelledEnv(tokyoEnv());
    let batch: D1Result[] = [];
    const calls = await callsDuring(async () => {
      expect(await modelled.DB.prepare("SELECT ? AS n").bind(7).first("n")).toBe(7);
      batch = await modelled.DB.batch([
        modelled.DB.prepare("SELECT 1 AS n"),
        modelled.DB.prepare("SELECT ? AS n").bind(2),
      ]);
      const session = modelled.DB.withSession("first-unconstrained");
      await session.prepare("SELECT 3 AS n").all();
      await session.prepare("UPDATE tenants SET name = name WHERE id = 'none'").run();
    });
    // The binding ran its own statements inside the modelled batch.
    expect(batch.map((result) => result.results)).toEqual([[{ n: 1 }], [{ n: 2 }]]);
    expect(summary(calls)).toEqual([
      { site: "worker", binding: "d1.primary", op: "first", delayMs: TOKYO_TO_PRIMARY },
      { site: "worker", binding: "d1.primary", op: "batch", delayMs: TOKYO_TO_PRIMARY },
      { site: "worker", binding: "d1.replica", op: "all", delayMs: roundTripMs("apac-tokyo", "apac-tokyo") },
      { site: "worker", binding: "d1.primary", op: "run", delayMs: TOKYO_TO_PRIMARY },
    ]);
    for (const call of calls) expect(call.endMs - call.startMs).toBeGreaterThanOrEqual(0);
  });

  it("puts every Durable Object call on a round trip to where its namespace lives, and R2, queue and KV calls on theirs", async () => {
    const sent: unknown[] = [];
    const queue = { send: async (body: unknown) => void sent.push(body), sendBatch: async () => {} };
    const kv = {
      get: async () => "v",
      getWithMetadata: async () => ({}),
      put: async () => {},
      list: async () => ({}),
    };
    const modelled = modelledEnv({ ...tokyoEnv(), INGEST_QUEUE: queue, CACHE: kv } as unknown as Env);
    const calls = await callsDuring(async () => {
      const quota = modelled.TENANT_QUOTA.get(modelled.TENANT_QUOTA.idFromName("latency-model-test"));
      expect(await quota.read({ meters: [] })).toEqual([]);
      await modelled.FILES.put("latency-model/probe", "x");
      expect(await (await modelled.FILES.get("latency-model/probe"))?.text()).toBe("x");
      await modelled.INGEST_QUEUE.send({ probe: true } as never);
      expect(await (modelled as unknown as { CACHE: typeof kv }).CACHE.get()).toBe("v");
    });
    expect(sent).toEqual([{ probe: true }]);
    expect(summary(calls)).toEqual([
      { site: "worker", binding: "do.TENANT_QUOTA", op: "read", delayMs: TOKYO_TO_EUROPE },
      { site: "worker", binding: "r2", op: "put", delayMs: TOKYO_TO_PRIMARY },
      { site: "worker", binding: "r2", op: "get", delayMs: TOKYO_TO_PRIMARY },
      { site: "worker", binding: "queue", op: "send", delayMs: roundTripMs("apac-tokyo", "apac-tokyo") },
      { site: "worker", binding: "kv", op: "get", delayMs: roundTripMs("apac-tokyo", "apac-tokyo") },
    ]);
  });

  it("measures an object's own calls from the object's region", async () => {
    const fromQuota = modelledEnv(tokyoEnv(), "TENANT_QUOTA");
    const calls = await callsDuring(() => fromQuota.DB.prepare("SELECT 1").first());
    expect(summary(calls)).toEqual([
      { site: "TENANT_QUOTA", binding: "d1.primary", op: "first", delayMs: roundTripMs("weur", "wnam") },
    ]);
  });

  it("places the tenant's lease holder next to the caller, and its ledger calls where the ledger is", async () => {
    const modelled = modelledEnv(tokyoEnv());
    const fromWorker = await callsDuring(() =>
      modelled.QUOTA_LEASE.get(modelled.QUOTA_LEASE.idFromName("latency-model-test:apac")).surrender({
        collect: true,
      }),
    );
    expect(summary(fromWorker)).toEqual([
      {
        site: "worker",
        binding: "do.QUOTA_LEASE",
        op: "surrender",
        delayMs: roundTripMs("apac-tokyo", "apac-tokyo"),
      },
    ]);
    const fromHolder = modelledEnv(tokyoEnv(), "QUOTA_LEASE");
    const calls = await callsDuring(() =>
      fromHolder.TENANT_QUOTA.get(fromHolder.TENANT_QUOTA.idFromName("latency-model-test")).read({
        meters: [],
      }),
    );
    expect(summary(calls)).toEqual([
      { site: "QUOTA_LEASE", binding: "do.TENANT_QUOTA", op: "read", delayMs: TOKYO_TO_EUROPE },
    ]);
  });

  it("sees what the real Worker awaits: /health's D1 and R2 probes", async () => {
    const calls = await callsDuring(async () => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request("http://ancre.test/api/v1/health"), tokyoEnv(), ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(200);
    });
    const seen = summary(calls).map(({ binding, op }) => `${binding} ${op}`);
    expect(seen.slice(0, 2).sort()).toEqual(["d1.primary first", "r2 head"]);
    // The Worker marks its response after what it awaited, for the benchmark's first-byte cut.
    expect(seen.slice(2)).toEqual(["response fetch"]);
    expect(calls[2]!.endMs).toBeGreaterThanOrEqual(Math.max(calls[0]!.endMs, calls[1]!.endMs));
  });

  it("puts outbound fetches on a round trip to where the APIs answer", async () => {
    modelledEnv(tokyoEnv());
    const calls = await callsDuring(() => fetch("http://127.0.0.1:9/unreachable").catch(() => undefined));
    expect(summary(calls)).toEqual([
      { site: "worker", binding: "fetch", op: "127.0.0.1:9", delayMs: TOKYO_TO_PRIMARY },
    ]);
  });
});
