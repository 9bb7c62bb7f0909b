import type { RateDecision } from "../../services/quotas/quota-object.interface";

// The tenant quota object's token buckets, one per key (an API key, a visitor), refilled continuously.

export class RateBuckets {
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS rate_buckets (
        key TEXT PRIMARY KEY,
        tokens REAL NOT NULL,
        updated_ms INTEGER NOT NULL
      );
    `);
  }

  /**
   * Takes one request from `key`'s bucket, which holds `perMinute` and refills continuously.
   * `outstanding` requests granted to lease holders and not yet settled count as still in the
   * bucket (it refills only up to `perMinute - outstanding`), so that the key keeps one rate
   * whichever region draws.
   */
  take(key: string, perMinute: number, now: number, outstanding = 0): RateDecision {
    return this.draw(key, perMinute, 1, 1, now, outstanding).decision;
  }

  /**
   * Takes between `need` and `want` requests at once (a lease holder's grant), or none when fewer
   * than `need` are in the bucket. Returns how many were taken and the bucket's decision.
   */
  draw(
    key: string,
    perMinute: number,
    need: number,
    want: number,
    now: number,
    outstanding = 0,
  ): { taken: number; level: number; decision: RateDecision } {
    const capacity = perMinute;
    const refillPerMs = capacity / 60_000;
    let tokens = this.level(key, capacity, now, outstanding);
    const allowed = tokens >= need;
    const taken = allowed ? Math.max(need, Math.min(want, Math.floor(tokens))) : 0;
    tokens -= taken;
    this.store(key, tokens, now);
    return {
      taken,
      level: tokens,
      decision: {
        allowed,
        limit: capacity,
        remaining: Math.floor(tokens),
        resetSeconds: Math.ceil((capacity - tokens) / refillPerMs / 1000),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((need - tokens) / refillPerMs / 1000)),
      },
    };
  }

  /** Puts back requests a lease holder did not use (the bucket never holds more than it can). */
  giveBack(key: string, perMinute: number, amount: number, now: number, outstanding = 0): void {
    const tokens = this.level(key, perMinute, now, outstanding);
    this.store(key, Math.min(perMinute - outstanding, tokens + amount), now);
  }

  private level(key: string, capacity: number, now: number, outstanding: number): number {
    const row = this.sql
      .exec<{ tokens: number; updated_ms: number }>(
        "SELECT tokens, updated_ms FROM rate_buckets WHERE key = ?",
        key,
      )
      .toArray()[0];
    const ceiling = Math.max(0, capacity - outstanding);
    if (!row) return ceiling;
    return Math.min(ceiling, row.tokens + (now - row.updated_ms) * (capacity / 60_000));
  }

  private store(key: string, tokens: number, now: number): void {
    this.sql.exec(
      `INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms`,
      key,
      tokens,
      now,
    );
  }

  /** Drops buckets untouched since `before`: full again, they change nothing. */
  dropIdle(before: number): void {
    this.sql.exec("DELETE FROM rate_buckets WHERE updated_ms < ?", before);
  }
}
