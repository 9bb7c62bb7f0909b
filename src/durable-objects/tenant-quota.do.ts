import { DurableObject } from "cloudflare:workers";
import { log, logged } from "../lib/log";
import type {
  AdmitInput,
  AdmitResult,
  Meter,
  MeterKey,
  RateDecision,
  ReserveItem,
  ReserveResult,
  StoredPlan,
  TenantQuotaObject,
  WindowItem,
  WindowResult,
} from "../services/quotas/quota-object.interface";
import { reserveItems, tenantPlanOf } from "../services/quotas/tenant-plan";
import { databaseFor } from "../storage/db";
import { KeptPlan } from "../storage/quota-ledger/kept-plan";
import { RateBuckets } from "../storage/quota-ledger/rate-buckets";
import { Reservations } from "../storage/quota-ledger/reservations";
import { UsageMirror } from "../storage/quota-ledger/usage-mirror";
import { WindowCounters } from "../storage/quota-ledger/windows";
import { findPlanWithTicket } from "../storage/repositories/billing.repo";
import { insertUsageEvents, type UsageEventRow, usageBaseline } from "../storage/repositories/usage.repo";
import { isTombstoned, leaveTombstone } from "./tombstone";

// Settled reservations are kept a day so that a late or repeated commit stays a no-op.
const SETTLED_RETENTION_MS = 24 * 60 * 60 * 1000;
// Rate buckets unused for an hour are full again: dropping them changes nothing.
const IDLE_BUCKET_MS = 60 * 60 * 1000;
const FLUSH_RETRY_MS = 30_000;
// Billing pushes every plan change; the kept plan is also read again from D1 this often (after
// answering, never on a call's path), so that a push lost on the way is made good.
const PLAN_RECHECK_MS = 10 * 60 * 1000;

const randomId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * One per tenant (named by the tenant id): usage counters that reserve atomically against the
 * limits the service layer passes in, so that concurrent work can never overshoot a plan; a token
 * bucket per API key; and an outbox that mirrors every committed amount into D1 (`usage_events`).
 *
 * Every check-and-write runs synchronously on the object's SQLite, with no await in between: that
 * is what makes it atomic. A counter the object does not hold yet (a new object, a new period) is
 * first rebuilt from D1. The SQL lives in storage/quota-ledger/; the object keeps the RPC methods,
 * the rebuild from D1 and the alarm that mirrors usage into D1.
 */
