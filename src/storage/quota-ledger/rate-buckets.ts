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

  /** Takes one request from `key`'s bucket, which holds `perMinute` and refills continuously. */
  take(key: string, perMinute: number, now: number): RateDecision {
    const capacity = perMinute;
    const refillPerMs = capacity / 60_000;
    const row = this.sql
      .exec<{ tokens: number; updated_ms: number }>(
        "SELECT tokens, updated_ms FROM rate_buckets WHERE key = ?",
        key,
      )
      .toArray()[0];
    let tokens = row ? Math.min(capacity, row.tokens + (now - row.updated_ms) * refillPerMs) : capacity;
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.sql.exec(
      `INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms`,
      key,
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

  /** Drops buckets untouched since `before`: full again, they change nothing. */
  dropIdle(before: number): void {
    this.sql.exec("DELETE FROM rate_buckets WHERE updated_ms < ?", before);
  }
}
