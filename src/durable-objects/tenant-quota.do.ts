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
 * first rebuilt from D1.
 */
export class TenantQuotaDurableObject extends DurableObject<Env> implements TenantQuotaObject {
  private readonly sql: SqlStorage;
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    // A deleted tenant's object stays empty, restarted or not: with no tables, every call fails.
    if (isTombstoned(this.sql)) return;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS counters (
        metric TEXT NOT NULL,
        period_start TEXT NOT NULL,
        used INTEGER NOT NULL,
        PRIMARY KEY (metric, period_start)
      );
      CREATE TABLE IF NOT EXISTS reservations (
        id TEXT NOT NULL,
        metric TEXT NOT NULL,
        period_start TEXT NOT NULL,
        amount INTEGER NOT NULL,
        state TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        settled_at INTEGER,
        PRIMARY KEY (id, metric)
      );
      CREATE INDEX IF NOT EXISTS reservations_by_meter ON reservations (state, metric, period_start);
      CREATE TABLE IF NOT EXISTS outbox (
        id TEXT PRIMARY KEY,
        metric TEXT NOT NULL,
        period_start TEXT NOT NULL,
        amount INTEGER NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS rate_buckets (
        key TEXT PRIMARY KEY,
        tokens REAL NOT NULL,
        updated_ms INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS window_counters (
        key TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        used INTEGER NOT NULL,
        PRIMARY KEY (key, window_start)
      );
      CREATE INDEX IF NOT EXISTS window_counters_by_end ON window_counters (window_end);
    `);
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
    this.expireDue(now);
    const reservationId = input.reservationId ?? randomId("rsv");
    const states = this.sql
      .exec<{ state: string }>("SELECT state FROM reservations WHERE id = ?", reservationId)
      .toArray()
      .map((row) => row.state);
    if (states.some((state) => state === "held" || state === "committed")) {
      return { ok: true, reservationId };
    }
    for (const item of input.items) {
      const meter = this.meter(item);
      if (meter.used + meter.reserved + item.amount > item.limit) {
        return { ok: false, refused: { ...item, ...meter } };
      }
    }
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM reservations WHERE id = ?", reservationId);
      for (const item of input.items) {
        this.sql.exec(
          `INSERT INTO reservations (id, metric, period_start, amount, state, expires_at)
           VALUES (?, ?, ?, ?, 'held', ?)`,
          reservationId,
          item.metric,
          item.periodStart,
          item.amount,
          now + input.ttlMs,
        );
      }
    });
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
    this.expireDue(now);
    const rows = this.sql
      .exec<{ metric: string; period_start: string; amount: number; state: string }>(
        "SELECT metric, period_start, amount, state FROM reservations WHERE id = ?",
        input.reservationId,
      )
      .toArray()
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
        this.count({ metric: row.metric, periodStart: row.period_start }, amount, now);
      }
      this.sql.exec(
        "UPDATE reservations SET state = 'committed', settled_at = ? WHERE id = ?",
        now,
        input.reservationId,
      );
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
    this.expireDue(now);
    const released = this.sql
      .exec(
        "UPDATE reservations SET state = 'released', settled_at = ? WHERE id = ? AND state = 'held' RETURNING id",
        now,
        input.reservationId,
      )
      .toArray();
    return released.length > 0;
  }

  /** Gives back resources that are gone (a deleted document's count and bytes). */
  async giveBack(input: { items: (MeterKey & { amount: number })[] }): Promise<void> {
    // A counter rebuilt just now from D1 already misses what was deleted before this call.
    const rebuilt = await this.ensureSeeded(input.items);
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const item of input.items) {
        if (item.amount <= 0) continue;
        this.count(item, -item.amount, now, rebuilt.has(meterId(item)));
      }
    });
    await this.scheduleFlush(now);
  }

  /** The counters' state, rebuilding from D1 any the object does not hold. */
  async read(input: { meters: MeterKey[] }): Promise<Meter[]> {
    await this.ensureSeeded(input.meters);
    this.expireDue(Date.now());
    return this.meters(input.meters);
  }

  /** Takes one request from `key`'s token bucket, which holds `perMinute` and refills continuously. */
  takeRequest(input: { key: string; perMinute: number }): RateDecision {
    const now = Date.now();
    const capacity = input.perMinute;
    const refillPerMs = capacity / 60_000;
    const row = this.sql
      .exec<{ tokens: number; updated_ms: number }>(
        "SELECT tokens, updated_ms FROM rate_buckets WHERE key = ?",
        input.key,
      )
      .toArray()[0];
    let tokens = row ? Math.min(capacity, row.tokens + (now - row.updated_ms) * refillPerMs) : capacity;
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.sql.exec(
      `INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms`,
      input.key,
      tokens,
      now,
    );
    return {
      allowed,
      limit: capacity,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((capacity - tokens) / refillPerMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000)),
    };
  }

  /** Counts one event in every window, or in none when one is full (no await: atomic). */
  countInWindows(input: { windows: WindowItem[] }): WindowResult {
    this.sql.exec("DELETE FROM window_counters WHERE window_end <= ?", Date.now());
    for (const window of input.windows) {
      const used =
        this.sql
          .exec<{ used: number }>(
            "SELECT used FROM window_counters WHERE key = ? AND window_start = ?",
            window.key,
            window.windowStart,
          )
          .toArray()[0]?.used ?? 0;
      if (used + 1 > window.limit) return { ok: false, refused: { ...window, used } };
    }
    this.ctx.storage.transactionSync(() => {
      for (const window of input.windows) {
        this.sql.exec(
          `INSERT INTO window_counters (key, window_start, window_end, used) VALUES (?, ?, ?, 1)
           ON CONFLICT (key, window_start) DO UPDATE SET used = used + 1`,
          window.key,
          window.windowStart,
          window.windowEnd,
        );
      }
    });
    return { ok: true };
  }

  /** Writes pending usage events to D1 now. Returns how many were written. */
  async flush(): Promise<number> {
    const pending = this.sql
      .exec<{ id: string; metric: string; period_start: string; amount: number; at: string }>(
        "SELECT id, metric, period_start, amount, at FROM outbox ORDER BY at",
      )
      .toArray();
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
    this.ctx.storage.transactionSync(() => {
      for (const row of pending) this.sql.exec("DELETE FROM outbox WHERE id = ?", row.id);
    });
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
    this.expireDue(now);
    this.sql.exec(
      "DELETE FROM reservations WHERE state != 'held' AND settled_at < ?",
      now - SETTLED_RETENTION_MS,
    );
    this.sql.exec("DELETE FROM rate_buckets WHERE updated_ms < ?", now - IDLE_BUCKET_MS);
    try {
      await this.flush();
    } catch (error) {
      log("error", "usage_mirror_failed", {}, error);
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_RETRY_MS);
    }
  }

  // Adds to a counter and queues the event for D1; `mirrorOnly` records the event alone.
  private count(key: MeterKey, amount: number, now: number, mirrorOnly = false): void {
    if (!mirrorOnly) {
      this.sql.exec(
        "UPDATE counters SET used = MAX(0, used + ?) WHERE metric = ? AND period_start = ?",
        amount,
        key.metric,
        key.periodStart,
      );
    }
    if (amount === 0) return;
    this.sql.exec(
      "INSERT INTO outbox (id, metric, period_start, amount, at) VALUES (?, ?, ?, ?, ?)",
      randomId("use"),
      key.metric,
      key.periodStart,
      amount,
      new Date(now).toISOString(),
    );
  }

  private expireDue(now: number): void {
    this.sql.exec(
      "UPDATE reservations SET state = 'expired', settled_at = ? WHERE state = 'held' AND expires_at <= ?",
      now,
      now,
    );
  }

  private meter(key: MeterKey): Meter {
    const used =
      this.sql
        .exec<{ used: number }>(
          "SELECT used FROM counters WHERE metric = ? AND period_start = ?",
          key.metric,
          key.periodStart,
        )
        .toArray()[0]?.used ?? 0;
    const reserved =
      this.sql
        .exec<{ reserved: number }>(
          `SELECT COALESCE(SUM(amount), 0) AS reserved FROM reservations
           WHERE state = 'held' AND metric = ? AND period_start = ?`,
          key.metric,
          key.periodStart,
        )
        .toArray()[0]?.reserved ?? 0;
    return { metric: key.metric, periodStart: key.periodStart, used, reserved };
  }

  private meters(keys: MeterKey[]): Meter[] {
    return keys.map((key) => this.meter(key));
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
      const held = this.sql
        .exec("SELECT 1 FROM counters WHERE metric = ? AND period_start = ?", key.metric, key.periodStart)
        .toArray().length;
      if (held) continue;
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
    this.sql.exec(
      "INSERT INTO counters (metric, period_start, used) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      key.metric,
      key.periodStart,
      baseline,
    );
  }

  private async scheduleFlush(now: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > now) await this.ctx.storage.setAlarm(now);
  }
}

const meterId = (key: MeterKey) => `${key.metric}\u0000${key.periodStart}`;