export class TenantQuotaDurableObject extends DurableObject<Env> implements TenantQuotaObject {
  private readonly sql: SqlStorage;
  private readonly seeding = new Map<string, Promise<void>>();
  // Unset in a tombstoned object: with no tables, every call fails.
  private readonly usage!: UsageMirror;
  private readonly reservations!: Reservations;
  private readonly buckets!: RateBuckets;
  private readonly windows!: WindowCounters;
  private readonly plan!: KeptPlan;
  private planRead: Promise<StoredPlan | undefined> | undefined;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    // A deleted tenant's object stays empty, restarted or not: with no tables, every call fails.
    if (isTombstoned(this.sql)) return;
    this.usage = new UsageMirror(state.storage);
    this.reservations = new Reservations(state.storage);
    this.buckets = new RateBuckets(state.storage);
    this.windows = new WindowCounters(state.storage);
    this.plan = new KeptPlan(state.storage);
  }

  private get tenantId(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("the tenant quota object must be addressed by the tenant id");
    return name;
  }

  /**
   * Reserves every item, or none: refused when `used + reserved + amount` would pass an item's
   * limit. A `reservationId` chosen by the caller makes the call idempotent: while that
   * reservation is held or committed, reserving it again changes nothing.
   */
  async reserve(input: {
    items: ReserveItem[];
    ttlMs: number;
    reservationId?: string;
  }): Promise<ReserveResult> {
    await this.ensureSeeded(input.items);
    // From here on, no await: the check and the write are one atomic step.
    const reservationId = input.reservationId ?? randomId("rsv");
    const held = this.hold(input.items, reservationId, input.ttlMs, Date.now());
    return held.ok ? { ok: true, reservationId } : held;
  }

  /**
   * Turns a reservation into usage: `actual` amounts where given (the real token count), the
   * reserved ones otherwise. An expired reservation still counts (the work was done), and so does
   * a released one when `evenIfReleased` says the work was done after all; a committed one is left
   * alone, so a commit is counted once. Returns whether anything was counted.
   */
  async commit(input: {
    reservationId: string;
    actual?: Record<string, number>;
    evenIfReleased?: boolean;
  }): Promise<boolean> {
    const now = Date.now();
    this.reservations.expireDue(now);
    const rows = this.reservations
      .rows(input.reservationId)
      .filter(
        (row) =>
          row.state === "held" ||
          row.state === "expired" ||
          (input.evenIfReleased && row.state === "released"),
      );
    if (rows.length === 0) return false;
    this.ctx.storage.transactionSync(() => {
      for (const row of rows) {
        const amount = Math.max(0, Math.round(input.actual?.[row.metric] ?? row.amount));
        this.usage.count({ metric: row.metric, periodStart: row.period_start }, amount, now);
      }
      this.reservations.markCommitted(input.reservationId, now);
    });
    await this.scheduleFlush(now);
    return true;
  }

  /**
   * Gives a held reservation back untouched (the work failed). Returns whether it was held: a
   * committed one stays counted.
   */
  release(input: { reservationId: string }): boolean {
    const now = Date.now();
    this.reservations.expireDue(now);
    return this.reservations.release(input.reservationId, now);
  }

  /** Gives back resources that are gone (a deleted document's count and bytes). */
  async giveBack(input: { items: (MeterKey & { amount: number })[] }): Promise<void> {
    // A counter rebuilt just now from D1 already misses what was deleted before this call.
    const rebuilt = await this.ensureSeeded(input.items);
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const item of input.items) {
        if (item.amount <= 0) continue;
        this.usage.count(item, -item.amount, now, rebuilt.has(meterId(item)));
      }
    });
    await this.scheduleFlush(now);
  }

  /** The counters' state, rebuilding from D1 any the object does not hold. */
  async read(input: { meters: MeterKey[] }): Promise<Meter[]> {
    await this.ensureSeeded(input.meters);
    this.reservations.expireDue(Date.now());
    return input.meters.map((key) => this.meter(key));
  }

  /**
   * A request's one call (see AdmitInput): the rate bucket, then the windows, then the
   * reservation against the plan the object keeps, the first refusal stopping the rest. After the
   * plan and the counters are at hand, no await: the checks and writes are one atomic step.
   */
  async admit(input: AdmitInput): Promise<AdmitResult> {
    const stored = await this.keptPlan();
    if (!stored) return { ok: false, refused: { type: "no_tenant" } };
    const tenant = tenantPlanOf(input.policy, stored, new Date());
    const items = input.reserve ? reserveItems(tenant, input.reserve.amounts) : [];
    await this.ensureSeeded(items);
    // From here on, no await.
    const now = Date.now();
    const rate = input.rate
      ? this.buckets.take(input.rate.key, input.rate.perMinute ?? tenant.limits.requests_per_minute, now)
      : undefined;
    if (rate && !rate.allowed) return { ok: false, tenant, rate, refused: { type: "rate" } };
    if (input.windows && input.windows.length > 0) {
      const counted = this.windows.count(input.windows, now);
      if (!counted.ok)
        return { ok: false, tenant, rate, refused: { type: "window", window: counted.refused } };
    }
    if (input.reserve) {
      const held = this.hold(items, input.reserve.reservationId, input.reserve.ttlMs, now);
      if (!held.ok) return { ok: false, tenant, rate, refused: { type: "quota", item: held.refused } };
    }
    return { ok: true, tenant, rate };
  }

  /** Keeps the tenant's plan as billing stored it (an older ticket than the kept one is ignored). */
  setPlan(input: StoredPlan): void {
    this.plan.put(input, Date.now());
  }

  /** Takes one request from `key`'s token bucket, which holds `perMinute` and refills continuously. */
  takeRequest(input: { key: string; perMinute: number }): RateDecision {
    return this.buckets.take(input.key, input.perMinute, Date.now());
  }

  /** Counts one event in every window, or in none when one is full (no await: atomic). */
  countInWindows(input: { windows: WindowItem[] }): WindowResult {
    return this.windows.count(input.windows, Date.now());
  }

  /** Writes pending usage events to D1 now. Returns how many were written. */
  async flush(): Promise<number> {
    const pending = this.usage.pending();
    if (pending.length === 0) return 0;
    const tenantId = this.tenantId;
    const rows: UsageEventRow[] = pending.map((row) => ({
      id: row.id,
      tenantId,
      metric: row.metric,
      amount: row.amount,
      periodStart: row.period_start,
      at: row.at,
    }));
    await insertUsageEvents(databaseFor(this.env.DB), rows);
    this.usage.mirrored(pending.map((row) => row.id));
    return pending.length;
  }

  /**
   * Deletes everything the object holds, the outbox deliberately unflushed, and its alarm. Its
   * tables go too, and a tombstone stays: a late call (work of the deleted tenant still in flight)
   * fails rather than count usage nobody will delete, even once the runtime restarts the object.
   */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    leaveTombstone(this.sql);
  }

  /** Mirrors the outbox to D1 (retrying later if D1 fails) and tidies settled state. */
  override async alarm(): Promise<void> {
    await logged("quota_alarm", {}, () => this.tidyAndFlush());
  }

  private async tidyAndFlush(): Promise<void> {
    const now = Date.now();
    this.reservations.expireDue(now);
    this.reservations.dropSettled(now - SETTLED_RETENTION_MS);
    this.buckets.dropIdle(now - IDLE_BUCKET_MS);
    try {
      await this.flush();
    } catch (error) {
      log("error", "usage_mirror_failed", {}, error);
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_RETRY_MS);
    }
  }

  /** Holds every item under `reservationId`, or none (synchronous: call with the counters seeded). */
  private hold(
    items: ReserveItem[],
    reservationId: string,
    ttlMs: number,
    now: number,
  ): { ok: true } | { ok: false; refused: ReserveItem & Meter } {
    this.reservations.expireDue(now);
    const states = this.reservations.rows(reservationId).map((row) => row.state);
    if (states.some((state) => state === "held" || state === "committed")) return { ok: true };
    for (const item of items) {
      const meter = this.meter(item);
      if (meter.used + meter.reserved + item.amount > item.limit) {
        return { ok: false, refused: { ...item, ...meter } };
      }
    }
    this.reservations.hold(reservationId, items, now + ttlMs);
    return { ok: true };
  }

  /**
   * The plan the object keeps; read from D1 when it has none (concurrent callers share the read),
   * and read again after answering when it was last checked long ago.
   */
  private async keptPlan(): Promise<StoredPlan | undefined> {
    const kept = this.plan.get();
    if (kept) {
      if (Date.now() - kept.readAt > PLAN_RECHECK_MS)
        this.ctx.waitUntil(this.readPlan().catch(() => undefined));
      return kept;
    }
    return this.readPlan();
  }

  private readPlan(): Promise<StoredPlan | undefined> {
    this.planRead ??= (async () => {
      try {
        const row = await findPlanWithTicket(databaseFor(this.env.DB), this.tenantId);
        if (!row) return undefined;
        this.plan.put(row, Date.now());
        // A push that landed during the read (a later ticket) wins.
        return this.plan.get();
      } finally {
        this.planRead = undefined;
      }
    })();
    return this.planRead;
  }

  private meter(key: MeterKey): Meter {
    return {
      metric: key.metric,
      periodStart: key.periodStart,
      used: this.usage.used(key),
      reserved: this.reservations.reserved(key),
    };
  }

  /**
   * Rebuilds from D1 the counters the object does not hold. Concurrent callers wait on the same
   * rebuild. Returns the counters this call rebuilt itself.
   */
  private async ensureSeeded(keys: MeterKey[]): Promise<Set<string>> {
    const rebuilt = new Set<string>();
    const waits: Promise<void>[] = [];
    for (const key of keys) {
      const id = meterId(key);
      if (this.usage.holds(key)) continue;
      let seeding = this.seeding.get(id);
      if (!seeding) {
        rebuilt.add(id);
        seeding = this.seed(key).finally(() => this.seeding.delete(id));
        this.seeding.set(id, seeding);
      }
      waits.push(seeding);
    }
    await Promise.all(waits);
    return rebuilt;
  }

  private async seed(key: MeterKey): Promise<void> {
    const baseline = await usageBaseline(
      databaseFor(this.env.DB),
      this.tenantId,
      key.metric,
      key.periodStart,
    );
    this.usage.seed(key, baseline);
  }

  private async scheduleFlush(now: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > now) await this.ctx.storage.setAlarm(now);
  }
}

const meterId = (key: MeterKey) => `${key.metric}\u0000${key.periodStart}`;
