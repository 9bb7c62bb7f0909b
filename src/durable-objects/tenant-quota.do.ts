import { DurableObject } from "cloudflare:workers";
import { log, logged } from "../lib/log";
import type {
  Meter,
  MeterKey,
  RateDecision,
  ReserveItem,
  ReserveResult,
  TenantQuotaObject,
  WindowItem,
  WindowResult,
} from "../services/quotas/quota-object.interface";
import { databaseFor } from "../storage/db";
import { RateBuckets } from "../storage/quota-ledger/rate-buckets";
import { Reservations } from "../storage/quota-ledger/reservations";
import { UsageMirror } from "../storage/quota-ledger/usage-mirror";
import { WindowCounters } from "../storage/quota-ledger/windows";
import { insertUsageEvents, type UsageEventRow, usageBaseline } from "../storage/repositories/usage.repo";
import { isTombstoned, leaveTombstone } from "./tombstone";

// Settled reservations are kept a day so that a late or repeated commit stays a no-op.
const SETTLED_RETENTION_MS = 24 * 60 * 60 * 1000;
// Rate buckets unused for an hour are full again: dropping them changes nothing.
const IDLE_BUCKET_MS = 60 * 60 * 1000;
const FLUSH_RETRY_MS = 30_000;

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

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    // A deleted tenant's object stays empty, restarted or not: with no tables, every call fails.
    if (isTombstoned(this.sql)) return;
    this.usage = new UsageMirror(state.storage);
    this.reservations = new Reservations(state.storage);
    this.buckets = new RateBuckets(state.storage);
    this.windows = new WindowCounters(state.storage);
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
    const now = Date.now();
    this.reservations.expireDue(now);
    const reservationId = input.reservationId ?? randomId("rsv");
    const states = this.reservations.rows(reservationId).map((row) => row.state);
    if (states.some((state) => state === "held" || state === "committed")) {
      return { ok: true, reservationId };
    }
    for (const item of input.items) {
      const meter = this.meter(item);
      if (meter.used + meter.reserved + item.amount > item.limit) {
        return { ok: false, refused: { ...item, ...meter } };
      }
    }
    this.reservations.hold(reservationId, input.items, now + input.ttlMs);
    return { ok: true, reservationId };
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
